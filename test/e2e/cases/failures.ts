/**
 * A wrong password in a real n8n: the execution fails with the package's explanation (what is wrong,
 * where to look), Salesforce is asked once, and no secret of the credential ends up anywhere n8n
 * prints or keeps things — CLI output, the saved execution, exports, or any file of its user folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { createN8n, salesforceCredential, type ExecuteResult, type N8nUnderTest } from '../support';
import { leakedSecrets, n8nStateFiles } from '../support/secret-scan';
import { chain, manualTrigger, salesforceActionNode } from '../support/workflows';
import { titled, type E2eCaseOptions } from './options';

// Special characters on purpose: a leak may be URL- or form-encoded, or JSON-escaped.
const WRONG_PASSWORD = 'Wr0ng &Pa$$+%#=?/ ünïcødé';
// Not a secret: stored in plain text, it shows the scans below can find such strings.
const WORKFLOW_NAME = 'Token with a wrong password — Prüfung';

export function describeWrongPassword(options: E2eCaseOptions = {}): void {
	describe(titled('a wrong password in real n8n', options), () => {
		let standin: SalesforceStandin;
		let n8n: N8nUnderTest;
		let workflowId: string;
		let result: ExecuteResult;
		let secrets: Record<string, string>;

		beforeAll(async () => {
			standin = await startSalesforceStandin({ label: 'uat' });
			secrets = {
				password: WRONG_PASSWORD,
				consumerSecret: standin.demo.consumerSecret,
				securityToken: standin.demo.securityToken,
			};
			n8n = await createN8n({ name: 'failures', n8nVersion: options.n8nVersion });
			const [credential] = await n8n.cli.importCredentials([
				salesforceCredential('UAT Env', {
					authFlow: 'password',
					domain: standin.url,
					...standin.demo,
					password: WRONG_PASSWORD,
				}),
			]);
			workflowId = await n8n.cli.importWorkflow(
				chain(WORKFLOW_NAME, [
					manualTrigger(),
					salesforceActionNode('Salesforce Action', credential, {
						access_token: 'SF_ACCESS_TOKEN',
					}),
				]),
			);
			result = await n8n.cli.execute(workflowId);
		});

		afterAll(async () => {
			await n8n?.cleanup();
			await standin?.close();
		});

		it('fails the execution at the Salesforce Action node, saying what is wrong and where to look', async () => {
			expect(result.ok).toBe(false);
			expect(result.data?.data.resultData.lastNodeExecuted).toBe('Salesforce Action');
			const error = result.data?.data.resultData.error;
			expect(error?.message).toBe(
				'Salesforce refused the username and password (authentication failure).',
			);
			expect(error?.description).toEqual(
				expect.stringContaining('Check the Username and Password'),
			);
			expect(error?.description).toEqual(expect.stringContaining('Security Token'));
			expect(error?.description).toEqual(expect.stringContaining('Login History'));

			const executions = await n8n.cli.listExecutions();
			expect(executions.map((execution) => execution.status)).toEqual(['error']);
		});

		it('asks Salesforce once and never retries a refused login', () => {
			expect(standin.tokenRequests()).toHaveLength(1);
			expect(standin.failedLoginCount).toBe(1);
			expect(standin.loginCount).toBe(0);
			// The request did carry the secrets (so the scans below look for something that was really there).
			expect(standin.tokenRequests()[0].form).toMatchObject({
				client_secret: secrets.consumerSecret,
				password: WRONG_PASSWORD + secrets.securityToken,
			});
		});

		it('prints no secret on the CLI', () => {
			expect(leakedSecrets(result.stdout, secrets)).toEqual([]);
			expect(leakedSecrets(result.stderr, secrets)).toEqual([]);
		});

		it('saves no secret in the execution', async () => {
			const executions = await n8n.cli.listExecutions();
			const saved = await n8n.cli.readExecution(executions[0].id);
			expect(saved.rawData).toContain('authentication failure');
			expect(leakedSecrets(saved.rawData, secrets)).toEqual([]);
			expect(leakedSecrets(JSON.stringify(saved.workflowData), { control: WORKFLOW_NAME })).toEqual(
				['control (raw)'],
			);
			expect(leakedSecrets(JSON.stringify(saved.workflowData), secrets)).toEqual([]);
		});

		it('exports no secret with the workflow or the (encrypted) credential', async () => {
			const folder = mkdtempSync(join(tmpdir(), 'sfi-e2e-export-'));
			try {
				const file = join(folder, 'workflows.json');
				const exported = await n8n.cli.run(['export:workflow', '--all', `--output=${file}`]);
				expect(exported.exitCode).toBe(0);
				const workflows = readFileSync(file, 'utf8');
				expect(workflows).toContain(workflowId);
				expect(leakedSecrets(workflows, secrets)).toEqual([]);
			} finally {
				rmSync(folder, { recursive: true, force: true });
			}

			const [credential] = await n8n.cli.exportCredentials();
			expect(typeof credential.data).toBe('string');
			expect(leakedSecrets(JSON.stringify(credential), secrets)).toEqual([]);
		});

		it("keeps no secret in plain or encoded form in any file of n8n's user folder (database and its WAL, config)", () => {
			const files = n8nStateFiles(n8n.userFolder);
			expect(files.map((file) => file.label)).toContain(join('.n8n', 'database.sqlite'));
			// Looked for in every file: SQLite in WAL mode keeps recent writes in database.sqlite-wal.
			expect(
				files.some(
					(file) =>
						leakedSecrets(file.text, { control: WORKFLOW_NAME }, { latin1: true }).length > 0,
				),
			).toBe(true);
			const leaks = files.flatMap((file) =>
				leakedSecrets(file.text, secrets, { latin1: true }).map((leak) => `${file.label}: ${leak}`),
			);
			expect(leaks).toEqual([]);
		});
	});
}
