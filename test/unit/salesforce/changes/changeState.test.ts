import fc from 'fast-check';
import {
	ChangeKeys,
	CHANGE_STATE_VERSION,
	loadChangeState,
	storeChangeState,
	type ChangeState,
} from '../../../../nodes/salesforce';

const H = Date.UTC(2026, 11, 4, 10, 0, 0);
const KEY = '["","account","createdOrUpdated","SystemModstamp"]';
const id = (n: number) => `001${String(n).padStart(12, '0')}AAA`;

function stateWith(keys: Array<[string, number]>, extra: Partial<ChangeState> = {}): ChangeState {
	const seen = new ChangeKeys();
	for (const [recordId, stamp] of keys) seen.add(recordId, stamp);
	return { key: KEY, horizon: H, seen, ...extra };
}

describe('ChangeKeys: record Id + stamp, to the second', () => {
	it('one record is one key whether its Id has 15 or 18 characters, and within its second', () => {
		const keys = new ChangeKeys();
		keys.add('001000000000001AAA', H + 7_400);
		expect(keys.has('001000000000001', H + 7_000)).toBe(true);
		expect(keys.has('001000000000001ZZZ', H + 7_999)).toBe(true);
		expect(keys.has('001000000000001AAA', H + 8_000)).toBe(false);
		expect(keys.has('001000000000002AAA', H + 7_000)).toBe(false);
		expect(keys.size).toBe(1);
	});

	it('keeps only the keys at or after a horizon', () => {
		const keys = new ChangeKeys();
		keys.add(id(1), H - 1_000);
		keys.add(id(2), H);
		keys.add(id(3), H + 60_000);
		const kept = keys.from(H);
		expect(kept.entries()).toEqual([
			[H, [id(2).slice(0, 15)]],
			[H + 60_000, [id(3).slice(0, 15)]],
		]);
		expect(keys.size).toBe(3);
	});
});

describe('the stored state', () => {
	it('round-trips, and stores seconds as offsets from the horizon', () => {
		const state = stateWith(
			[
				[id(2), H + 5_000],
				[id(1), H + 5_000],
				[id(3), H],
			],
			{ lostDeletions: { from: H - 86_400_000, to: H - 60_000 } },
		);
		const stored = storeChangeState(state);
		expect(stored).toEqual({
			version: CHANGE_STATE_VERSION,
			key: KEY,
			horizon: '2026-12-04T10:00:00.000Z',
			seen: { 0: id(3).slice(0, 15), 5: `${id(1).slice(0, 15)}${id(2).slice(0, 15)}` },
			lostDeletions: { from: '2026-12-03T10:00:00.000Z', to: '2026-12-04T09:59:00.000Z' },
		});
		const loaded = loadChangeState(JSON.parse(JSON.stringify(stored)), KEY);
		expect(loaded.state?.horizon).toBe(H);
		expect(loaded.state?.seen.entries()).toEqual(state.seen.entries());
		expect(loaded.state?.lostDeletions).toEqual(state.lostDeletions);
	});

	it('stays small: 5,000 records changed in the last minute store about 80 KB of JSON', () => {
		const keys: Array<[string, number]> = Array.from({ length: 5_000 }, (_, n) => [
			id(n),
			H + (n % 60) * 1_000,
		]);
		const json = JSON.stringify(storeChangeState(stateWith(keys)));
		expect(json.length).toBeLessThan(80_000);
		expect(loadChangeState(JSON.parse(json), KEY).state?.seen.size).toBe(5_000);
	});

	it.each<[string, unknown, string]>([
		['nothing stored', undefined, 'nothing-stored'],
		['null', null, 'nothing-stored'],
		[
			"another trigger's parameters",
			{ ...storeChangeState(stateWith([])), key: '["","contact","created","CreatedDate"]' },
			'other-parameters',
		],
		['a future version', { ...storeChangeState(stateWith([])), version: 2 }, 'unreadable'],
		[
			'a broken horizon',
			{ ...storeChangeState(stateWith([])), horizon: 'yesterday' },
			'unreadable',
		],
		[
			'a broken Id run',
			{ ...storeChangeState(stateWith([])), seen: { 0: '001000000000001AA' } },
			'unreadable',
		],
		[
			'a negative offset',
			{ ...storeChangeState(stateWith([])), seen: { '-1': id(1).slice(0, 15) } },
			'unreadable',
		],
		[
			'a broken lost window',
			{ ...storeChangeState(stateWith([])), lostDeletions: { from: 'x' } },
			'unreadable',
		],
		[
			"the state of n8n's built-in trigger",
			{ lastTimeChecked: '2026-12-04T10:00:00Z' },
			'unreadable',
		],
	])('%s starts afresh (%s)', (_name, stored, fresh) => {
		expect(loadChangeState(stored, KEY)).toEqual({ fresh });
	});

	it('never throws, whatever the static data holds (property)', () => {
		fc.assert(
			fc.property(fc.anything(), (stored) => {
				const loaded = loadChangeState(stored, KEY);
				expect(loaded.state !== undefined || loaded.fresh !== undefined).toBe(true);
			}),
			{ numRuns: 300 },
		);
	});
});
