/**
 * (t5)'s figures from what was measured: the polling trigger's latency against the event trigger's
 * for the same changes, its REST requests per poll and per change, and whether each change came once.
 */
import { pollingFigures, type PollingMeasurement } from '../../../dev/bench/polling-beside-events';

const measured = (overrides: Partial<PollingMeasurement> = {}): PollingMeasurement => ({
	changes: 4,
	pollingLatencies: [12_000, 30_000, 45_000, 58_000],
	eventLatencies: [20, 30, 40, 50],
	judgement: { expected: 4, emitted: 4, missed: 0, repeated: 0 },
	polls: [1, 1, 2, 1, 1],
	eventRequests: 0,
	eventConnects: 4,
	...overrides,
});

it('compares the medians of the same changes and counts the requests per poll, per change and per idle day', () => {
	const figures = pollingFigures(measured());
	expect(figures.eachOnce).toBe(true);
	// Medians 37.5 s and 35 ms.
	expect(figures.row).toContain(
		"median **37.5 s** (max 58.0 s) — **1,071×** the event trigger's 35 ms",
	);
	expect(figures.row).toContain('each once: 4 emitted, 0 missed, 0 repeated');
	// 6 requests over 5 polls, for 4 changes; an idle poll costs 1.
	expect(figures.row).toContain(
		'REST requests **1.2** per poll (1–2, 5 polls), **1.5** per change, 1,440 a day even with no change',
	);
	expect(figures.row).toContain('the event trigger **0** (4 long-poll connects apart)');
	expect(figures.log).not.toContain('**');
});

it('a change the polling trigger missed or repeated is not "each once", and its latency is left out of the median', () => {
	const missed = pollingFigures(
		measured({
			pollingLatencies: [12_000, Number.NaN, 45_000, 58_000],
			judgement: { expected: 4, emitted: 3, missed: 1, repeated: 0 },
		}),
	);
	expect(missed.eachOnce).toBe(false);
	expect(missed.row).toContain('median **45.0 s**');
	expect(
		pollingFigures(measured({ judgement: { expected: 4, emitted: 5, missed: 0, repeated: 1 } }))
			.eachOnce,
	).toBe(false);
});

it('a change the event trigger did not deliver is not "each once" either', () => {
	expect(pollingFigures(measured({ eventLatencies: [20, Number.NaN, 40, 50] })).eachOnce).toBe(
		false,
	);
});
