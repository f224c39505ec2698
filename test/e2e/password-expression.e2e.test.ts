/**
 * n8n reads any credential value that starts with "=" as an expression (n8n-io/n8n#13201). The README
 * tells users with such a password to enter it as an expression that yields it; this proves both
 * halves of that advice in a real n8n.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../dev/salesforce-standin';
import { createN8n, E2E_TIMEOUT_MS, salesforceCredential, type N8nUnderTest } from './support';
import { chain, manualTrigger, salesforceActionNode } from './support/workflows';

jest.setTimeout(E2E_TIMEOUT_MS);

const PASSWORD = '=Secret1#';

describe('a password that starts with "="', () => {
	let standin: SalesforceStandin;
	let n8n: N8nUnderTest;
	/** Workflow ids by how the password was entered. */
	const workflows: Record<string, string> = {};

	beforeAll(async () => {
		standin = await startSalesforceStandin({ label: 'equals' });
		standin.users[0].password = PASSWORD;
		n8n = await createN8n({ name: 'password-expression' });
		// One import of each kind for both cases: each CLI run costs seconds.
		const entries = { 'typed as is': PASSWORD, 'as an expression': `={{ '${PASSWORD}' }}` };
		const credentials = await n8n.cli.importCredentials(
			Object.entries(entries).map(([name, password]) =>
				salesforceCredential(name, {
					authFlow: 'password',
					domain: standin.url,
					...standin.demo,
					password,
				}),
			),
		);
		const ids = await n8n.cli.importWorkflows(
			credentials.map((credential) =>
				chain(`Password ${credential.name}`, [
					manualTrigger(),
					salesforceActionNode('Salesforce Action', credential, {
						access_token: 'SF_ACCESS_TOKEN',
					}),
				]),
			),
		);
		credentials.forEach((credential, index) => (workflows[credential.name] = ids[index]));
	});

	afterAll(async () => {
		await n8n?.cleanup();
		await standin?.close();
	});

	async function runWithPassword(
		name: string,
	): Promise<{ ok: boolean; sentPassword: unknown; error?: string }> {
		standin.resetRecords();
		const result = await n8n.cli.execute(workflows[name]);
		const [request] = standin.tokenRequests();
		return { ok: result.ok, sentPassword: request?.form?.password, error: result.errorMessage };
	}

	it('typed as is, reaches Salesforce without its "=" (n8n evaluates it) and is refused', async () => {
		const outcome = await runWithPassword('typed as is');
		expect(outcome.ok).toBe(false);
		expect(outcome.sentPassword).toBe(PASSWORD.slice(1) + standin.demo.securityToken);
		expect(outcome.error).toMatch(/Salesforce refused the username and password/);
	});

	it("entered as the expression {{ '=Secret1#' }}, reaches Salesforce exactly and logs in", async () => {
		const outcome = await runWithPassword('as an expression');
		expect(outcome.error).toBeUndefined();
		expect(outcome.ok).toBe(true);
		expect(outcome.sentPassword).toBe(PASSWORD + standin.demo.securityToken);
	});
});
