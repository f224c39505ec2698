/**
 * The client's Streaming API module through n8n-core's real trigger context against the stand-in:
 * the POSTs carry the BAYEUX_BROWSER cookie the session keeps, every status comes back as it came,
 * a long poll ends at once when aborted, and the re-login a Bayeux 401 needs is one login — or an
 * honest "refused" / "unreachable".
 */
import { NodeApiError } from 'n8n-workflow';
import {
	connect,
	postBayeux,
	readChangedRecords,
	renewStreamingSession,
} from '../../../nodes/client';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import {
	changeEventsChannel,
	StreamingSession,
	type BayeuxRequest,
	type StreamingAction,
} from '../../../nodes/salesforce';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { triggerContext } from '../../support/n8n-contexts';
import { CredentialStore } from '../../support/n8n-harness';
import { credentialType, storedCredential, useStandin } from '../../support/fixtures';
import { transportProbe } from '../../support/transportProbe';
import { expectNoToken } from './support';

const standin = useStandin({ streaming: { longPollTimeoutMs: 60_000 } });

beforeEach(() => forgetAllSessions());

function connectionTo(
	sf: SalesforceStandin,
	store = new CredentialStore(),
	credential = storedCredential(sf),
) {
	const { context } = triggerContext({
		node: transportProbe(async () => undefined),
		parameters: {},
		credential,
		credentialTypes: [credentialType],
		store,
	});
	return connect(context);
}

function requestOf(action: StreamingAction): BayeuxRequest {
	if (action.kind !== 'send') throw new Error(`expected a send, got ${JSON.stringify(action)}`);
	return action.request;
}

describe('postBayeux', () => {
	it('handshake, subscribe and connect with the cookie the handshake set; no REST request counted', async () => {
		const sf = standin();
		const salesforce = connectionTo(sf);
		const session = new StreamingSession({
			channel: changeEventsChannel('Account'),
			apiVersion: '62.0',
			stored: undefined,
			replayFrom: 'new',
			now: Date.now,
		});
		let action = session.start();
		for (const purpose of ['handshake', 'subscribe', 'connect'] as const) {
			const request = requestOf(action);
			expect(request.purpose).toBe(purpose);
			const outcome = await postBayeux(salesforce, request);
			if (!('answer' in outcome)) throw outcome.noAnswer;
			if (purpose === 'handshake')
				expect(outcome.answer.headers?.['set-cookie']).toEqual([
					expect.stringMatching(/^BAYEUX_BROWSER=/),
				]);
			action = session.answered(outcome.answer);
		}
		expect(session.isEstablished).toBe(true);
		const cometd = sf.requests.filter((request) => request.path === '/cometd/62.0');
		expect(cometd.map((request) => request.headers.cookie)).toEqual([
			undefined,
			expect.stringMatching(/^BAYEUX_BROWSER=/),
			expect.stringMatching(/^BAYEUX_BROWSER=/),
		]);
		expect(
			cometd.every(
				(request) => request.headers.authorization === `Bearer ${sf.activeSessions()[0]}`,
			),
		).toBe(true);
		expect(sf.apiRequestCount).toBe(0);
	});

	it('hands back an answer of any status as it came (a 400 with Bayeux messages), sending it once', async () => {
		const sf = standin();
		const outcome = await postBayeux(connectionTo(sf), {
			purpose: 'handshake',
			path: '/cometd/30.0',
			body: [{ channel: '/meta/handshake', id: '1' }],
			timeoutMs: 10_000,
		});
		if (!('answer' in outcome)) throw outcome.noAnswer;
		expect(outcome.answer.status).toBe(400);
		expect(outcome.answer.body).toEqual([
			expect.objectContaining({
				channel: '/meta/handshake',
				successful: false,
				error: expect.stringMatching(/^400::Unsupported API version/),
			}),
		]);
		expect(sf.requests.filter((request) => request.path.startsWith('/cometd/'))).toHaveLength(1);
	});

	it('no answer (the stand-in is offline) is a failure to log, not a throw', async () => {
		const sf = standin();
		const salesforce = connectionTo(sf);
		await salesforce.send({ method: 'GET', path: 'limits' });
		await sf.takeOffline('reset');
		const outcome = await postBayeux(salesforce, {
			purpose: 'handshake',
			path: '/cometd/62.0',
			body: [{ channel: '/meta/handshake', id: '1' }],
			timeoutMs: 10_000,
		});
		await sf.bringOnline();
		expect('noAnswer' in outcome && outcome.noAnswer.message).toMatch(/handshake/);
	});

	it("an aborted long poll ends at once, with n8n's error saying it was cancelled", async () => {
		const sf = standin();
		const salesforce = connectionTo(sf);
		const session = new StreamingSession({
			channel: changeEventsChannel('Account'),
			apiVersion: '62.0',
			stored: undefined,
			replayFrom: 'new',
			now: Date.now,
		});
		let action = session.start();
		for (let step = 0; step < 3; step++) {
			const outcome = await postBayeux(salesforce, requestOf(action));
			if (!('answer' in outcome)) throw outcome.noAnswer;
			action = session.answered(outcome.answer);
		}
		const abort = new AbortController();
		const held = postBayeux(salesforce, requestOf(action), abort.signal);
		for (let waited = 0; !sf.streamingClients().some((client) => client.connectHeld); waited++) {
			if (waited > 1000) throw new Error('the connect was never held');
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		abort.abort();
		await expect(held).rejects.toThrow(/cancel/i);
	});
});

describe('renewStreamingSession', () => {
	it('an ended session: one login through the credential, renewed', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await connectionTo(sf, store, credential).send({ method: 'GET', path: 'limits' });
		sf.expireAllSessions();
		expect(await renewStreamingSession(connectionTo(sf, store, credential))).toEqual({
			renewed: true,
		});
		expect(sf.loginCount).toBe(2);
	});

	it('a session that still works for REST: renewed without a login (a second Bayeux 401 then stops the subscription)', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await connectionTo(sf, store, credential).send({ method: 'GET', path: 'limits' });
		expect(await renewStreamingSession(connectionTo(sf, store, credential))).toEqual({
			renewed: true,
		});
		expect(sf.loginCount).toBe(1);
	});

	it("a login Salesforce refuses: refused, with the credential's error and no token; never asked twice", async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await connectionTo(sf, store, credential).send({ method: 'GET', path: 'limits' });
		sf.users[0].status = 'locked';
		sf.expireAllSessions();
		const renewal = await renewStreamingSession(connectionTo(sf, store, credential));
		if (!('refused' in renewal))
			throw new Error(`expected refused, got ${JSON.stringify(renewal)}`);
		expect(renewal.refused).toBeInstanceOf(NodeApiError);
		expect(renewal.refused.message).toMatch(/authentication failure/i);
		expect(sf.tokenRequests()).toHaveLength(2);
		expectNoToken(sf, renewal.refused);
	});

	it('Salesforce out of reach: unreachable (nothing refused, ask again later)', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await connectionTo(sf, store, credential).send({ method: 'GET', path: 'limits' });
		sf.expireAllSessions();
		await sf.takeOffline('refuse');
		const renewal = await renewStreamingSession(connectionTo(sf, store, credential));
		await sf.bringOnline();
		expect(Object.keys(renewal)).toEqual(['unreachable']);
	});
});

describe('readChangedRecords', () => {
	it('reads the records changes name: one Collections request per object and 200 ids, every field, deleted ones absent', async () => {
		const sf = standin();
		const accounts = sf.insertRecords(
			'Account',
			Array.from({ length: 201 }, (_, index) => ({ Name: `R${index}` })),
		);
		const [invoice] = sf.insertRecords('Invoice__c', [{ Account__c: accounts[0], Amount__c: 5 }]);
		sf.deleteRecords('Account', [accounts[200]]);
		sf.resetRecords();
		const read = await readChangedRecords(connectionTo(sf), [
			{ entityName: 'Account', changeType: 'UPDATE', recordIds: accounts },
			{ entityName: 'Invoice__c', changeType: 'CREATE', recordIds: [invoice] },
		]);
		expect(read.size).toBe(201);
		expect(read.get(accounts[0])).toMatchObject({
			Id: accounts[0],
			Name: 'R0',
			Phone: null,
			Website: null,
			CreatedDate: expect.any(String),
		});
		expect(read.get(invoice)).toMatchObject({ Amount__c: 5 });
		expect(read.has(accounts[200])).toBe(false);
		const reads = sf.requests.filter((request) => request.path.includes('/composite/sobjects/'));
		expect(
			reads.map((request) => [
				request.method,
				request.path.split('/').pop(),
				JSON.parse(request.rawBody).ids.length,
			]),
		).toEqual([
			['POST', 'Account', 200],
			['POST', 'Account', 1],
			['POST', 'Invoice__c', 1],
		]);
		// Two describes (one per object) and three reads.
		expect(sf.apiRequestCount).toBe(5);
	});
});
