export interface WaitOptions {
	/** Default 60 s. */
	timeoutMs?: number;
	/** Between two probes; default 500 ms. */
	intervalMs?: number;
	/** Checked before each probe: a reason to give up at once (the process died…), else undefined. */
	abortReason?: () => string | undefined;
	/** Appended to the message when it gives up or times out (a log tail, the last state seen…). */
	detail?: () => string;
}

/**
 * Probes until it returns a value (not undefined) and returns that value; throws, naming `what`,
 * after `timeoutMs` or as soon as `abortReason` gives one. The one polling loop of the n8n tooling.
 */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	options: WaitOptions = {},
): Promise<T> {
	const timeoutMs = options.timeoutMs ?? 60_000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const abort = options.abortReason?.();
		if (abort !== undefined) {
			const detail = options.detail?.();
			throw new Error(`Gave up waiting for ${what}: ${abort}${detail ? `:\n${detail}` : ''}`);
		}
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) {
			const detail = options.detail?.();
			throw new Error(
				`Timed out after ${timeoutMs / 1000}s waiting for ${what}${detail ? `:\n${detail}` : ''}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
	}
}
