/**
 * The downloadable script, as users run it (plain `node`, nothing installed): it is the bundle of
 * migrate/src, dry runs write nothing, --apply writes private files, and nothing printed holds a secret.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BUNDLE_FILE, bundleMigration } from '../../../migrate/build';
import { CREDENTIALS_FILE, REPORT_FILE, WORKFLOWS_FILE } from '../../../migrate/src/cli';

const PASSWORD = 'p#ss&+%=?/ éTOKEN';
const SECRET = 'the-consumer-secret';

function exportedWorkflows(): unknown[] {
	return [
		{
			id: 'wf1',
			name: 'Nightly sync',
			active: false,
			nodes: [
				{
					id: 'a',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'b',
					name: 'Salesforce Authentication',
					type: 'n8n-nodes-salesforce-integration.salesforceAuth',
					typeVersion: 1,
					position: [240, 0],
					parameters: {
						consumerKey: 'KEY',
						consumerSecret: SECRET,
						domain: 'acme',
						username: 'api@acme.com',
						password: PASSWORD,
					},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Salesforce Authentication', type: 'main', index: 0 }]] },
			},
		},
	];
}

function run(
	args: string[],
	cwd: string,
): { status: number | null; stdout: string; stderr: string } {
	const result = spawnSync(process.execPath, [BUNDLE_FILE, ...args], {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, TMPDIR: cwd },
	});
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('salesforce-auth-migration.mjs', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'sfi-migration-test-'));
		writeFileSync(join(folder, 'workflows.json'), JSON.stringify(exportedWorkflows()));
	});
	afterEach(() => rmSync(folder, { recursive: true, force: true }));

	it('is the current bundle of migrate/src (run `npm run build:migration` when this fails)', async () => {
		expect(readFileSync(BUNDLE_FILE, 'utf8')).toBe(await bundleMigration());
	});

	it('imports nothing but Node built-ins', () => {
		const imports = [
			...readFileSync(BUNDLE_FILE, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm),
		].map((match) => match[1]);
		expect(imports.every((name) => name.startsWith('node:'))).toBe(true);
		expect(execFileSync(process.execPath, [BUNDLE_FILE, '--help'], { encoding: 'utf8' })).toMatch(
			/^Migrates saved workflows/,
		);
	});

	it('dry run: prints the plan, writes nothing, prints no secret', () => {
		const result = run(['--input=workflows.json'], folder);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('create "Salesforce acme.my.salesforce.com (api@acme.com)"');
		expect(result.stdout).toContain('Dry run: nothing was written');
		expect(readdirSync(folder)).toEqual(['workflows.json']);
		for (const secret of [PASSWORD, SECRET])
			expect(result.stdout + result.stderr).not.toContain(secret);
	});

	it('--apply: writes the credentials (mode 0600, in a private folder) and the migrated workflows', () => {
		const result = run(
			['--input', 'workflows.json', '--no-credentials', '--apply', '--output=out'],
			folder,
		);
		expect(result.status).toBe(0);
		const out = join(folder, 'out');
		expect(readdirSync(out).sort()).toEqual([CREDENTIALS_FILE, WORKFLOWS_FILE, REPORT_FILE].sort());
		expect(statSync(out).mode & 0o777).toBe(0o700);
		for (const file of readdirSync(out)) expect(statSync(join(out, file)).mode & 0o777).toBe(0o600);
		const [credential] = JSON.parse(readFileSync(join(out, CREDENTIALS_FILE), 'utf8')) as Array<{
			data: Record<string, unknown>;
		}>;
		expect(credential.data).toMatchObject({
			password: PASSWORD,
			securityToken: '',
			consumerSecret: SECRET,
		});
		for (const text of [
			result.stdout,
			readFileSync(join(out, WORKFLOWS_FILE), 'utf8'),
			readFileSync(join(out, REPORT_FILE), 'utf8'),
		]) {
			for (const secret of [PASSWORD, SECRET]) expect(text).not.toContain(secret);
		}
		expect(result.stdout).toContain(
			`n8n import:credentials --input=${join(out, CREDENTIALS_FILE)}`,
		);
		expect(result.stdout).toContain(`rm ${join(out, CREDENTIALS_FILE)}`);
		// Never into a folder that already holds files.
		expect(
			run(['--input=workflows.json', '--no-credentials', '--apply', '--output=out'], folder).status,
		).toBe(2);
	});

	it("--apply refuses to run blind: without the credentials export an earlier run's (edited) credential would be overwritten", () => {
		const result = run(['--input=workflows.json', '--apply', '--output=out'], folder);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(/--apply needs --credentials=.*--no-credentials/s);
		expect(readdirSync(folder)).toEqual(['workflows.json']);
	});

	it('an existing empty --output folder is made private before anything is written to it', () => {
		mkdirSync(join(folder, 'empty'), { mode: 0o755 });
		expect(
			run(['--input=workflows.json', '--no-credentials', '--apply', '--output=empty'], folder)
				.status,
		).toBe(0);
		expect(statSync(join(folder, 'empty')).mode & 0o777).toBe(0o700);
	});

	it('without --output, writes into a new private temp folder', () => {
		const result = run(['--input=workflows.json', '--no-credentials', '--apply'], folder);
		expect(result.status).toBe(0);
		const [created] = readdirSync(folder).filter((entry) =>
			entry.startsWith('salesforce-migration-'),
		);
		expect(statSync(join(folder, created)).mode & 0o777).toBe(0o700);
	});

	it('--use-credential: the environment uses a credential made by hand; none is created for it', () => {
		writeFileSync(
			join(folder, 'credentials.json'),
			JSON.stringify([
				{
					id: 'byHand0000000001',
					name: 'Production Env',
					type: 'salesforceIntegrationApi',
					data: 'U2FsdGVkX1+encrypted',
				},
			]),
		);
		const result = run(
			[
				'--input=workflows.json',
				'--credentials=credentials.json',
				'--use-credential=acme.my.salesforce.com=Production Env',
				'--apply',
				'--output=out',
			],
			folder,
		);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain(
			'use your "Production Env" (id byHand0000000001) (named with --use-credential)',
		);
		const out = join(folder, 'out');
		expect(readdirSync(out).sort()).toEqual([WORKFLOWS_FILE, REPORT_FILE].sort());
		const [workflow] = JSON.parse(readFileSync(join(out, WORKFLOWS_FILE), 'utf8')) as Array<{
			nodes: Array<{ credentials?: unknown }>;
		}>;
		expect(workflow.nodes[1].credentials).toEqual({
			salesforceIntegrationApi: { id: 'byHand0000000001', name: 'Production Env' },
		});
		expect(result.stdout).not.toContain('import:credentials');

		const wrong = run(
			[
				'--input=workflows.json',
				'--credentials=credentials.json',
				'--use-credential=acme.my.salesforce.com=Prod',
			],
			folder,
		);
		expect(wrong.status).toBe(2);
		expect(wrong.stderr).toMatch(
			/no Salesforce Integration API credential with the id or name "Prod"/,
		);
		expect(
			run(['--input=workflows.json', '--use-credential=Production Env'], folder).stderr,
		).toMatch(/needs <environment>=<credential>/);
	});

	it('reports invalid JSON without quoting it', () => {
		writeFileSync(join(folder, 'broken.json'), `[{"password": "${SECRET}" oops`);
		const result = run(['--input=broken.json'], folder);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(/broken\.json is not valid JSON/);
		expect(result.stderr).not.toContain(SECRET);
	});
});
