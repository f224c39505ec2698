/**
 * Request and answer kinds are options of the one send loop: text bodies and answers, stream
 * answers and stream bodies through n8n-core's real request helpers against the stand-in, and —
 * with a scripted n8n, which shows the options it is given — that a stream body is rebuilt by its
 * factory after a 401 and sent with redirects off, and that an abort signal stops the loop.
 */
import { Readable } from 'node:stream';
import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';
import { connect } from '../../../nodes/client';
import type { ClientContext } from '../../../nodes/client/context';
import type { ByteStream } from '../../../nodes/client/requests';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { CredentialStore } from '../../support/n8n-harness';
import { storedCredential, useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';
import { failureOf } from './support';

const standin = useStandin();

beforeEach(() => forgetAllSessions());

async function textOf(stream: ByteStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
	return Buffer.concat(chunks).toString('utf8');
}

/** A body in several chunks, as a file read from disk would come. */
function streamOf(text: string): Readable {
	const middle = Math.floor(text.length / 2);
	return Readable.from([Buffer.from(text.slice(0, middle)), Buffer.from(text.slice(middle))]);
}

describe('text', () => {
	it('sends a text body as it is, with its content type, and reads a text answer', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', [{ Name: 'Acme' }]);
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			const salesforce = connect(this);
			const update = await salesforce.send({
				method: 'PATCH',
				path: `sobjects/Account/${id}`,
				body: { text: '{"Phone":"555 0100"}', contentType: 'application/json' },
			});
			const read = await salesforce.send({
				method: 'GET',
				path: `sobjects/Account/${id}`,
				qs: { fields: 'Phone' },
				answer: 'text',
			});
			return { update: update.status, body: read.body, type: read.headers['content-type'] };
		});
		expect(result.update).toBe(204);
		expect(typeof result.body).toBe('string');
		expect(JSON.parse(result.body)).toMatchObject({ Phone: '555 0100' });
		expect(result.type).toMatch(/^application\/json/);
		const patch = sf.requests.find((request) => request.method === 'PATCH');
		expect(patch?.rawBody).toBe('{"Phone":"555 0100"}');
		expect(patch?.headers['content-type']).toBe('application/json');
	});

	it("explains Salesforce's refusal of a request that asked for text", async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await connect(this).send({
					method: 'GET',
					path: 'query',
					qs: { q: 'SELECT Nme FROM Account' },
					answer: 'text',
					what: 'running the SOQL query',
				});
			}),
		);
		expect(error.message).toMatch(
			/^Running the SOQL query failed: a field is unknown or not accessible .*\(HTTP 400, INVALID_FIELD\)\.$/,
		);
	});
});

describe('streams', () => {
	it('hands an answer over as an unread stream', async () => {
		const sf = standin();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			const { status, body } = await connect(this).send({
				method: 'GET',
				path: 'limits',
				answer: 'stream',
			});
			return { status, text: await textOf(body) };
		});
		expect(result.status).toBe(200);
		expect(JSON.parse(result.text).DailyApiRequests.Max).toBe(15000);
	});

	it('reads the error answer of a stream request to explain it', async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await connect(this).send({
					method: 'GET',
					path: 'sobjects/Nope__c/describe',
					answer: 'stream',
					what: 'downloading the file',
				});
			}),
		);
		expect(error.message).toMatch(/^Downloading the file failed: .*\(HTTP 404, NOT_FOUND\)\.$/);
	});

	it('sends a stream body; after Salesforce ended the session, logs in once and sends a new stream', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', [{ Name: 'Acme' }]);
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runProbe(
			sf,
			async function (this: IExecuteFunctions) {
				return (await connect(this).send({ method: 'GET', path: 'limits' })).status;
			},
			{ store, credential },
		);
		sf.expireAllSessions();
		let built = 0;
		const { result } = await runProbe(
			sf,
			async function (this: IExecuteFunctions) {
				const salesforce = connect(this);
				const { status } = await salesforce.send({
					method: 'PATCH',
					path: `sobjects/Account/${id}`,
					body: {
						stream: () => (built++, streamOf('{"Phone":"555 0199","Website":"acme.example"}')),
						contentType: 'application/json',
					},
				});
				return { status, sent: salesforce.requestsSent };
			},
			{ store, credential },
		);
		expect(result.status).toBe(204);
		expect(built).toBe(2);
		// The refused attempt, the session check that made n8n log in, the attempt with a new stream.
		expect(result.sent).toBe(3);
		expect(sf.loginCount).toBe(2);
		expect(sf.records('Account').find((row) => row.Id === id)).toMatchObject({
			Phone: '555 0199',
			Website: 'acme.example',
		});
		const patches = sf.requests.filter((request) => request.method === 'PATCH');
		expect(patches.map((request) => request.rawBody)).toEqual(
			Array(2).fill('{"Phone":"555 0199","Website":"acme.example"}'),
		);
	});
});

describe('what n8n is given (a scripted n8n)', () => {
	const node: INode = {
		id: '1',
		name: 'Salesforce',
		type: 'x',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};

	/** A context whose n8n answers from `answers` in turn and records the options of each request. */
	function scripted(answers: Array<(options: IHttpRequestOptions) => Promise<unknown>>): {
		context: ClientContext;
		sent: IHttpRequestOptions[];
	} {
		const sent: IHttpRequestOptions[] = [];
		const context: ClientContext = {
			getNode: () => node,
			getCredentials: async () => ({}),
			helpers: {
				httpRequestWithAuthentication: async (_type, options) => {
					sent.push(options);
					const answer = answers.shift();
					if (!answer) throw new Error('no more scripted answers');
					return await answer(options);
				},
			},
		};
		return { context, sent };
	}

	const answer =
		(statusCode: number, body: unknown = '') =>
		async () => ({ statusCode, headers: {}, body });

	it('a stream body: redirects off, every answer handed back, a new stream from the factory after a 401', async () => {
		const streams: Readable[] = [];
		const { context, sent } = scripted([
			answer(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]),
			answer(200, {}),
			answer(201, { id: '7505g000001', success: true }),
		]);
		const response = await connect(context).send({
			method: 'PUT',
			path: 'jobs/ingest/7505g000001/batches',
			body: {
				stream: () => streams[streams.push(streamOf('Name\nAcme\n')) - 1],
				contentType: 'text/csv',
				contentLength: 10,
			},
		});
		expect(response.status).toBe(201);
		expect(streams).toHaveLength(2);
		expect(streams[0]).not.toBe(streams[1]);
		expect(sent.map((options) => options.url)).toEqual([
			'/services/data/v62.0/jobs/ingest/7505g000001/batches',
			'/services/data/v62.0/limits',
			'/services/data/v62.0/jobs/ingest/7505g000001/batches',
		]);
		for (const [attempt, options] of [sent[0], sent[2]].entries()) {
			expect(options.body).toBe(streams[attempt]);
			expect(options.disableFollowRedirect).toBe(true);
			expect(options.ignoreHttpStatusErrors).toBe(true);
			expect(options.headers).toMatchObject({ 'Content-Type': 'text/csv', 'Content-Length': '10' });
		}
		// The session check lets n8n log in on its 401.
		expect(sent[1].ignoreHttpStatusErrors).toBeUndefined();
	});

	it('JSON and text bodies: n8n logs in again on a 401 itself, redirects as before', async () => {
		const { context, sent } = scripted([answer(200, {}), answer(200, 'ok')]);
		const salesforce = connect(context);
		await salesforce.send({
			method: 'POST',
			path: 'composite',
			body: { json: { compositeRequest: [] } },
		});
		await salesforce.send({
			method: 'PUT',
			path: 'jobs/ingest/750/batches',
			body: { text: 'Name\nAcme\n', contentType: 'text/csv' },
			answer: 'text',
		});
		expect(
			sent.map((options) => [options.ignoreHttpStatusErrors, options.disableFollowRedirect]),
		).toEqual([
			[{ ignore: true, except: [401] }, undefined],
			[{ ignore: true, except: [401] }, undefined],
		]);
		expect(sent[0]).toMatchObject({
			json: true,
			body: { compositeRequest: [] },
			headers: { Accept: 'application/json' },
		});
		expect(sent[1]).toMatchObject({
			encoding: 'text',
			body: 'Name\nAcme\n',
			headers: { 'Content-Type': 'text/csv' },
		});
	});

	it("reaches the Streaming API's /cometd/<version>, and passes timeout, headers and signal on", async () => {
		const { context, sent } = scripted([
			answer(200, [{ channel: '/meta/handshake', successful: true }]),
		]);
		const signal = new AbortController().signal;
		await connect(context).send({
			method: 'POST',
			path: '/cometd/62.0',
			body: { json: [{ channel: '/meta/handshake' }] },
			timeoutMs: 120_000,
			headers: { 'X-Trace': '1' },
			signal,
		});
		expect(sent[0]).toMatchObject({
			url: '/cometd/62.0',
			timeout: 120_000,
			abortSignal: signal,
			headers: { 'X-Trace': '1', Accept: 'application/json' },
		});
	});

	it('an aborted signal: nothing is sent', async () => {
		const { context, sent } = scripted([answer(200, {})]);
		const controller = new AbortController();
		controller.abort();
		await expect(
			connect(context).send({ method: 'GET', path: 'limits', signal: controller.signal }),
		).rejects.toThrow('Calling GET /services/data/v62.0/limits was cancelled.');
		expect(sent).toHaveLength(0);
	});

	it('a signal aborted while Salesforce has not answered: the connection stops waiting, and sends nothing more', async () => {
		const controller = new AbortController();
		const { context, sent } = scripted([async () => await new Promise(() => undefined)]);
		const sending = connect(context).send({
			method: 'GET',
			path: 'limits',
			signal: controller.signal,
			what: 'waiting for events',
		});
		await new Promise((resolve) => setImmediate(resolve));
		controller.abort();
		await expect(sending).rejects.toThrow('Waiting for events was cancelled.');
		expect(sent).toHaveLength(1);
	});

	it('a signal aborted before a retry: no retry', async () => {
		const controller = new AbortController();
		const { context, sent } = scripted([
			async () => {
				setImmediate(() => controller.abort());
				return {
					statusCode: 503,
					headers: {},
					body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }],
				};
			},
		]);
		await expect(
			connect(context).send({ method: 'GET', path: 'limits', signal: controller.signal }),
		).rejects.toThrow(/was cancelled\.$/);
		expect(sent).toHaveLength(1);
	});
});
