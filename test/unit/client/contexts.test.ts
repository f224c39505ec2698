/**
 * One client for every kind of node: a connection made from n8n-core's real poll, trigger and
 * load-options contexts (as n8n 2.41 builds them) sends with the credential's session, renews an
 * ended one, pages a query, and counts its own requests — as from a node's execution.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { connect, queryRecords } from '../../../nodes/client';
import type { ClientContext } from '../../../nodes/client/context';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { loadOptionsContext, pollContext, triggerContext } from '../../support/n8n-contexts';
import { CredentialStore, type StoredCredential } from '../../support/n8n-harness';
import { credentialType, storedCredential, useStandin } from '../../support/fixtures';
import { runProbe, transportProbe } from '../../support/transportProbe';
import { accounts } from './support';

const standin = useStandin();

beforeEach(() => forgetAllSessions());

type Kind = 'poll' | 'trigger' | 'loadOptions' | 'execute';

/** A context of `kind` for a node with `credential` selected, running `body` in it. */
async function inContext<T>(
	kind: Kind,
	sf: SalesforceStandin,
	store: CredentialStore,
	credential: StoredCredential,
	body: (context: ClientContext) => Promise<T>,
): Promise<T> {
	const options = {
		node: transportProbe(async () => undefined),
		parameters: {},
		credential,
		credentialTypes: [credentialType],
		store,
	};
	if (kind === 'poll') return await body(pollContext(options));
	if (kind === 'trigger') return await body(triggerContext(options).context);
	if (kind === 'loadOptions') return await body(loadOptionsContext(options));
	return (
		await runProbe(
			sf,
			async function (this: IExecuteFunctions) {
				return await body(this);
			},
			{ store, credential },
		)
	).result;
}

const KINDS: Kind[] = ['poll', 'trigger', 'loadOptions', 'execute'];

describe.each(KINDS)('a connection from a %s context', (kind) => {
	it("sends with the credential's session (one login, stored), and counts its requests", async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const result = await inContext(kind, sf, store, credential, async (context) => {
			const salesforce = connect(context);
			const { status } = await salesforce.send({ method: 'GET', path: 'limits' });
			return { status, sent: salesforce.requestsSent, usage: salesforce.apiUsage };
		});
		expect(result).toEqual({
			status: 200,
			sent: 1,
			usage: { used: expect.any(Number), max: 15000 },
		});
		expect(sf.loginCount).toBe(1);
		const session = store.getData(credential.id).accessToken;
		expect(
			sf.requests
				.filter((request) => request.path === '/services/data/v62.0/limits')
				.map((request) => request.headers.authorization),
		).toEqual([`Bearer ${session}`]);
	});

	it('renews a session Salesforce ended, and pages a query', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		sf.insertRecords('Account', accounts(2500));
		await inContext(
			kind,
			sf,
			store,
			credential,
			async (context) => await connect(context).send({ method: 'GET', path: 'limits' }),
		);
		sf.expireAllSessions();
		sf.resetRecords();
		const records = await inContext(
			kind,
			sf,
			store,
			credential,
			async (context) => await queryRecords(connect(context), 'SELECT Id FROM Account'),
		);
		expect(records).toHaveLength(2503);
		// Since the reset: one new login; two pages counted (the refused 401 is not).
		expect(sf.loginCount).toBe(1);
		expect(sf.apiRequestCount).toBe(2);
	});
});

describe('request counting', () => {
	it('belongs to each connection: two connections of one context count apart, retries included', async () => {
		const sf = standin();
		sf.setRestFault({ kind: 'unable-to-lock-row' }, { times: 1 });
		const counts = await inContext(
			'poll',
			sf,
			new CredentialStore(),
			storedCredential(sf),
			async (context) => {
				const first = connect(context);
				const second = connect(context);
				await first.send({ method: 'GET', path: 'limits' });
				await second.send({ method: 'GET', path: 'limits' });
				await second.send({ method: 'GET', path: 'sobjects' });
				return [first.requestsSent, second.requestsSent];
			},
		);
		// The first one's request was refused once (a lock) and sent again.
		expect(counts).toEqual([2, 2]);
		expect(sf.apiRequestCount).toBe(4);
	});
});
