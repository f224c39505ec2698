/**
 * The migration guide, followed in a real n8n: workflows saved with the deprecated Salesforce
 * Authentication node for two environments are exported with n8n's CLI, migrated by the downloadable
 * script (run by the Node n8n runs on, nothing installed), imported back with n8n's CLI — and then
 * run green on the new credentials. A second run changes nothing; nothing it printed or saved holds a secret.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BUNDLE_FILE } from '../../migrate/build';
import { CREDENTIALS_FILE, REPORT_FILE, WORKFLOWS_FILE } from '../../migrate/src/cli';
import { startSalesforceStandin, type SalesforceStandin } from '../../dev/salesforce-standin';
import { leakedSecrets } from './support/secret-scan';
import {
	createN8n,
	CREDENTIAL_TYPE,
	E2E_TIMEOUT_MS,
	LEGACY_AUTH_TYPE,
	SALESFORCE_ACTION_TYPE,
	salesforceCredential,
	type N8nUnderTest,
} from './support';
import {
	chain,
	codeNodeOutputting,
	legacyAuthNode,
	manualTrigger,
	nodeOutput,
	succeededRun,
	type NodeSpec,
} from './support/workflows';

jest.setTimeout(E2E_TIMEOUT_MS);

const PRODUCTION_PASSWORD = 'p#ss&+%=?/ é';

interface ExportedNode {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}
interface ExportedWorkflow {
	id: string;
	name: string;
	nodes: ExportedNode[];
	connections: Record<string, unknown>;
}

/** A Code node that reads the token the way later nodes of a saved workflow do. */
function readsToken(field: string): NodeSpec {
	return {
		name: 'Use Token',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			jsCode: `return $input.all().map((item) => ({ json: { authorization: 'Bearer ' + item.json.${field} } }));`,
		},
	};
}

describe('migrating saved workflows off the deprecated Salesforce Authentication node', () => {
	let production: SalesforceStandin;
	let uat: SalesforceStandin;
	let n8n: N8nUnderTest;
	let work: string;
	const printed: string[] = [];
	const ids: Record<string, string> = {};
	let originalExport: ExportedWorkflow[];
	let credentialsBefore: number;
	let byHand: { id: string; name: string };
	/** The UAT environment, named by its host as the dry run shows it, gets the credential made by hand. */
	const useByHand = () => `--use-credential=${new URL(uat.url).host}=UAT by hand`;

	function loginOf(org: SalesforceStandin) {
		return {
			consumerKey: org.demo.consumerKey,
			consumerSecret: org.demo.consumerSecret,
			domain: org.url,
			username: org.demo.username,
		};
	}

	function secrets(): Record<string, string> {
		const all: Record<string, string> = {};
		for (const [label, org] of [
			['production', production],
			['uat', uat],
		] as const) {
			all[`${label} password`] = org.users[0].password;
			all[`${label} security token`] = org.demo.securityToken;
			all[`${label} consumer secret`] = org.demo.consumerSecret;
		}
		return all;
	}

	async function n8nCli(args: string[]): Promise<string> {
		const result = await n8n.cli.run(args);
		if (result.exitCode !== 0)
			throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
		return result.stdout;
	}

	async function exportAll(name: string): Promise<{ workflows: string; credentials: string }> {
		const workflows = join(work, `${name}-workflows.json`);
		const credentials = join(work, `${name}-credentials.json`);
		await n8nCli(['export:workflow', '--all', `--output=${workflows}`]);
		// Encrypted (the default): the migration reads only ids and names.
		await n8nCli(['export:credentials', '--all', `--output=${credentials}`]);
		return { workflows, credentials };
	}

	/** The script as the guide runs it: the Node n8n runs on, no install. */
	function migrate(args: string[]): { status: number | null; stdout: string } {
		const result = spawnSync(n8n.runtime.nodeBinary, [BUNDLE_FILE, ...args], {
			cwd: work,
			encoding: 'utf8',
		});
		printed.push(result.stdout, result.stderr);
		if (result.status !== 0)
			throw new Error(`migration failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
		return { status: result.status, stdout: result.stdout };
	}

	function legacyNodes(workflows: ExportedWorkflow[]): Array<{ workflow: string; node: string }> {
		return workflows.flatMap((workflow) =>
			workflow.nodes
				.filter((node) => node.type === LEGACY_AUTH_TYPE)
				.map((node) => ({ workflow: workflow.name, node: node.name })),
		);
	}

	beforeAll(async () => {
		production = await startSalesforceStandin({ label: 'acme' });
		production.users[0].password = PRODUCTION_PASSWORD;
		uat = await startSalesforceStandin({ label: 'acme--uat' });
		n8n = await createN8n({ name: 'migration' });
		work = mkdtempSync(join(tmpdir(), 'sfi-migration-e2e-'));
		// One made by hand earlier for UAT: the user names it with --use-credential, so UAT gets no second one.
		[byHand] = await n8n.cli.importCredentials([
			salesforceCredential('UAT by hand', { authFlow: 'password', domain: uat.url, ...uat.demo }),
		]);

		const productionLogin = {
			...loginOf(production),
			password: PRODUCTION_PASSWORD + production.demo.securityToken,
		};
		const uatLogin = { ...loginOf(uat), password: uat.users[0].password + uat.demo.securityToken };
		const ordersLogin = legacyAuthNode('Salesforce Authentication', {
			...productionLogin,
			outputField: 'SF_ACCESS_TOKEN',
		});
		ordersLogin.parameters = { ...ordersLogin.parameters };
		delete ordersLogin.parameters.outputField; // the default, which n8n does not save
		const orders = chain('Production orders', [
			manualTrigger(),
			codeNodeOutputting('Orders', [{ order: 1 }, { order: 2 }]),
			ordersLogin,
			readsToken('SF_ACCESS_TOKEN'),
		]);
		Object.assign(orders.nodes[2] as object, {
			retryOnFail: true,
			maxTries: 2,
			notes: 'Logs in to production',
			notesInFlow: true,
			onError: 'continueRegularOutput',
		});
		// One `n8n import:workflow` for all of them: each CLI run costs seconds.
		[ids.orders, ids.report, ids.uat, ids.expression, ids.plain] = await n8n.cli.importWorkflows([
			orders,
			chain('Production report', [
				manualTrigger(),
				legacyAuthNode('Login', { ...productionLogin, outputField: 'legacyToken' }),
				readsToken('legacyToken'),
			]),
			chain('UAT sync', [
				manualTrigger(),
				legacyAuthNode('UAT Login', { ...uatLogin, outputField: 'UAT_TOKEN' }),
				readsToken('UAT_TOKEN'),
			]),
			chain('Password from the environment', [
				manualTrigger(),
				legacyAuthNode('Login', {
					...uatLogin,
					password: '={{ $env.SF_PASSWORD }}',
					outputField: 'SF_ACCESS_TOKEN',
				}),
			]),
			chain('No Salesforce', [manualTrigger(), codeNodeOutputting('Data', [{ a: 1 }])]),
		]);
	});

	afterAll(async () => {
		await n8n?.cleanup();
		await production?.close();
		await uat?.close();
		if (work) rmSync(work, { recursive: true, force: true });
	});

	it('dry run: lists the workflows, nodes and credentials, writes nothing', async () => {
		const exported = await exportAll('before');
		originalExport = JSON.parse(readFileSync(exported.workflows, 'utf8')) as ExportedWorkflow[];
		credentialsBefore = (JSON.parse(readFileSync(exported.credentials, 'utf8')) as unknown[])
			.length;
		const filesBefore = readdirSync(work).sort();

		const { stdout } = migrate([
			`--input=${exported.workflows}`,
			`--credentials=${exported.credentials}`,
			useByHand(),
		]);
		expect(stdout).toContain(
			`create "Salesforce ${new URL(production.url).host} (${production.demo.username})"`,
		);
		expect(stdout).toContain(
			`use your "UAT by hand" (id ${byHand.id}) (named with --use-credential): ${new URL(uat.url).host}`,
		);
		expect(stdout).toContain('replace "Salesforce Authentication" with Salesforce Action');
		expect(stdout).toMatch(
			/"Password from the environment" \(id \w+\): unchanged\n\s+leave "Login" as it is: Password is an expression/,
		);
		expect(stdout).toContain(
			'Summary: 3 node(s) to replace in 3 workflow(s), 1 credential(s) to create, 1 node(s) left as they are, 1 workflow(s) without the deprecated node not touched.',
		);
		expect(stdout).toContain('Dry run: nothing was written');
		expect(readdirSync(work).sort()).toEqual(filesBefore);
	});

	it("applied and imported with n8n's CLI, every migrated workflow runs green with its old output field holding a live token", async () => {
		const out = join(work, 'out');
		const { stdout } = migrate([
			`--input=${join(work, 'before-workflows.json')}`,
			`--credentials=${join(work, 'before-credentials.json')}`,
			useByHand(),
			'--apply',
			`--output=${out}`,
		]);
		expect(stdout).toContain(`n8n import:credentials --input=${join(out, CREDENTIALS_FILE)}`);
		printed.push(
			readFileSync(join(out, WORKFLOWS_FILE), 'utf8'),
			readFileSync(join(out, REPORT_FILE), 'utf8'),
		);

		await n8nCli(['import:credentials', `--input=${join(out, CREDENTIALS_FILE)}`]);
		await n8nCli(['import:workflow', `--input=${join(out, WORKFLOWS_FILE)}`]);
		// As the guide says: the plain-text credentials file goes right after the import.
		rmSync(join(out, CREDENTIALS_FILE));

		production.resetRecords();
		uat.resetRecords();
		for (const [id, node, field, org] of [
			[ids.orders, 'Use Token', 'SF_ACCESS_TOKEN', production],
			[ids.report, 'Use Token', 'legacyToken', production],
			[ids.uat, 'Use Token', 'UAT_TOKEN', uat],
		] as const) {
			const run = succeededRun(await n8n.cli.execute(id));
			const authorizations = nodeOutput(run, node).map((item) => item.json.authorization);
			expect(authorizations.length).toBeGreaterThan(0);
			for (const authorization of authorizations) {
				expect(org.activeSessions()).toContain(String(authorization).replace(/^Bearer /, ''));
			}
			const login = Object.keys(run.data.resultData.runData).find(
				(name) => name !== 'Use Token' && name !== 'Start' && name !== 'Orders',
			) as string;
			expect(Object.keys(nodeOutput(run, login)[0].json)).toContain(field);
		}
		// The special-character password reached the production stand-in exactly, once for both workflows.
		expect(production.tokenRequests()).toHaveLength(1);
		expect(production.tokenRequests()[0].form?.password).toBe(
			PRODUCTION_PASSWORD + production.demo.securityToken,
		);
		expect(uat.tokenRequests()).toHaveLength(1);
	});

	it('replaced the nodes in place and left the expression node and the other workflow as they were', async () => {
		const exported = await exportAll('after');
		const after = JSON.parse(readFileSync(exported.workflows, 'utf8')) as ExportedWorkflow[];
		expect(legacyNodes(after)).toEqual([
			{ workflow: 'Password from the environment', node: 'Login' },
		]);

		const byId = (workflows: ExportedWorkflow[], id: string) =>
			workflows.find((workflow) => workflow.id === id) as ExportedWorkflow;
		const before = byId(originalExport, ids.orders);
		const migrated = byId(after, ids.orders);
		expect(migrated.connections).toEqual(before.connections);
		const oldNode = before.nodes.find(
			(node) => node.name === 'Salesforce Authentication',
		) as ExportedNode;
		const newNode = migrated.nodes.find(
			(node) => node.name === 'Salesforce Authentication',
		) as ExportedNode;
		expect(newNode).toMatchObject({
			type: SALESFORCE_ACTION_TYPE,
			typeVersion: 1.1,
			position: oldNode.position,
			id: oldNode.id,
			retryOnFail: true,
			maxTries: 2,
			notes: 'Logs in to production',
			onError: 'continueRegularOutput',
			parameters: {
				operation: 'getAccessToken',
				responseMapping: { mappings: [{ objectPath: 'access_token', field: 'SF_ACCESS_TOKEN' }] },
			},
		});
		// Both production workflows share one new credential; UAT uses the one made by hand.
		const credentialOf = (id: string) =>
			byId(after, id).nodes.find((node) => node.credentials)?.credentials?.[CREDENTIAL_TYPE]?.id;
		expect(credentialOf(ids.orders)).toBe(credentialOf(ids.report));
		expect(credentialOf(ids.uat)).toBe(byHand.id);
		expect(JSON.parse(readFileSync(exported.credentials, 'utf8'))).toHaveLength(
			credentialsBefore + 1,
		);

		for (const id of [ids.expression, ids.plain])
			expect(byId(after, id).nodes).toEqual(byId(originalExport, id).nodes);
	});

	it('a second run changes nothing and creates no credential', async () => {
		const out = join(work, 'second-run');
		const { stdout } = migrate([
			`--input=${join(work, 'after-workflows.json')}`,
			`--credentials=${join(work, 'after-credentials.json')}`,
			'--apply',
			`--output=${out}`,
		]);
		expect(stdout).toContain(
			'Summary: 0 node(s) to replace in 0 workflow(s), 0 credential(s) to create, 1 node(s) left as they are',
		);
		expect(stdout).toContain('Nothing to migrate: no file written.');
		expect(existsSync(out)).toBe(false);
	});

	it('printed and saved no secret (the credentials file it handed to n8n aside, deleted after the import)', () => {
		expect(printed.length).toBeGreaterThan(0);
		expect(leakedSecrets(printed.join('\n'), secrets())).toEqual([]);
		expect(readdirSync(join(work, 'out')).sort()).toEqual([REPORT_FILE, WORKFLOWS_FILE].sort());
	});
});
