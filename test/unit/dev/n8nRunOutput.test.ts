/**
 * Reading what `n8n execute --rawOutput` printed and judging how it ended (dev/n8n/run-output.ts),
 * from outputs shaped like n8n 2.41's: JSON log lines, the run as the message of one of them,
 * task-runner lines after it, processes killed by a crash or by our timeout.
 */
import {
	describeEnd,
	EXCERPT_MAX_CHARS,
	findWorkflowRun,
	judgeExecution,
	outputExcerpt,
	redactSecrets,
	type CommandEnd,
} from '../../../dev/n8n/run-output';
import { leakedSecrets } from '../../e2e/support/secret-scan';
import { crashedRunEnd, logLine, n8nStdout, runJson, SESSION_ID } from './n8nOutputSamples';

/** stdout as far as the middle of the run's line, as when n8n is killed while printing it. */
function cutOffInTheRun(stdout: string): string {
	const start = stdout.indexOf('{"level":"info","message":"{');
	const lineEnd = stdout.indexOf('\n', start);
	return stdout.slice(0, start + Math.floor((lineEnd - start) / 2));
}

const end = (overrides: Partial<CommandEnd>): CommandEnd => ({
	stdout: '',
	stderr: '',
	exitCode: 0,
	signal: null,
	timedOut: false,
	timeoutMs: 300_000,
	durationMs: 8_200,
	...overrides,
});

describe('findWorkflowRun', () => {
	it('finds the run when task-runner and broker lines follow it', () => {
		const stdout = n8nStdout({
			after: [
				logLine('info', 'Registered runner "JS Task Runner" (ukSSLwutWLGCgJ4pV52-4) ', {
					file: 'task-broker-ws-server.js',
				}),
				logLine('info', '[runner:js] Task runner shutting down', { scopes: ['task-runner-js'] }),
			],
		});
		const run = findWorkflowRun(stdout);
		expect(run?.status).toBe('success');
		expect(run?.data.resultData.runData['Salesforce Action'][0].data?.main?.[0]?.[0].json).toEqual({
			SF_ACCESS_TOKEN: SESSION_ID,
		});
	});

	it('finds nothing in a run line cut off mid-way (the process died while printing)', () => {
		const cut = cutOffInTheRun(n8nStdout({}));
		expect(cut).toMatch(/\\"runData\\"/);
		expect(findWorkflowRun(cut)).toBeUndefined();
	});
});

describe('judgeExecution', () => {
	it('uses the finished run when n8n crashed with SIGSEGV while exiting after printing it (n8n 2.41 does)', () => {
		const verdict = judgeExecution(crashedRunEnd());
		expect(verdict).toMatchObject({
			ok: true,
			crashedAfterRun: 'SIGSEGV',
			failure: undefined,
			errorMessage: undefined,
		});
		expect(verdict.data?.status).toBe('success');
	});

	it('says a crash before the run was printed was a crash, which signal, and that the harness did not send it', () => {
		const stdout = n8nStdout({ withRun: false });
		const verdict = judgeExecution(
			end({ stdout, exitCode: null, signal: 'SIGSEGV', durationMs: 3_400 }),
		);
		expect(verdict.ok).toBe(false);
		expect(verdict.failure).toMatch(
			/^n8n execute was killed by SIGSEGV \(a crash: segmentation fault\) after 3\.4 s, not by the harness, whose 300\.0 s timeout had not run out; no run JSON could be found/,
		);
		expect(verdict.failure).not.toMatch(/exit null|no run data/);
	});

	it('does not accept a run killed by SIGKILL from outside (OOM killer, kill -9), and says so', () => {
		const verdict = judgeExecution(
			end({ stdout: n8nStdout({}), exitCode: null, signal: 'SIGKILL' }),
		);
		expect(verdict.ok).toBe(false);
		expect(verdict.data?.status).toBe('success');
		expect(verdict.failure).toMatch(
			/killed by SIGKILL \(killed outright, e\.g\. by the kernel’s OOM killer/,
		);
		expect(verdict.failure).toMatch(
			/it had printed the finished run \(status success\) before that/,
		);
	});

	it('does not accept a crash after an unfinished run', () => {
		const stdout = n8nStdout({ run: runJson({ finished: false, status: 'running' }) });
		const verdict = judgeExecution(end({ stdout, exitCode: null, signal: 'SIGSEGV' }));
		expect(verdict.ok).toBe(false);
		expect(verdict.failure).toMatch(
			/the run it printed is not finished \(status running, finished false\)/,
		);
	});

	it('reports our own timeout: that it was ours, how long it was, which variable sets it, how it ended', () => {
		const verdict = judgeExecution(
			end({
				stdout: n8nStdout({ withRun: false }),
				exitCode: null,
				signal: 'SIGKILL',
				timedOut: true,
				timeoutMs: 300_000,
				durationMs: 305_020,
			}),
		);
		expect(verdict.ok).toBe(false);
		expect(verdict.failure).toContain(
			'n8n execute timed out: the harness stopped it when its 300.0 s timeout ran out (SIGTERM, and SIGKILL 5.0 s later if still running; N8N_SFI_COMMAND_TIMEOUT_MS sets the timeout), and it ended by SIGKILL after 305.0 s',
		);
	});

	it('does not accept a run printed by a command that then had to be stopped by our timeout', () => {
		const verdict = judgeExecution(end({ stdout: n8nStdout({}), exitCode: 0, timedOut: true }));
		expect(verdict.ok).toBe(false);
		expect(verdict.failure).toMatch(/timed out: .* and it exited with code 0 after/);
	});

	it('says where the run failed, with the exit code', () => {
		const run = runJson({
			error: {
				message: 'Salesforce refused the username and password (authentication failure).',
				description: 'Check the Username and Password.',
			},
		});
		const verdict = judgeExecution(end({ stdout: n8nStdout({ run }), exitCode: 1 }));
		expect(verdict.ok).toBe(false);
		expect(verdict.errorMessage).toBe(
			'Salesforce refused the username and password (authentication failure). — Check the Username and Password.',
		);
		expect(verdict.failure).toMatch(
			/^n8n execute exited with code 1 after 8\.2 s; the run failed at "Salesforce Action": Salesforce refused/,
		);
	});

	it('says when the output ends in a log line cut off mid-way', () => {
		const cut = cutOffInTheRun(n8nStdout({}));
		const verdict = judgeExecution(end({ stdout: cut, exitCode: null, signal: 'SIGKILL' }));
		expect(verdict.failure).toMatch(/its output ends in a log line cut off after \d+ characters/);
	});

	it('says when n8n printed nothing at all', () => {
		const verdict = judgeExecution(end({ exitCode: 0 }));
		expect(verdict.ok).toBe(false);
		expect(verdict.failure).toMatch(
			/^n8n execute exited with code 0 after 8\.2 s; it printed nothing on stdout\./,
		);
	});
});

describe('outputExcerpt', () => {
	it('shows the run as a one-line summary, without its items, and the lines after it', () => {
		const stdout = n8nStdout({
			after: [logLine('info', 'Registered runner "JS Task Runner" (x) ')],
		});
		const excerpt = outputExcerpt(stdout, '');
		expect(excerpt).toContain(
			`info: [the run's JSON: status success, finished true, last node "Salesforce Action"; Start: success, 1 item; Salesforce Action: success, 1 item]`,
		);
		expect(excerpt).toMatch(/\ninfo: Registered runner "JS Task Runner" \(x\)$/);
		expect(excerpt).not.toContain(SESSION_ID);
	});

	it('keeps about the last 2,000 characters of stdout and 1,000 of stderr, from a line start', () => {
		const noise = Array.from({ length: 2_000 }, (_, index) =>
			logLine('info', `[runner:js] line ${index}`),
		).join('\n');
		const excerpt = outputExcerpt(`${noise}\n`, 'e'.repeat(50_000));
		expect(excerpt.length).toBeLessThan(EXCERPT_MAX_CHARS * 1.5 + 300);
		expect(excerpt).toMatch(
			/--- stdout \(\d+ characters\) ---\n\[… \d+ earlier characters left out\]\ninfo: \[runner:js\] line \d+\n/,
		);
		expect(excerpt).toContain('info: [runner:js] line 1999\n--- stderr (50000 characters) ---');
	});

	it('leaves no password, consumer secret, security token or session id in it, in any encoding', () => {
		const secrets = {
			password: 'Pa$$ w0rd/é',
			consumerSecret: 'C0nsumer-Secret-9F8E7D',
			securityToken: 'tok3nXYZsecurity',
			session: SESSION_ID,
		};
		const stdout = n8nStdout({
			after: [
				logLine(
					'error',
					`POST /services/oauth2/token password=${encodeURIComponent(secrets.password + secrets.securityToken)}&client_secret=${secrets.consumerSecret}`,
				),
				logLine(
					'debug',
					`credential data ${JSON.stringify({ password: secrets.password, consumerSecret: secrets.consumerSecret, accessToken: SESSION_ID })}`,
				),
				logLine('info', `Authorization: Bearer ${SESSION_ID}`),
				`{"level":"info","message":"{\\"access_token\\":\\"${SESSION_ID}\\",\\"instance_url\\":\\"https://acme`,
			],
		});
		const excerpt = outputExcerpt(
			stdout,
			`Error: login as api@acme.com with ${secrets.password} failed`,
			{ secrets: [secrets.password, secrets.consumerSecret, secrets.securityToken] },
		);
		expect(leakedSecrets(excerpt, secrets)).toEqual([]);
		expect(excerpt).toContain('[redacted]');
		expect(excerpt).toContain('login as api@acme.com with [redacted] failed');
	});
});

describe('redactSecrets', () => {
	it('replaces the URL-encoded and JSON-escaped forms of a secret, and Salesforce session ids without being told', () => {
		const text = `a=${encodeURIComponent('p@ss"word&')} b=${JSON.stringify('p@ss"word&')} c=${SESSION_ID}`;
		expect(redactSecrets(text, ['p@ss"word&'])).toBe(
			'a=[redacted] b="[redacted]" c=[redacted session id]',
		);
	});

	it('leaves prose about OAuth and bearer tokens alone', () => {
		const text =
			'Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows; send a Bearer token';
		expect(redactSecrets(text)).toBe(text);
		expect(redactSecrets('Authorization: OAuth abc.def-123 and authorization":"Bearer xyz')).toBe(
			'Authorization: OAuth [redacted] and authorization":"Bearer [redacted]',
		);
	});
});

describe('describeEnd', () => {
	it('never says just "exit null"', () => {
		for (const signal of ['SIGSEGV', 'SIGKILL', 'SIGTERM', 'SIGUSR2'] as const) {
			expect(describeEnd(end({ exitCode: null, signal }))).toMatch(
				new RegExp(`^was killed by ${signal}`),
			);
		}
		expect(describeEnd(end({ exitCode: 3 }))).toBe('exited with code 3 after 8.2 s');
	});
});
