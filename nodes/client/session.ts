/**
 * Get Access Token's session: one the credential holds and Salesforce has just accepted.
 *
 * To prove it alive, it asks n8n for an authenticated call to a cheap REST resource. n8n-core then does the rest:
 * logs in through the credential's preAuthentication when no session is stored, and when Salesforce
 * answers 401 (the stored session has ended) logs in again once and retries. The REST resource is
 * chosen because a dead session answers 401 there — userinfo answers 403, which n8n would not treat
 * as "session expired". Afterwards the credential holds a session that was just proven alive.
 *
 * A session that Salesforce accepted less than a minute ago — for any request of this process
 * (liveSessions) — is not checked again: fifty runs a minute cost one check, not fifty.
 */
import { NodeOperationError } from 'n8n-workflow';
import {
	fromStoredFields,
	refusalInForce,
	SalesforceAuthError,
	SalesforceSession,
	storedSessionIssuedFor,
} from '../salesforce';
import type { SalesforceConnection } from './connection';
import { markSessionAlive, provenAliveRecently } from './liveSessions';
import { answerIn, statusIn } from './n8nAnswers';

/** What n8n's error of a failed session check says: its HTTP status, and Salesforce's words with n8n's. */
function readCheckFailure(error: unknown): { status: number; text: string } {
	const { message, description } = (error ?? {}) as { message?: unknown; description?: unknown };
	return {
		status: statusIn(error) ?? Number.NaN,
		text:
			JSON.stringify(answerIn(error)?.body ?? '') +
			String(message ?? '') +
			String(description ?? ''),
	};
}

function restSessionError({
	status,
	text,
}: {
	status: number;
	text: string;
}): SalesforceAuthError | undefined {
	if (status === 401 && text.includes('not valid for use with the REST API')) {
		return new SalesforceAuthError(
			'rest-session-not-allowed',
			'Salesforce issued a session that is not valid for the REST API.',
			"The API user's profile or the connected app requires High Assurance sessions (Setup → Session Settings, or the profile's Session Security Level Required at Login). Logging in again never fixes this; relax that requirement for the integration user.",
			{ httpStatus: 401 },
		);
	}
	if (status === 401) {
		return new SalesforceAuthError(
			'session-check-failed',
			'Salesforce rejected a freshly issued session (HTTP 401).',
			'Check the API user has "API Enabled" on its profile, and that the connected app\'s OAuth scopes include "api".',
			{ httpStatus: 401 },
		);
	}
	return undefined;
}

/** `instance`: the instance URL the check went to (the stored session's), named so a stale one shows. */
function sessionCheckError(status: number, instance: string | undefined): SalesforceAuthError {
	const at = instance ? ` at ${instance}` : '';
	return new SalesforceAuthError(
		'session-check-failed',
		Number.isFinite(status) && status > 0
			? `Salesforce's REST API${at} answered HTTP ${status} when the session was checked.`
			: `Salesforce's REST API${at} could not be reached when the session was checked.`,
		`Salesforce may be in maintenance (status.salesforce.com), or n8n cannot reach the org's instance URL${instance ? ` (${instance}, from the credential's session)` : ''}; run again later. If the org moved (a new My Domain, or a local stand-in on another port), open the credential and save it: it logs in afresh.`,
		Number.isFinite(status) && status > 0 ? { httpStatus: status } : {},
	);
}

/**
 * What a session check that did not simply succeed means (`checkSession`'s failure): undefined when
 * the session works after all (403 and the like: the user only lacks a permission for the resource);
 * else the error to report — `refused` when Salesforce turned down even a fresh session (asking
 * again never helps), not when Salesforce could not be reached or answered 5xx. Reported afresh:
 * n8n's own error would carry the request, Bearer header included.
 */
export function judgeSessionCheck(
	error: unknown,
	instance: string | undefined,
): { error: SalesforceAuthError; refused: boolean } | undefined {
	const failure = readCheckFailure(error);
	const cause = restSessionError(failure);
	if (cause) return { error: cause, refused: true };
	if (failure.status >= 400 && failure.status < 500) return undefined;
	return { error: sessionCheckError(failure.status, instance), refused: false };
}

/**
 * Proves the stored session alive with one cheap REST call, through n8n: it logs in (once) only if
 * the stored session is gone, ended, or was issued for other details than the credential's.
 */
async function checkStoredSession(connection: SalesforceConnection): Promise<void> {
	const error = await connection.checkSession();
	if (error === undefined) return;
	const failure = judgeSessionCheck(error, await connection.instanceUrl());
	if (failure) throw connection.nodeError(failure.error);
}

/**
 * Returns a session Salesforce has just accepted, logging in (once) only if the stored one is gone.
 * `checkEveryRun`: ask Salesforce even when it accepted the session in the last minute.
 */
export async function getLiveSession(
	connection: SalesforceConnection,
	options: { checkEveryRun?: boolean } = {},
): Promise<SalesforceSession> {
	const loginFields = await connection.credentials();
	const refusal = refusalInForce(loginFields);
	if (refusal) throw connection.nodeError(refusal);
	if (!options.checkEveryRun && storedSessionIssuedFor(loginFields)) {
		const recent = fromStoredFields(loginFields);
		if (recent && provenAliveRecently(recent.accessToken)) return recent;
	}

	// The session is read back from the store after the check. Between the two, an execution that
	// started before the credential was edited may have stored a session of the old details (n8n
	// saves what its login returned over the record): never hand that one out — check again, which
	// logs in with the current details, and give up with a clear error if it happens twice.
	for (let attempt = 1; ; attempt++) {
		await checkStoredSession(connection);
		const current = await connection.credentials();
		const stored = fromStoredFields(current);
		if (!stored) {
			throw new NodeOperationError(
				connection.node,
				'The credential holds no Salesforce session after logging in.',
				{
					description:
						'Open the credential (n8n tests it); if the test passes, run the workflow again.',
				},
			);
		}
		if (storedSessionIssuedFor(current)) {
			markSessionAlive(stored.accessToken);
			return stored;
		}
		if (attempt >= 2) {
			throw new NodeOperationError(
				connection.node,
				'The credential changed while this run was using it.',
				{
					description:
						"Another run stored a session of the credential's earlier login details. Run the workflow again; it will log in with the current details.",
				},
			);
		}
	}
}
