/**
 * Ctrl-C for `npm start`: the first SIGINT (or SIGTERM) stops everything gracefully, a second one
 * forces the exit — but only a second one the user really sent.
 *
 * One Ctrl-C can reach this process twice. A terminal sends SIGINT to its whole foreground process
 * group, and when the script runs under the `tsx` command (`npx tsx dev/start.ts`), tsx receives it
 * too and relays it to its child, this process, unless the child acknowledges its own copy over
 * tsx's IPC channel within 30 ms. That handshake races with the terminal's signal and is lost now
 * and then: the relayed copy then arrives 30–50 ms after the first (measured with strace:
 * `kill(<this pid>, SIGINT)` from tsx ~45 ms after the kernel's SIGINT). Counted as a second
 * Ctrl-C it used to print "Forcing shutdown" and kill n8n before n8n's own shutdown ran.
 * (`npm start` now runs `node --import tsx`, with no tsx process in between; npm forwards its
 * copy to `sh`, which does not pass it on. The window below still covers other ways to run it.)
 *
 * Nothing in a signal says who sent it, so a repeat that arrives within `repeatIgnoredMs` of the
 * first is taken as the same Ctrl-C. A person pressing Ctrl-C again because the stop takes too long
 * does so seconds later.
 */
export const REPEAT_IGNORED_MS = 1_000;

export type SignalOutcome = 'stop' | 'ignored' | 'force';

export interface ShutdownOptions {
	/** Starts the graceful stop (called once, for the first signal). */
	stop: (signal: NodeJS.Signals) => void;
	/** Ends the process at once (called for a genuine second signal). */
	force: (signal: NodeJS.Signals) => void;
	/** Repeats this soon after the first signal are the same Ctrl-C arriving twice. */
	repeatIgnoredMs?: number;
	now?: () => number;
}

export interface ShutdownSignals {
	/** What to do with a signal this process received; calls `stop` or `force` accordingly. */
	handle: (signal: NodeJS.Signals) => SignalOutcome;
	/** True once the first signal started the stop. */
	readonly stopping: boolean;
}

export function shutdownSignals(options: ShutdownOptions): ShutdownSignals {
	const now = options.now ?? Date.now;
	const repeatIgnoredMs = options.repeatIgnoredMs ?? REPEAT_IGNORED_MS;
	let firstAt: number | undefined;
	let forced = false;
	const handle = (signal: NodeJS.Signals): SignalOutcome => {
		if (firstAt === undefined) {
			firstAt = now();
			options.stop(signal);
			return 'stop';
		}
		if (forced || now() - firstAt < repeatIgnoredMs) return 'ignored';
		forced = true;
		options.force(signal);
		return 'force';
	};
	return {
		handle,
		get stopping() {
			return firstAt !== undefined;
		},
	};
}

/** Routes SIGINT and SIGTERM to `signals.handle` (listeners stay installed, so no repeat ends the process by default). */
export function installShutdownSignals(signals: ShutdownSignals): void {
	for (const signal of ['SIGINT', 'SIGTERM'] as const)
		process.on(signal, () => void signals.handle(signal));
}
