/**
 * The node transport through n8n-core's real ExecuteContext and request helpers, against the
 * stand-in: REST requests with the credential's session, retries, error translation, paging (also
 * across a session that ends mid-query), batched writes, and Get Access Token's session memory.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import { describeWriteOutcome, type RecordResult, type WriteResult } from '../../../nodes/salesforce';
import {
	forgetAllSessions,
	getLiveSession,
	lastApiUsage,
	queryRecords,
	restRequest,
	restRequestsSent,
	writeRecords,
} from '../../../nodes/client';
import { CredentialStore } from '../../support/n8n-harness';
import { runSalesforceAction, storedCredential, useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';

const standin = useStandin();

beforeEach(() => forgetAllSessions());

/** What `run` threw, or a failure of the test when it did not. */
async function failureOf(run: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	const outcome = await run.then(
		() => undefined,
		(error: unknown) => error,
	);
	if (!outcome) throw new Error('expected a failure');
	return outcome as NodeApiError | NodeOperationError;
}

/** Neither the error nor anything it carries (cause, context, messages) holds a session token. */
function expectNoToken(sf: SalesforceStandin, error: unknown, extraTokens: string[] = []): void {
	const seen = new Set<unknown>();
	const texts: string[] = [];
	const walk = (value: unknown, depth: number) => {
		if (depth > 8 || value === null || value === undefined || seen.has(value)) return;
		if (typeof value === 'string') texts.push(value);
		if (typeof value !== 'object') return;
		seen.add(value);
		for (const key of Object.getOwnPropertyNames(value)) walk((value as Record<string, unknown>)[key], depth + 1);
	};
	walk(error, 0);
	const everything = texts.join('\n');
	for (const token of [...sf.activeSessions(), ...extraTokens]) expect(everything).not.toContain(token);
	expect(everything).not.toMatch(/Bearer /);
}

function accounts(count: number, from = 0): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({ Name: `Account ${from + index}` }));
}

describe('restRequest', () => {
	it('sends through n8n with the credential\'s session and returns status, body and headers', async () => {
		const sf = standin();
		const before = restRequestsSent();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await restRequest.call<{ DailyApiRequests: { Max: number } }>(this, { method: 'GET', path: 'limits' });
		});
		expect(result.status).toBe(200);
		expect(result.body.DailyApiRequests.Max).toBe(15000);
		expect(result.headers['sforce-limit-info']).toMatch(/^api-usage=\d+\/15000/);
		expect(lastApiUsage()?.max).toBe(15000);
		expect(restRequestsSent() - before).toBe(1);
		expect(sf.loginCount).toBe(1);
		const rest = sf.requests.filter((request) => request.path.startsWith('/services/data/'));
		expect(rest.map((request) => request.path)).toEqual(['/services/data/v62.0/limits']);
		expect(rest[0].headers.authorization).toBe(`Bearer ${sf.activeSessions()[0]}`);
	});

	it('gives 204 answers (update) as status 204 and an empty body, and accepts /services/ paths', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', accounts(1));
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			const update = await restRequest.call(this, { method: 'PATCH', path: `sobjects/Account/${id}`, body: { Phone: '555' } });
			const read = await restRequest.call<Record<string, unknown>>(this, { method: 'GET', path: `/services/data/v62.0/sobjects/Account/${id}`, qs: { fields: 'Name,Phone' } });
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
				return await restRequest.call(this, { method: 'GET', path: 'https://evil.test/services/data/v62.0/limits' });
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Path: is a full URL/);
		expect(error.description).toMatch(/\/services\//);
		expect(sf.requests).toHaveLength(0);
	});

	it('translates Salesforce\'s error into what is wrong and what to change, without the request', async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await restRequest.call(this, { method: 'GET', path: 'query', qs: { q: 'SELECT Nme FROM Account' }, what: 'running the SOQL query' });
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Running the SOQL query failed: a field is unknown or not accessible/);
		expect(error.message).toMatch(/Nme/);
		expect(error.description).toMatch(/field-level security/);
		expect((error as NodeApiError).httpCode).toBe('400');
		expectNoToken(sf, error);
	});

	it('sends a locked record\'s request again twice, after 0.5 s and 1 s', async () => {
		const sf = standin();
		sf.setRestFault({ kind: 'unable-to-lock-row' }, { times: 2 });
		const started = Date.now();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return (await restRequest.call(this, { method: 'GET', path: 'limits' })).status;
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
				return await restRequest.call(this, { method: 'GET', path: 'limits' });
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
				return await restRequest.call(this, { method: 'GET', path: 'limits' });
			}),
		);
		expect(error.message).toMatch(/daily API request limit/);
		expect(error.description).toMatch(/^Not retried/);
		expect(error.description).toMatch(/Company Information/);
		expect(sf.requests.filter((request) => request.path.startsWith('/services/data/'))).toHaveLength(1);
	});

	it('passes the credential\'s login failure through untouched, and sends no REST request', async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(
				sf,
				async function (this: IExecuteFunctions) {
					return await restRequest.call(this, { method: 'GET', path: 'limits' });
				},
				{ credential: storedCredential(sf, { password: 'wrong' }) },
			),
		);
		expect(error.message).toBe('Salesforce refused the username and password (authentication failure).');
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(sf.requests.filter((request) => request.path.startsWith('/services/data/'))).toHaveLength(0);
	});

	it('replaces a session Salesforce has ended with one login, and sends the request once more', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		const body = async function (this: IExecuteFunctions) {
			return (await restRequest.call(this, { method: 'GET', path: 'limits' })).status;
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
				return await restRequest.call(this, { method: 'GET', path: 'limits' });
			}),
		);
		expect(error.description).toMatch(/High Assurance/);
		expect(sf.loginCount).toBeLessThanOrEqual(2);
		expectNoToken(sf, error);
	});
});

describe('restRequest on n8n 1.x, which hands a 401 back instead of logging in', () => {
	it('asks n8n for a login with a session check, then sends the request once more', async () => {
		const calls: Array<{ url?: string; ignore: unknown }> = [];
		const answers = [
			{ statusCode: 401, headers: {}, body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }] },
			{ statusCode: 200, headers: {}, body: {} },
			{ statusCode: 200, headers: {}, body: { ok: true } },
		];
		const context = {
			getNode: () => ({ name: 'Salesforce', type: 'x', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' }),
			getCredentials: async () => ({ accessToken: 'dead', instanceUrl: 'https://x.my.salesforce.com' }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: { url?: string; ignoreHttpStatusErrors?: unknown }) => {
					calls.push({ url: options.url, ignore: options.ignoreHttpStatusErrors });
					return answers.shift();
				},
			},
		} as unknown as IExecuteFunctions;
		const response = await restRequest.call(context, { method: 'GET', path: 'sobjects' });
		expect(response.body).toEqual({ ok: true });
		expect(calls).toEqual([
			{ url: '/services/data/v62.0/sobjects', ignore: { ignore: true, except: [401] } },
			{ url: '/services/data/v62.0/limits', ignore: undefined },
			{ url: '/services/data/v62.0/sobjects', ignore: { ignore: true, except: [401] } },
		]);
	});
});

describe('queryRecords', () => {
	it('follows nextRecordsUrl: 4,503 accounts in 3 requests of up to 2,000', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(4500));
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await queryRecords.call(this, 'SELECT Id, Name FROM Account');
		});
		expect(result).toHaveLength(4503);
		expect(new Set(result.map((record) => record.Id)).size).toBe(4503);
		expect(sf.apiRequestCount).toBe(3);
		const paths = sf.requests.filter((request) => request.path.startsWith('/services/data/')).map((request) => request.path);
		expect(paths[0]).toBe('/services/data/v62.0/query');
		expect(paths.slice(1).every((path) => /^\/services\/data\/v62\.0\/query\/\w+-\d+$/.test(path))).toBe(true);
	});

	it('stops at the limit, and asks for the page size given', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(1500));
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await queryRecords.call(this, 'SELECT Id FROM Account', { limit: 700, batchSize: 500 });
		});
		expect(result).toHaveLength(700);
		expect(sf.apiRequestCount).toBe(2);
		expect(sf.requests.find((request) => request.path.startsWith('/services/data/'))?.headers['sforce-query-options']).toBe('batchSize=500');
	});

	it('keeps paging across a session that ends mid-query: one login, the page asked again', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(4500));
		sf.expireSessionsAfterRequests(1);
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await queryRecords.call(this, 'SELECT Id FROM Account');
		});
		expect(result).toHaveLength(4503);
		expect(sf.loginCount).toBe(2);
		const rest = sf.requests.filter((request) => request.path.startsWith('/services/data/'));
		// page 1, page 2 (401), the credential's check of the stored session (401: dead, so it logs in),
		// page 2 again with the new session, page 3.
		expect(rest.map((request) => request.path.replace(/\/query\/.*/, '/query/…'))).toEqual([
			'/services/data/v62.0/query',
			'/services/data/v62.0/query/…',
			'/services/data/v62.0/limits',
			'/services/data/v62.0/query/…',
			'/services/data/v62.0/query/…',
		]);
	});

	it('queryAll includes deleted records', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', accounts(1));
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			await restRequest.call(this, { method: 'DELETE', path: `sobjects/Account/${id}` });
			const soql = `SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`;
			return { live: await queryRecords.call(this, soql), all: await queryRecords.call(this, soql, { includeDeleted: true }) };
		});
		expect(result.live).toHaveLength(0);
		expect(result.all).toMatchObject([{ Id: id, IsDeleted: true }]);
	});

	it('names the page of a cursor that is gone', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(2500));
		sf.setRestFault({ kind: 'error', status: 400, errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }, { path: /\/query\/.+/ });
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await queryRecords.call(this, 'SELECT Id FROM Account');
			}),
		);
		expect(error.message).toMatch(/^Running the SOQL query \(page 2\) failed: the query's cursor is gone/);
		expect(error.description).toMatch(/run the query again/);
	});

	it('refuses a page size out of range before any request', async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await queryRecords.call(this, 'SELECT Id FROM Account', { batchSize: 100 });
			}),
		);
		expect(error.message).toMatch(/^Page Size: 100 is not a whole number from 200 to 2000/);
		expect(sf.requests).toHaveLength(0);
	});
});

describe('writeRecords', () => {
	it('creates 450 records in 3 requests, one result per record in order', async () => {
		const sf = standin();
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords.call(this, { operation: 'create', sobject: 'Account', records: accounts(450), batchSize: 200, allOrNone: true, stopAfterFailedBatch: true });
		});
		expect(result).toHaveLength(450);
		expect(result.every((entry) => entry !== 'notSent' && entry.success && /^001\w{15}$/.test(entry.id ?? ''))).toBe(true);
		expect(sf.apiRequestCount).toBe(3);
		const saved = new Map(sf.records('Account').map((row) => [row.Id, row.Name]));
		(result as RecordResult[]).forEach((entry, index) => expect(saved.get(entry.id as string)).toBe(`Account ${index}`));
		const first = sf.requests.find((request) => request.path.endsWith('/composite/sobjects'));
		const sent = JSON.parse(first?.rawBody ?? '{}');
		expect(sent.allOrNone).toBe(true);
		expect(sent.records).toHaveLength(200);
		expect(sent.records[0]).toEqual({ attributes: { type: 'Account' }, Name: 'Account 0' });
	});

	it('all-or-none: stops after the first failing batch; the outcome names what was written, rolled back and never sent', async () => {
		const sf = standin();
		const records = accounts(5);
		delete records[3].Name;
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords.call(this, { operation: 'create', sobject: 'Account', records, batchSize: 2, allOrNone: true, stopAfterFailedBatch: true });
		});
		expect(result[0]).toMatchObject({ success: true, batch: 1 });
		expect(result[1]).toMatchObject({ success: true, batch: 1 });
		expect(result[2]).toMatchObject({ success: false, batch: 2, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
		expect(result[3]).toMatchObject({ success: false, batch: 2, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }] });
		expect(result[4]).toBe('notSent');
		expect(sf.records('Account').filter((row) => String(row.Name).startsWith('Account '))).toHaveLength(2);

		const error = describeWriteOutcome({ operation: 'create', sobject: 'Account', batchSize: 2, outcomes: result.map((entry, itemIndex) => ({ itemIndex, result: entry })) });
		expect(error.message).toMatch(/^Creating Account records stopped at batch 2 of 3: item 3 failed \(REQUIRED_FIELD_MISSING: /);
		expect(error.description).toMatch(/Written: items 0–1 — ids in item order: 001\w{15}, 001\w{15}\./);
		expect(error.description).toMatch(/Rolled back with batch 2 .*: item 2\./);
		expect(error.description).toMatch(/Never sent: item 4\./);
	});

	it('continue-on-fail style: every record its own result, every batch sent', async () => {
		const sf = standin();
		sf.resetRecords();
		const records = accounts(5);
		records[1].Name = '';
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords.call(this, { operation: 'create', sobject: 'Account', records, batchSize: 2, allOrNone: false, stopAfterFailedBatch: false });
		});
		expect(result.map((entry) => (entry as RecordResult).success)).toEqual([true, false, true, true, true]);
		expect(sf.apiRequestCount).toBe(3);
		expect(sf.requests.filter((request) => request.path.endsWith('/composite/sobjects')).map((request) => JSON.parse(request.rawBody).allOrNone)).toEqual([false, false, false]);
	});

	it('updates, upserts on an external id, and deletes', async () => {
		const sf = standin();
		const ids = sf.insertRecords('Account', accounts(2));
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			const update = await writeRecords.call(this, { operation: 'update', sobject: 'Account', records: ids.map((Id) => ({ Id, Phone: '555' })), allOrNone: true, stopAfterFailedBatch: true });
			const upsert = await writeRecords.call(this, {
				operation: 'upsert',
				sobject: 'Invoice__c',
				externalIdField: 'Invoice_Number__c',
				records: [{ Invoice_Number__c: 'INV-NEW-1', Amount__c: 10 }, { Invoice_Number__c: 'INV-NEW-1', Amount__c: 20 }].slice(0, 1),
				allOrNone: true,
				stopAfterFailedBatch: true,
			});
			const again = await writeRecords.call(this, { operation: 'upsert', sobject: 'Invoice__c', externalIdField: 'Invoice_Number__c', records: [{ Invoice_Number__c: 'INV-NEW-1', Amount__c: 20 }], allOrNone: true, stopAfterFailedBatch: true });
			const removed = await writeRecords.call(this, { operation: 'delete', sobject: 'Account', records: [ids[0], { Id: ids[1] }], allOrNone: false, stopAfterFailedBatch: false });
			return { update, upsert, again, removed };
		});
		expect(result.update.every((entry) => (entry as RecordResult).success)).toBe(true);
		expect(result.upsert[0]).toMatchObject({ success: true, created: true });
		expect(result.again[0]).toMatchObject({ success: true, created: false, id: (result.upsert[0] as RecordResult).id });
		expect(result.removed.map((entry) => (entry as RecordResult).success)).toEqual([true, true]);
		const rows = sf.records('Account').filter((row) => ids.includes(row.Id));
		expect(rows.every((row) => row.IsDeleted && row.Phone === '555')).toBe(true);
		expect(sf.records('Invoice__c').find((row) => row.Invoice_Number__c === 'INV-NEW-1')?.Amount__c).toBe(20);
		const paths = sf.requests.filter((request) => request.path.includes('/composite/')).map((request) => `${request.method} ${request.path}`);
		expect(paths).toEqual([
			'PATCH /services/data/v62.0/composite/sobjects',
			'PATCH /services/data/v62.0/composite/sobjects/Invoice__c/Invoice_Number__c',
			'PATCH /services/data/v62.0/composite/sobjects/Invoice__c/Invoice_Number__c',
			'DELETE /services/data/v62.0/composite/sobjects',
		]);
	});

	it('a batch refused as a whole: its records carry the error; with stop, the rest is not sent', async () => {
		const sf = standin();
		sf.setRestFault({ kind: 'error', status: 400, errorCode: 'INVALID_FIELD', message: 'No such column \'Nope__c\' on sobject of type Account' }, { path: /composite/, times: 1 });
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords.call(this, { operation: 'create', sobject: 'Account', records: accounts(3), batchSize: 1, allOrNone: true, stopAfterFailedBatch: true });
		});
		expect(result[0]).toMatchObject({ success: false, batch: 1, errors: [{ statusCode: 'INVALID_FIELD' }] });
		expect((result[0] as RecordResult).batchError?.description).toMatch(/field-level security/);
		expect(result.slice(1)).toEqual(['notSent', 'notSent']);
		expect(sf.apiRequestCount).toBe(1);
	});

	it('the daily limit in continue-on-fail style: one refused request, the rest answered without sending', async () => {
		const sf = standin();
		sf.setApiUsage({ used: 15000 });
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await writeRecords.call(this, { operation: 'create', sobject: 'Account', records: accounts(3), batchSize: 1, allOrNone: false, stopAfterFailedBatch: false });
		});
		expect(result.every((entry) => entry !== 'notSent' && entry.batchError?.dailyLimit === true)).toBe(true);
		expect(sf.requests.filter((request) => request.path.startsWith('/services/data/'))).toHaveLength(1);
	});

	it('refuses bad input before any request', async () => {
		const sf = standin();
		const attempts: Array<[string, (this: IExecuteFunctions) => Promise<WriteResult[]>, RegExp]> = [
			['object', async function (this: IExecuteFunctions) { return await writeRecords.call(this, { operation: 'create', sobject: 'Account; x', records: [{}], allOrNone: true, stopAfterFailedBatch: true }); }, /^Object: /],
			['batch size', async function (this: IExecuteFunctions) { return await writeRecords.call(this, { operation: 'create', sobject: 'Account', records: [{}], batchSize: 201, allOrNone: true, stopAfterFailedBatch: true }); }, /^Batch Size: /],
			['record id', async function (this: IExecuteFunctions) { return await writeRecords.call(this, { operation: 'update', sobject: 'Account', records: [{ Name: 'x' }], allOrNone: true, stopAfterFailedBatch: true }); }, /^Record ID: is empty/],
			['external id', async function (this: IExecuteFunctions) { return await writeRecords.call(this, { operation: 'upsert', sobject: 'Invoice__c', externalIdField: 'Invoice_Number__c', records: [{ Amount__c: 1 }], allOrNone: true, stopAfterFailedBatch: true }); }, /^External ID Field: record 1 of the write has no value for Invoice_Number__c/],
			['delete id', async function (this: IExecuteFunctions) { return await writeRecords.call(this, { operation: 'delete', sobject: 'Account', records: ['001\' OR'], allOrNone: true, stopAfterFailedBatch: true }); }, /^Record ID: /],
		];
		for (const [, body, message] of attempts) {
			const error = await failureOf(runProbe(sf, body));
			expect(error.message).toMatch(message);
		}
		expect(sf.requests).toHaveLength(0);
	});
});

describe('Get Access Token proves a session alive at most once a minute', () => {
	it('50 executions in a row: one session check', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		for (let run = 0; run < 50; run++) await runSalesforceAction({ credential, store });
		expect(sf.requests.filter((request) => request.path === '/services/data/v62.0/limits')).toHaveLength(1);
		expect(sf.loginCount).toBe(1);
	});

	it('a session any REST request just used needs no check of its own', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runProbe(sf, async function (this: IExecuteFunctions) {
			return await queryRecords.call(this, 'SELECT Id FROM Account');
		}, { store, credential });
		sf.resetRecords();
		const { output } = await runSalesforceAction({ credential, store });
		expect(output[0][0].json.SF_ACCESS_TOKEN).toBe(sf.activeSessions()[0]);
		expect(sf.requests).toHaveLength(0);
	});

	it('checks again once the minute is over, and replaces a session that ended meanwhile', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runSalesforceAction({ credential, store });
		const first = sf.activeSessions()[0];
		sf.expireAllSessions();
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
		try {
			const { output } = await runSalesforceAction({ credential, store });
			expect(output[0][0].json.SF_ACCESS_TOKEN).not.toBe(first);
			expect(sf.loginCount).toBe(2);
		} finally {
			clock.mockRestore();
		}
	});

	it('never hands out a remembered session of details the credential no longer has', async () => {
		const sf = standin();
		const store = new CredentialStore();
		const credential = storedCredential(sf);
		await runSalesforceAction({ credential, store });
		const first = sf.activeSessions()[0];
		// The credential is edited (another user): its stored session belongs to the old details.
		sf.users.push({ username: 'other@example.com', password: 'Other#Pass1', securityToken: sf.demo.securityToken });
		store.patchData(credential.id, { username: 'other@example.com', password: 'Other#Pass1' });
		const { output } = await runSalesforceAction({ credential, store });
		expect(output[0][0].json.SF_ACCESS_TOKEN).not.toBe(first);
		expect(sf.loginCount).toBe(2);
	});

	it('getLiveSession remembers only a hash of the token', async () => {
		const sf = standin();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return (await getLiveSession.call(this)).accessToken;
		});
		const liveSessions = await import('../../../nodes/client/liveSessions');
		expect(liveSessions.provenAliveRecently(result)).toBe(true);
		expect(JSON.stringify(Object.values(liveSessions))).not.toContain(result);
	});
});
