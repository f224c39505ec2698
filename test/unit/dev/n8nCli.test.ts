/**
 * `N8nInstance.execute` end to end through the real process plumbing (runCommand, the watchdog,
 * the process group) against a stand-in for the n8n CLI that prints what n8n 2.41 prints and then
 * ends the ways real runs were seen to: split writes, a crash after the run, a hang, a kill.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCommand } from '../../../dev/n8n/child-processes';
import { N8nInstance, commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS } from '../../../dev/n8n/cli';
import { succeededRun } from '../../e2e/support/workflows';
import { leakedSecrets } from '../../e2e/support/secret-scan';
import { logLine, runJson, SESSION_ID, startupLines } from './n8nOutputSamples';

jest.setTimeout(30_000);

/**
 * The fake `n8n`: FAKE_N8N_STEPS (JSON) is a list of steps — `{ out }` writes text (or `{ bytes }`
 * raw bytes) to stdout and waits for the write, `{ sleep }` waits, `{ ignoreTerm }` ignores SIGTERM, `{ exitOnTerm }` exits with that code on it,
 * `{ kill }` sends itself a signal, `{ exit }` exits. Other commands (import:…) just exit 0.
 */
const FAKE_N8N = `
const steps = JSON.parse(process.env.FAKE_N8N_STEPS || '[]');
if (process.argv[2] !== 'execute') process.exit(0);
(async () => {
	for (const step of steps) {
		if (step.out !== undefined) await new Promise((done) => process.stdout.write(step.out, done));
		if (step.bytes !== undefined) await new Promise((done) => process.stdout.write(Buffer.from(step.bytes), done));
		if (step.err !== undefined) await new Promise((done) => process.stderr.write(step.err, done));
		if (step.sleep !== undefined) await new Promise((done) => setTimeout(done, step.sleep));
		if (step.ignoreTerm) process.on('SIGTERM', () => {});
		if (step.exitOnTerm !== undefined) process.on('SIGTERM', () => process.exit(step.exitOnTerm));
		if (step.kill) process.kill(process.pid, step.kill);
		if (step.exit !== undefined) process.exit(step.exit);
	}
	setInterval(() => {}, 1000);
})();
`;

type Step = {
	out?: string;
	bytes?: number[];
	err?: string;
	sleep?: number;
	ignoreTerm?: true;
	exitOnTerm?: number;
	kill?: NodeJS.Signals;
	exit?: number;
};

describe('N8nInstance.execute against a fake n8n', () => {
	let folder: string;
	let n8nBin: string;

	beforeAll(() => {
		folder = mkdtempSync(join(tmpdir(), 'sfi-fake-n8n-'));
		n8nBin = join(folder, 'n8n.js');
		writeFileSync(n8nBin, FAKE_N8N);
	});
	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	function instance(steps: Step[], options: { commandTimeoutMs?: number } = {}): N8nInstance {
		return new N8nInstance({
			userFolder: join(folder, 'user'),
			runtime: { nodeBinary: process.execPath, n8nBin, env: { PATH: process.env.PATH ?? '' } },
			env: { FAKE_N8N_STEPS: JSON.stringify(steps) },
			commandTimeoutMs: options.commandTimeoutMs,
		});
	}

	const runLine = (run = runJson()) => `${logLine('info', JSON.stringify(run, null, 2))}\n`;
	const startup = `${startupLines().join('\n')}\n`;

	it('takes the run when n8n dies of SIGSEGV while exiting after printing it — what failed the e2e test', async () => {
		const stderrWrite = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
		try {
			const result = await instance([
				{ out: startup },
				{ out: runLine() },
				{ out: `${logLine('info', 'Registered runner "JS Task Runner" (ukSS) ')}\n` },
				{ kill: 'SIGSEGV' },
			]).execute('wf1');
			expect(result).toMatchObject({
				ok: true,
				exitCode: null,
				signal: 'SIGSEGV',
				crashedAfterRun: 'SIGSEGV',
				timedOut: false,
				failure: undefined,
			});
			expect(succeededRun(result).status).toBe('success');
			expect(stderrWrite).toHaveBeenCalledWith(
				expect.stringContaining('died of SIGSEGV while exiting, after printing the finished run'),
			);
		} finally {
			stderrWrite.mockRestore();
		}
	});

	it('reads a run whose JSON line arrives in pieces, a multi-byte character split between them, runner lines after', async () => {
		const line = Buffer.from(runLine(runJson({ accountName: 'Zürich — Genève' })));
		const umlaut = line.indexOf(Buffer.from('ü'));
		const pieces = [
			line.subarray(0, umlaut + 1),
			line.subarray(umlaut + 1, line.length - 100),
			line.subarray(line.length - 100),
		];
		const result = await instance([
			{ out: startup },
			...pieces.flatMap((piece) => [{ bytes: [...piece] }, { sleep: 40 }]),
			{
				out: `${logLine('info', '[runner:js] Task runner stopped', { scopes: ['task-runner-js'] })}\n`,
			},
			{ exit: 0 },
		]).execute('wf2');
		expect(result.failure).toBeUndefined();
		expect(result.ok).toBe(true);
		expect(
			succeededRun(result).data.resultData.runData['Salesforce Action'][0].data?.main?.[0]?.[0]
				.json,
		).toEqual({ SF_ACCESS_TOKEN: SESSION_ID, name: 'Zürich — Genève' });
	});

	it('says a kill before the run was printed was SIGKILL, not sent by the harness, after how long, and shows the output', async () => {
		const result = await instance([{ out: startup }, { sleep: 300 }, { kill: 'SIGKILL' }]).execute(
			'wf3',
		);
		expect(result).toMatchObject({
			ok: false,
			exitCode: null,
			signal: 'SIGKILL',
			timedOut: false,
			crashedAfterRun: undefined,
		});
		expect(result.failure).toMatch(
			/^n8n execute was killed by SIGKILL \(killed outright.*\) after \d+\.\d s, not by the harness, whose 300\.0 s timeout had not run out; no run JSON could be found/,
		);
		expect(result.failure).toContain(
			'warn: Legacy aes-256-cbc encryption key not found; falling back to instance key',
		);
		expect(() => succeededRun(result)).toThrow(/^n8n execute was killed by SIGKILL/);
	});

	it('stops a hung n8n at its timeout, SIGKILLs it when it ignores SIGTERM, and says it was the timeout', async () => {
		const started = Date.now();
		const result = await instance([{ ignoreTerm: true }, { out: startup }, { sleep: 60_000 }], {
			commandTimeoutMs: 500,
		}).execute('wf4');
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(result).toMatchObject({ ok: false, timedOut: true, signal: 'SIGKILL' });
		expect(result.failure).toMatch(
			/^n8n execute timed out: the harness stopped it when its 0\.5 s timeout ran out \(SIGTERM, and SIGKILL 5\.0 s later if still running; N8N_SFI_COMMAND_TIMEOUT_MS sets the timeout\), and it ended by SIGKILL after \d+\.\d s; no run JSON could be found/,
		);
		expect(result.failure).toContain('info: n8n Task Broker ready on 127.0.0.1');
	});

	it('does not take a run printed by an n8n that then hung until the timeout, even when it exits 0 on SIGTERM', async () => {
		const result = await instance(
			[{ exitOnTerm: 0 }, { out: startup }, { out: runLine() }, { sleep: 60_000 }],
			{ commandTimeoutMs: 500 },
		).execute('wf5');
		expect(result).toMatchObject({ ok: false, timedOut: true, exitCode: 0, signal: null });
		expect(result.failure).toMatch(
			/^n8n execute timed out: .*, and it exited with code 0 after \d+\.\d s; it had printed the finished run \(status success\) before that\./,
		);
	});

	it('keeps imported credentials’ secrets and session ids out of the failure message', async () => {
		const secrets = {
			password: 'Secr3t-Passw0rd!',
			consumerSecret: 'C0nsumerSecretABCDEF',
			securityToken: 'SecTok3nXYZ123',
			session: SESSION_ID,
		};
		const run = runJson({
			error: {
				message: 'Salesforce refused the login',
				description: `password ${secrets.password}${secrets.securityToken} was wrong`,
			},
		});
		const n8n = instance([
			{ out: startup },
			{
				out: `${logLine('debug', `POST /services/oauth2/token grant_type=password&client_secret=${secrets.consumerSecret}&password=${encodeURIComponent(secrets.password + secrets.securityToken)}`)}\n`,
			},
			{ out: `${logLine('debug', `answer {"access_token":"${SESSION_ID}"}`)}\n` },
			{ out: runLine(run) },
			{ err: `Error: ${secrets.consumerSecret}\n` },
			{ exit: 1 },
		]);
		await n8n.importCredentials([
			{
				name: 'UAT',
				type: 'salesforceIntegrationApi',
				data: { authFlow: 'password', username: 'api@acme.com', ...secrets },
			},
		]);
		const result = await n8n.execute('wf6');
		expect(result.ok).toBe(false);
		expect(result.failure).toMatch(
			/^n8n execute exited with code 1 after \d+\.\d s; the run failed at "Salesforce Action": Salesforce refused the login — password \[redacted\]/,
		);
		expect(leakedSecrets(result.failure ?? '', secrets)).toEqual([]);
	});
});

describe('runCommand', () => {
	it('keeps a multi-byte character whole when it is split between two chunks', async () => {
		const script =
			'process.stdout.write(Buffer.from([0x5a, 0xc3]), () => setTimeout(() => process.stdout.write(Buffer.from([0xbc, 0x72, 0x0a])), 100))';
		const result = await runCommand(process.execPath, ['-e', script], {
			cwd: tmpdir(),
			timeoutMs: 10_000,
		});
		expect(result.stdout).toBe('Zür\n');
		expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false, timeoutMs: 10_000 });
		expect(result.durationMs).toBeGreaterThanOrEqual(100);
	});
});

describe('commandTimeoutMs', () => {
	it('is 5 minutes unless N8N_SFI_COMMAND_TIMEOUT_MS says otherwise, and refuses nonsense', () => {
		expect(commandTimeoutMs({})).toBe(DEFAULT_COMMAND_TIMEOUT_MS);
		expect(DEFAULT_COMMAND_TIMEOUT_MS).toBe(300_000);
		expect(commandTimeoutMs({ N8N_SFI_COMMAND_TIMEOUT_MS: '900000' })).toBe(900_000);
		expect(() => commandTimeoutMs({ N8N_SFI_COMMAND_TIMEOUT_MS: 'ten minutes' })).toThrow(
			/N8N_SFI_COMMAND_TIMEOUT_MS must be a positive number/,
		);
	});
});
