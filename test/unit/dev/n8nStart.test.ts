/**
 * `N8nInstance.startServer` against a fake `n8n start` that fails the way n8n 2.41 does when a port
 * it was given is taken before it binds it (its editor's or its task broker's), and then otherwise.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8nInstance, portTakenIn } from '../../../dev/n8n/cli';

jest.setTimeout(30_000);

/** Counts its starts in FAKE_N8N_COUNT; the first FAKE_N8N_TAKEN starts report a port in use, later ones a database error. */
const FAKE_N8N_START = `
const fs = require('node:fs');
const countFile = process.env.FAKE_N8N_COUNT;
const start = Number(fs.existsSync(countFile) ? fs.readFileSync(countFile, 'utf8') : 0) + 1;
fs.writeFileSync(countFile, String(start));
const taken = process.env.FAKE_N8N_TAKEN_PORT === 'broker'
	? "n8n Task Broker's port " + process.env.N8N_RUNNERS_BROKER_PORT + ' is already in use. Do you have another instance of n8n running already?'
	: "n8n's port " + process.env.N8N_PORT + ' is already in use. Do you have another instance of n8n running already?';
console.log(start <= Number(process.env.FAKE_N8N_TAKEN) ? taken : 'There was an error initializing DB');
process.exit(1);
`;

describe('N8nInstance.startServer when a port is taken before n8n binds it', () => {
	let folder: string;
	let n8nBin: string;
	let countFile: string;

	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'sfi-fake-n8n-start-'));
		n8nBin = join(folder, 'n8n.js');
		countFile = join(folder, 'starts');
		writeFileSync(n8nBin, FAKE_N8N_START);
	});
	afterEach(() => rmSync(folder, { recursive: true, force: true }));

	const instance = (taken: number, which: 'editor' | 'broker' = 'editor') =>
		new N8nInstance({
			userFolder: join(folder, 'user'),
			runtime: { nodeBinary: process.execPath, n8nBin, env: { PATH: process.env.PATH ?? '' } },
			env: {
				FAKE_N8N_COUNT: countFile,
				FAKE_N8N_TAKEN: String(taken),
				FAKE_N8N_TAKEN_PORT: which,
			},
		});
	const starts = () => Number(readFileSync(countFile, 'utf8'));

	it("starts again on new ports after n8n's editor port was taken, and reports what failed next", async () => {
		await expect(instance(1).startServer()).rejects.toThrow(
			/n8n start exited \(code 1\):\n.*There was an error initializing DB/s,
		);
		expect(starts()).toBe(2);
	});

	it("starts again after the task broker's port was taken", async () => {
		await expect(instance(1, 'broker').startServer()).rejects.toThrow(
			'There was an error initializing DB',
		);
		expect(starts()).toBe(2);
	});

	it('tries three times at most, and says the port was in use', async () => {
		await expect(instance(10).startServer()).rejects.toThrow(/port \d+ is already in use/);
		expect(starts()).toBe(3);
	});

	it('does not retry a port it was asked to use (someone else has it)', async () => {
		await expect(instance(10).startServer({ port: 45_931 })).rejects.toThrow(
			"n8n's port 45931 is already in use",
		);
		expect(starts()).toBe(1);
	});

	it('does not retry other failures', async () => {
		await expect(instance(0).startServer()).rejects.toThrow('There was an error initializing DB');
		expect(starts()).toBe(1);
	});

	it('reads the port from either message', () => {
		expect(portTakenIn("n8n's port 40123 is already in use. Do you have…")).toBe(40123);
		expect(portTakenIn("n8n Task Broker's port 5679 is already in use.")).toBe(5679);
		expect(portTakenIn('There was an error initializing DB')).toBeUndefined();
	});
});
