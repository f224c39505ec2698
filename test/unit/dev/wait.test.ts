import { waitFor } from '../../../dev/n8n/wait';

describe('waitFor (the n8n tooling’s one polling loop)', () => {
	it('returns the first value the probe gives', async () => {
		let calls = 0;
		const value = await waitFor('a value', async () => (++calls === 3 ? 'ready' : undefined), {
			intervalMs: 1,
		});
		expect(value).toBe('ready');
		expect(calls).toBe(3);
	});

	it('gives up at once with the reason and the detail (why n8n died, not only that it did)', async () => {
		await expect(
			waitFor('n8n start to be ready', async () => undefined, {
				abortReason: () => 'n8n start exited (code 1)',
				detail: () => 'Error: There was an error initializing DB',
			}),
		).rejects.toThrow(
			'Gave up waiting for n8n start to be ready: n8n start exited (code 1):\nError: There was an error initializing DB',
		);
	});

	it('times out naming what it waited for, with the detail', async () => {
		await expect(
			waitFor('the trigger', async () => undefined, {
				timeoutMs: 5,
				intervalMs: 1,
				detail: () => 'last status: pending',
			}),
		).rejects.toThrow('Timed out after 0.005s waiting for the trigger:\nlast status: pending');
	});
});
