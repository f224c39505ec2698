/**
 * The connection through n8n-core's real ExecuteContext and request helpers, against the stand-in:
 * requests with the credential's session, what the connection counts, retries, error translation,
 * and n8n 1.x's way of handing a 401 back.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import { connect } from '../../../nodes/client';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { CredentialStore } from '../../support/n8n-harness';
import { storedCredential, useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';
import { accounts, expectNoToken, failureOf } from './support';

const standin = useStandin();

beforeEach(() => forgetAllSessions());

describe('send', () => {
	it("sends through n8n with the credential's session and returns status, body and headers", async () => {
		const sf = standin();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			const salesforce = connect(this);
			const response = await salesforce.send<{ DailyApiRequests: { Max: number } }>({
				method: 'GET',
				path: 'limits',
			});
			return { ...response, apiUsage: salesforce.apiUsage, requestsSent: salesforce.requestsSent };
		});
		expect(result.status).toBe(200);
		expect(result.body.DailyApiRequests.Max).toBe(15000);
		expect(result.headers['sforce-limit-info']).toMatch(/^api-usage=\d+\/15000/);
		expect(result.apiUsage?.max).toBe(15000);
		expect(result.requestsSent).toBe(1);
		expect(sf.loginCount).toBe(1);
		const rest = sf.requests.filter((request) => request.path.startsWith('/services/data/'));
		expect(rest.map((request) => request.path)).toEqual(['/services/data/v62.0/limits']);
		expect(rest[0].headers.authorization).toBe(`Bearer ${sf.activeSessions()[0]}`);
	});

	it('gives 204 answers (update) as status 204 and an empty body, and accepts /services/ paths', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', accounts(1));
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			const update = await connect(this).send({
				method: 'PATCH',
				path: `sobjects/Account/${id}`,
				body: { json: { Phone: '555' } },
			});
			const read = await connect(this).send<Record<string, unknown>>({
				method: 'GET',
				path: `/services/data/v62.0/sobjects/Account/${id}`,
				qs: { fields: 'Name,Phone' },
			});
			return { update, read: read.body };
		});
		expect(result.update.status).toBe(204);
		expect(result.update.body).toBe('');
		expect(result.read).toMatchObject({ Name: 'Account 0', Phone: '555' });
	});

	it('refuses a path outside /services/ naming the Path parameter, before any request', async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await connect(this).send({
					method: 'GET',
					path: 'https://evil.test/services/data/v62.0/limits',
				});
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Path: is a full URL/);
		expect(error.description).toMatch(/\/services\//);
		expect(sf.requests).toHaveLength(0);
	});

	it("translates Salesforce's error into what is wrong and what to change, without the request", async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await connect(this).send({
					method: 'GET',
					path: 'query',
					qs: { q: 'SELECT Nme FROM Account' },
					what: 'running the SOQL query',
				});
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(
			/^Running the SOQL query failed: a field is unknown or not accessible/,
		);
		expect(error.message).toMatch(/Nme/);
		expect(error.description).toMatch(/field-level security/);
		expect((error as NodeApiError).httpCode).toBe('400');
		expectNoToken(sf, error);
	});

	it("sends a locked record's request again twice, after 0.5 s and 1 s", async () => {
		const sf = standin();
		sf.setRestFault({ kind: 'unable-to-lock-row' }, { times: 2 });
		const started = Date.now();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return (await connect(this).send({ method: 'GET', path: 'limits' })).status;
		});
		expect(result).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
		expect(sf.apiRequestCount).toBe(3);
	});

	it('gives up on an unavailable Salesforce after two retries and says so', async () => {
		const sf = standin();
		sf.setRestFault({ kind: 'server-unavailable' });
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await connect(this).send({ method: 'GET', path: 'limits' });
			}),
		);
		expect(error.message).toMatch(/Salesforce is unavailable/);
		expect(error.description).toMatch(/^Already retried twice/);
		expect(sf.apiRequestCount).toBe(3);
	});

	it('never retries the daily API limit, and says so', async () => {
		const sf = standin();
		sf.setApiUsage({ used: 15000 });
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await connect(this).send({ method: 'GET', path: 'limits' });
			}),
		);
		expect(error.message).toMatch(/daily API request limit/);
		expect(error.description).toMatch(/^Not retried/);
		expect(error.description).toMatch(/Company Information/);
		expect(
			sf.requests.filter((request) => request.path.startsWith('/services/data/')),
		).toHaveLength(1);
	});

	it("passes the credential's login failure through untouched, and sends no REST request", async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(
				sf,
				async function (this: IExecuteFunctions) {
					return await connect(this).send({ method: 'GET', path: 'limits' });
				},
				{ credential: storedCredential(sf, { password: 'wrong' }) },
			),
		);
		expect(error.message).toBe(
			'Salesforce refused the username and password (authentication failure).',
		);
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(
			sf.requests.filter((request) => request.path.startsWith('/services/data/')),
		).toHaveLength(0);
	});

	it('replaces a session Salesforce has ended with one login, and sends the request once more', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const body = async function (this: IExecuteFunctions) {
			return (await connect(this).send({ method: 'GET', path: 'limits' })).status;
		};
		await runProbe(sf, body, { store, credential });
		const first = sf.activeSessions()[0];
		sf.expireAllSessions();
		const { result } = await runProbe(sf, body, { store, credential });
		expect(result).toBe(200);
		expect(sf.loginCount).toBe(2);
		expect(store.getData(credential.id).accessToken).not.toBe(first);
	});

	it('explains a session the REST API refuses even after a new login (High Assurance)', async () => {
		const sf = standin();
		sf.users[0].highAssurance = true;
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await connect(this).send({ method: 'GET', path: 'limits' });
			}),
		);
		expect(error.description).toMatch(/High Assurance/);
		expect(sf.loginCount).toBeLessThanOrEqual(2);
		expectNoToken(sf, error);
	});
});

describe('send on n8n 1.x, which hands a 401 back instead of logging in', () => {
	it('asks n8n for a login with a session check, then sends the request once more', async () => {
		const calls: Array<{ url?: string; ignore: unknown }> = [];
		const answers = [
			{
				statusCode: 401,
				headers: {},
				body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
			},
			{ statusCode: 200, headers: {}, body: {} },
			{ statusCode: 200, headers: {}, body: { ok: true } },
		];
		const context = {
			getNode: () => ({
				name: 'Salesforce',
				type: 'x',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
				id: '1',
			}),
			getCredentials: async () => ({
				accessToken: 'dead',
				instanceUrl: 'https://x.my.salesforce.com',
			}),
			helpers: {
				httpRequestWithAuthentication: async (
					_type: string,
					options: { url?: string; ignoreHttpStatusErrors?: unknown },
				) => {
					calls.push({ url: options.url, ignore: options.ignoreHttpStatusErrors });
					return answers.shift();
				},
			},
		} as unknown as IExecuteFunctions;
		const response = await connect(context).send({ method: 'GET', path: 'sobjects' });
		expect(response.body).toEqual({ ok: true });
		expect(calls).toEqual([
			{ url: '/services/data/v62.0/sobjects', ignore: { ignore: true, except: [401] } },
			{ url: '/services/data/v62.0/limits', ignore: undefined },
			{ url: '/services/data/v62.0/sobjects', ignore: { ignore: true, except: [401] } },
		]);
	});
});
