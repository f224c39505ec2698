/**
 * The Salesforce Action node in a real n8n (`n8n execute`, one process per run) against the
 * Salesforce stand-in: one login serves every item, the session n8n stored is reused by the next
 * process, and a session Salesforce ended is replaced by exactly one new login.
 *
 * The tests run in order and share one n8n and one org: each picks up the state the previous left.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { createN8n, salesforceCredential, type N8nUnderTest } from '../support';
import {
	chain,
	codeNodeOutputting,
	manualTrigger,
	nodeOutput,
	salesforceActionNode,
	succeededRun,
} from '../support/workflows';
import { beyondSmoke, titled, type E2eCaseOptions } from './options';

const INPUT_ITEMS = [
	{ row: 0, customer: { name: 'Edge Communications', tags: ['tier-1'] } },
	{ row: 1, customer: { name: 'Burlington Textiles', tags: [] }, note: null },
	{ row: 2, customer: { name: 'Pyramid Construction', tags: ['emea', 'tier-2'] } },
];

export function describeSalesforceAction(options: E2eCaseOptions = {}): void {
	const outsideSmoke = beyondSmoke(options);

	describe(titled('Salesforce Action in real n8n', options), () => {
		let standin: SalesforceStandin;
		let n8n: N8nUnderTest;
		let workflowId: string;

		beforeAll(async () => {
			standin = await startSalesforceStandin({ label: 'production' });
			n8n = await createN8n({ name: 'salesforce-action', n8nVersion: options.n8nVersion });
			const [credential] = await n8n.cli.importCredentials([
				salesforceCredential('Production Env', {
					authFlow: 'password',
					domain: standin.url,
					...standin.demo,
				}),
			]);
			workflowId = await n8n.cli.importWorkflow(
				chain('Token for three items', [
					manualTrigger(),
					codeNodeOutputting('Rows', INPUT_ITEMS),
					salesforceActionNode('Salesforce Action', credential, {
						access_token: 'SF_ACCESS_TOKEN',
						instance_url: 'SF_INSTANCE_URL',
						org_id: 'SF_ORG_ID',
					}),
				]),
			);
		});

		afterAll(async () => {
			await n8n?.cleanup();
			await standin?.close();
		});

		/** Runs the workflow; returns what the Salesforce Action node output and what the org saw meanwhile. */
		async function runOnce(): Promise<{
			items: ReturnType<typeof nodeOutput>;
			tokenRequests: number;
			sessionChecks: string[];
		}> {
			standin.resetRecords();
			const run = succeededRun(await n8n.cli.execute(workflowId));
			return {
				items: nodeOutput(run, 'Salesforce Action'),
				tokenRequests: standin.tokenRequests().length,
				// What n8n sent as Bearer to the REST API, in order.
				sessionChecks: standin.requests
					.filter((request) => request.path.startsWith('/services/data/'))
					.map((request) => String(request.headers.authorization).replace(/^Bearer /, '')),
			};
		}

		function tokenOf(items: ReturnType<typeof nodeOutput>): string {
			const token = items[0]?.json.SF_ACCESS_TOKEN;
			if (typeof token !== 'string')
				throw new Error(`no SF_ACCESS_TOKEN in ${JSON.stringify(items[0])}`);
			return token;
		}

		let firstToken: string;

		it('logs in once for three items and writes the live session into each item, keeping its input', async () => {
			const { items, tokenRequests } = await runOnce();

			expect(tokenRequests).toBe(1);
			expect(standin.loginCount).toBe(1);
			firstToken = tokenOf(items);
			expect(firstToken).toMatch(new RegExp(`^${standin.orgId}!production\\.`));
			expect(standin.activeSessions()).toEqual([firstToken]);
			expect(items.map((item) => item.json)).toEqual(
				INPUT_ITEMS.map((input) => ({
					...input,
					SF_ACCESS_TOKEN: firstToken,
					SF_INSTANCE_URL: standin.url,
					SF_ORG_ID: standin.orgId,
				})),
			);
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});

		it('reuses the stored session in the next n8n process: no login, same token, checked against the org', async () => {
			const { items, tokenRequests, sessionChecks } = await runOnce();

			expect(tokenRequests).toBe(0);
			expect(items.map((item) => item.json.SF_ACCESS_TOKEN)).toEqual([
				firstToken,
				firstToken,
				firstToken,
			]);
			expect(sessionChecks).toEqual([firstToken]);
			expect(standin.activeSessions()).toEqual([firstToken]);

			// Where it was kept: n8n saved preAuthentication's result into the (encrypted) stored credential.
			const [stored] = await n8n.cli.exportCredentials({ decrypted: true });
			expect(stored.data).toMatchObject({ accessToken: firstToken, instanceUrl: standin.url });
		});

		it('logs in exactly once more after Salesforce ended the session, and outputs the new live token', async () => {
			standin.expireAllSessions();

			const { items, tokenRequests, sessionChecks } = await runOnce();

			expect(tokenRequests).toBe(1);
			const renewedToken = tokenOf(items);
			expect(renewedToken).not.toBe(firstToken);
			expect(items.map((item) => item.json.SF_ACCESS_TOKEN)).toEqual([
				renewedToken,
				renewedToken,
				renewedToken,
			]);
			expect(standin.activeSessions()).toEqual([renewedToken]);
			// The dead session was tried (401), the credential confirmed it dead before logging in (401
			// again), then the request was retried with the new one.
			expect(sessionChecks).toEqual([firstToken, firstToken, renewedToken]);

			// …and the renewed session was stored: the process after that logs in zero times again.
			const next = await runOnce();
			expect(next.tokenRequests).toBe(0);
			expect(tokenOf(next.items)).toBe(renewedToken);
		});

		/** Runs a one-node workflow with these mapping rows, stored as given (n8n stores no default values). */
		async function outputWithRows(
			typeVersion: number,
			rows: Array<Record<string, string>>,
		): Promise<Record<string, unknown>> {
			const credential = (await n8n.cli.exportCredentials({ decrypted: false }))[0];
			const node = salesforceActionNode('Salesforce Action', credential, {}, typeVersion);
			const id = await n8n.cli.importWorkflow(
				chain(`Mapping rows v${typeVersion}`, [
					manualTrigger(),
					{
						...node,
						parameters: { operation: 'getAccessToken', responseMapping: { mappings: rows } },
					},
				]),
			);
			return nodeOutput(succeededRun(await n8n.cli.execute(id)), 'Salesforce Action')[0].json;
		}

		outsideSmoke(
			'version 1.1: rows work as added — an empty Field Name follows the value, a repeated default row is harmless',
			async () => {
				// As the editor stores them: the first row and the freshly added last one hold only defaults.
				const json = await outputWithRows(1.1, [
					{},
					{ objectPath: 'instance_url' },
					{ objectPath: 'org_id', field: 'ORG' },
					{},
				]);
				expect(json).toEqual({
					SF_ACCESS_TOKEN: standin.activeSessions()[0],
					SF_INSTANCE_URL: standin.url,
					ORG: standin.orgId,
				});
			},
		);

		outsideSmoke(
			'version 1 keeps its defaults: a saved row with only a value still writes SF_ACCESS_TOKEN',
			async () => {
				const json = await outputWithRows(1, [{ objectPath: 'org_id' }]);
				expect(json).toEqual({ SF_ACCESS_TOKEN: standin.orgId });
			},
		);
	});
}
