/**
 * SOQL through the connection, against the stand-in: every page (also across a session that ends
 * mid-query), the limit and page size, queryAll, and a cursor that is gone.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { connect, queryRecords } from '../../../nodes/client';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';
import { accounts, failureOf } from './support';

const standin = useStandin();

beforeEach(() => forgetAllSessions());

describe('queryRecords', () => {
	it('follows nextRecordsUrl: 4,503 accounts in 3 requests of up to 2,000', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(4500));
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await queryRecords(connect(this), 'SELECT Id, Name FROM Account');
		});
		expect(result).toHaveLength(4503);
		expect(new Set(result.map((record) => record.Id)).size).toBe(4503);
		expect(sf.apiRequestCount).toBe(3);
		const paths = sf.requests
			.filter((request) => request.path.startsWith('/services/data/'))
			.map((request) => request.path);
		expect(paths[0]).toBe('/services/data/v62.0/query');
		expect(
			paths.slice(1).every((path) => /^\/services\/data\/v62\.0\/query\/\w+-\d+$/.test(path)),
		).toBe(true);
	});

	it('stops at the limit, and asks for the page size given', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(1500));
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await queryRecords(connect(this), 'SELECT Id FROM Account', {
				limit: 700,
				batchSize: 500,
			});
		});
		expect(result).toHaveLength(700);
		expect(sf.apiRequestCount).toBe(2);
		expect(
			sf.requests.find((request) => request.path.startsWith('/services/data/'))?.headers[
				'sforce-query-options'
			],
		).toBe('batchSize=500');
	});

	it('keeps paging across a session that ends mid-query: one login, the page asked again', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(4500));
		sf.expireSessionsAfterRequests(1);
		sf.resetRecords();
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await queryRecords(connect(this), 'SELECT Id FROM Account');
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
			await connect(this).send({ method: 'DELETE', path: `sobjects/Account/${id}` });
			const soql = `SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`;
			return {
				live: await queryRecords(connect(this), soql),
				all: await queryRecords(connect(this), soql, { includeDeleted: true }),
			};
		});
		expect(result.live).toHaveLength(0);
		expect(result.all).toMatchObject([{ Id: id, IsDeleted: true }]);
	});

	it('names the page of a cursor that is gone', async () => {
		const sf = standin();
		sf.insertRecords('Account', accounts(2500));
		sf.setRestFault(
			{
				kind: 'error',
				status: 400,
				errorCode: 'INVALID_QUERY_LOCATOR',
				message: 'invalid query locator',
			},
			{ path: /\/query\/.+/ },
		);
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await queryRecords(connect(this), 'SELECT Id FROM Account');
			}),
		);
		expect(error.message).toMatch(
			/^Running the SOQL query \(page 2\) failed: the query's cursor is gone/,
		);
		expect(error.description).toMatch(/run the query again/);
	});

	it('refuses a page size out of range before any request', async () => {
		const sf = standin();
		const error = await failureOf(
			runProbe(sf, async function (this: IExecuteFunctions) {
				return await queryRecords(connect(this), 'SELECT Id FROM Account', { batchSize: 100 });
			}),
		);
		expect(error.message).toMatch(/^Page Size: 100 is not a whole number from 200 to 2000/);
		expect(sf.requests).toHaveLength(0);
	});
});
