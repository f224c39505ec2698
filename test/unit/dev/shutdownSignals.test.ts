import {
	installShutdownSignals,
	REPEAT_IGNORED_MS,
	shutdownSignals,
} from '../../../dev/shutdown-signals';

/** `npm start`'s Ctrl-C: one Ctrl-C, even when it arrives twice, stops gracefully; a real second one forces. */
describe('shutdownSignals', () => {
	function setUp() {
		let clock = 0;
		const calls: string[] = [];
		const signals = shutdownSignals({
			stop: (signal) => calls.push(`stop ${signal}`),
			force: (signal) => calls.push(`force ${signal}`),
			now: () => clock,
		});
		return { signals, calls, advance: (ms: number) => (clock += ms) };
	}

	it('starts the graceful stop on the first signal', () => {
		const { signals, calls } = setUp();
		expect(signals.stopping).toBe(false);
		expect(signals.handle('SIGINT')).toBe('stop');
		expect(signals.stopping).toBe(true);
		expect(calls).toEqual(['stop SIGINT']);
	});

	it('takes the copy tsx relays 30–50 ms later for the same Ctrl-C', () => {
		const { signals, calls, advance } = setUp();
		signals.handle('SIGINT');
		advance(45);
		expect(signals.handle('SIGINT')).toBe('ignored');
		advance(10);
		expect(signals.handle('SIGINT')).toBe('ignored');
		expect(calls).toEqual(['stop SIGINT']);
	});

	it('ignores repeats for the whole window, whichever signal they are', () => {
		const { signals, calls, advance } = setUp();
		signals.handle('SIGTERM');
		advance(REPEAT_IGNORED_MS - 1);
		expect(signals.handle('SIGINT')).toBe('ignored');
		expect(calls).toEqual(['stop SIGTERM']);
	});

	it('forces on a second Ctrl-C once the window has passed, and only once', () => {
		const { signals, calls, advance } = setUp();
		signals.handle('SIGINT');
		advance(30);
		signals.handle('SIGINT');
		advance(REPEAT_IGNORED_MS);
		expect(signals.handle('SIGINT')).toBe('force');
		advance(40);
		expect(signals.handle('SIGINT')).toBe('ignored');
		expect(calls).toEqual(['stop SIGINT', 'force SIGINT']);
	});

	it('keeps its listeners when installed, so a repeated signal cannot end the process by default', () => {
		const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
		const seen: string[] = [];
		const signals = shutdownSignals({
			stop: (s) => seen.push(`stop ${s}`),
			force: (s) => seen.push(`force ${s}`),
		});
		installShutdownSignals(signals);
		const added = {
			int: process.listeners('SIGINT').slice(before.int),
			term: process.listeners('SIGTERM').slice(before.term),
		};
		try {
			expect(added.int).toHaveLength(1);
			expect(added.term).toHaveLength(1);
			process.emit('SIGINT', 'SIGINT');
			process.emit('SIGINT', 'SIGINT');
			expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
			expect(seen).toEqual(['stop SIGINT']);
		} finally {
			for (const listener of added.int) process.removeListener('SIGINT', listener);
			for (const listener of added.term) process.removeListener('SIGTERM', listener);
		}
	});
});
