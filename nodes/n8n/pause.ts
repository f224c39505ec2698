/**
 * Waiting that a signal can cut short, in every n8n the package supports (community nodes may not
 * use timers of their own): n8n-workflow 2.x has `sleep(ms, signal)` and no `sleepWithAbort`; 1.x
 * has `sleepWithAbort(ms, signal)` and a `sleep(ms)` that ignores a signal. 1.x's never removes its
 * listener, so each wait listens on a signal of its own, linked to the caller's for as long as it waits.
 */
import * as n8nWorkflow from 'n8n-workflow';

type AbortableSleep = (ms: number, signal: AbortSignal) => Promise<void>;

function abortableSleep(): AbortableSleep {
	const exported = n8nWorkflow as unknown as { sleepWithAbort?: unknown; sleep: AbortableSleep };
	return typeof exported.sleepWithAbort === 'function'
		? (exported.sleepWithAbort as AbortableSleep)
		: exported.sleep;
}

/**
 * Resolves after `ms`, or rejects as soon as `signal` aborts (at once if it already has). Nothing is
 * left waiting either way. Without a signal, a plain wait.
 */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (!signal)
		return await (n8nWorkflow as unknown as { sleep: (ms: number) => Promise<void> }).sleep(ms);
	if (signal.aborted) throw new Error('aborted');
	const own = new AbortController();
	const abort = (): void => own.abort();
	signal.addEventListener('abort', abort, { once: true });
	try {
		await abortableSleep()(ms, own.signal);
	} finally {
		signal.removeEventListener('abort', abort);
	}
}

/** The promise's value, or `undefined` as soon as `signal` aborts (the promise is left to settle on its own). */
export async function unlessAborted<T>(
	promise: Promise<T>,
	signal: AbortSignal | undefined,
): Promise<T | undefined> {
	if (!signal) return await promise;
	if (signal.aborted) return undefined;
	let stop = (): void => undefined;
	const aborted = new Promise<undefined>((resolve) => {
		stop = () => resolve(undefined);
		signal.addEventListener('abort', stop, { once: true });
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		signal.removeEventListener('abort', stop);
	}
}
