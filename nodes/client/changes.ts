/**
 * The change trigger's requests (the core's changes/ plans them: one Composite request a poll, pages
 * for bursts). Here they are sent, and Salesforce's clock is kept: every answer's `Date` header sets
 * the offset between this machine and the org, remembered in memory per credential, so a poll's
 * window ends on Salesforce's time, never n8n's.
 *
 * Failures come back as the core's errors (a refused request as SalesforceRestError), so the node can
 * tell one the user must fix from a passing one before it turns it into n8n's error; the
 * connection's own (a refused login, a cool-down) arrive as n8n's errors, as from every request.
 */
import {
	fromStoredFields,
	type PollOutcome,
	type PollStep,
	SalesforceClock,
	type SalesforceRequest as ChangeRequest,
	storedSessionIssuedFor,
} from '../salesforce';
import type { SalesforceConnection } from './connection';

const clock = new SalesforceClock();

/**
 * Salesforce's versions list: answers with the org's `Date` and is not counted against the API
 * allocation ("not counted against limits"); sent with the credential, it also logs in when the
 * credential holds no session for its current details.
 */
const VERSIONS_PATH = '/services/data/';

async function send(
	connection: SalesforceConnection,
	request: ChangeRequest | { method: 'GET'; path: string },
	what: string,
) {
	const { response, failure } = await connection.attempt({
		method: request.method,
		path: request.path,
		body: 'body' in request && request.body ? { json: request.body } : undefined,
		what,
	});
	if (failure) throw failure;
	clock.observe(connection.credentialKey, response.headers.date, Date.now());
	return response;
}

export interface ChangeSession {
	/** Salesforce's estimated now (epoch ms). */
	salesforceNow: number;
	/** The org the credential's session belongs to ('' when Salesforce's identity URL did not say). */
	orgId: string;
}

/**
 * Salesforce's now and the org of the credential's session. Costs nothing while this process has
 * seen an answer from the org and the credential holds a session for its current details; otherwise
 * one versions list (not counted), which logs in when needed.
 */
export async function changeSession(connection: SalesforceConnection): Promise<ChangeSession> {
	let fields = await connection.credentials();
	let now = clock.now(connection.credentialKey, Date.now());
	if (now === undefined || !storedSessionIssuedFor(fields)) {
		await send(connection, { method: 'GET', path: VERSIONS_PATH }, "reading Salesforce's time");
		fields = await connection.credentials();
		now = clock.now(connection.credentialKey, Date.now());
	}
	return { salesforceNow: now ?? Date.now(), orgId: fromStoredFields(fields)?.orgId ?? '' };
}

/** Sends the poll's requests, one after the other, and returns its outcome. */
export async function runChangeSteps(
	connection: SalesforceConnection,
	first: PollStep,
	what: string,
): Promise<PollOutcome> {
	let step = first;
	while (step.request) {
		const { body, headers } = await send(connection, step.request, what);
		step = step.resume({ body, date: headers.date });
	}
	return step.outcome;
}
