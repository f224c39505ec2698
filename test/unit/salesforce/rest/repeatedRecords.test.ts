import { salesforceId } from '../../../../dev/salesforce-standin/ids';
import {
	describeRepeat,
	planWriteRounds,
	recordIdKey,
	sameValues,
} from '../../../../nodes/salesforce';

type Row = { Id?: string; Name?: string };
const byId = (row: Row) => (row.Id ? { key: recordIdKey(row.Id), shown: row.Id } : undefined);
const sameName = (a: Row, b: Row) => a.Name === b.Name;

describe('planWriteRounds: no request names a record twice', () => {
	it("identical repeats share one write, and every input its record's result", () => {
		const rows: Row[] = ['A', 'B', 'C', 'A', 'B', 'C', 'A', 'B', 'C'].map((id) => ({
			Id: `001${id.repeat(15)}`,
			Name: 'same',
		}));
		const plan = planWriteRounds(rows, byId, sameName);
		expect(plan.rounds).toHaveLength(1);
		expect(plan.rounds[0].records).toEqual(rows.slice(0, 3));
		expect(plan.rounds[0].positions).toEqual([
			[0, 3, 6],
			[1, 4, 7],
			[2, 5, 8],
		]);
		expect(plan.repeated.map(({ positions, writes }) => ({ positions, writes }))).toEqual([
			{ positions: [0, 3, 6], writes: 1 },
			{ positions: [1, 4, 7], writes: 1 },
			{ positions: [2, 5, 8], writes: 1 },
		]);
	});

	it("a repeat that writes something else goes in a later round, in item order (the last item's values win, as applied one by one)", () => {
		const id = '001AAAAAAAAAAAAAAA';
		const rows: Row[] = [
			{ Id: id, Name: 'x' },
			{ Id: '001BBBBBBBBBBBBBBB', Name: 'b' },
			{ Id: id, Name: 'y' },
			{ Id: id, Name: 'y' },
			{ Id: id, Name: 'x' },
		];
		const plan = planWriteRounds(rows, byId, sameName);
		expect(plan.rounds.map((round) => round.positions)).toEqual([[[0], [1]], [[2, 3]], [[4]]]);
		expect(plan.rounds.map((round) => round.records.map((row) => row.Name))).toEqual([
			['x', 'b'],
			['y'],
			['x'],
		]);
		expect(plan.repeated).toEqual([{ key: id, positions: [0, 2, 3, 4], writes: 3 }]);
	});

	it('records without a key (to create) are never merged', () => {
		const plan = planWriteRounds<Row>([{ Name: 'n' }, { Name: 'n' }], byId, sameName);
		expect(plan.rounds[0].positions).toEqual([[0], [1]]);
		expect(plan.repeated).toEqual([]);
	});
});

describe('recordIdKey', () => {
	it("names one record the same in its 15- and 18-character forms, whatever the 18 characters' case", () => {
		// Salesforce's checksum: per 5 characters, a bit for each capital letter ('001Ab' → 8 → I).
		expect(recordIdKey('001Ab00000XyZ12')).toBe('001AB00000XYZ12IAF');
		expect(recordIdKey('001ab00000xyz12iaf')).toBe(recordIdKey('001Ab00000XyZ12'));
		for (let index = 0; index < 20; index++) {
			const id = salesforceId('001');
			expect(recordIdKey(id.slice(0, 15))).toBe(id.toUpperCase());
		}
		// 15-character Ids differing only in case name different records.
		expect(recordIdKey('001ab00000xyz12')).not.toBe(recordIdKey('001Ab00000XyZ12'));
	});
});

describe('sameValues', () => {
	it.each<[unknown, unknown, boolean]>([
		[{ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }, true],
		[{ a: 1, b: undefined }, { a: 1 }, true],
		[{ a: 1 }, { a: '1' }, false],
		[{ a: null }, { a: undefined }, false],
		[[1, 2], [2, 1], false],
	])('%j ~ %j: %s', (a, b, same) => expect(sameValues(a, b)).toBe(same));
});

describe('describeRepeat', () => {
	it('names the items (by n8n item index) and how the record was written', () => {
		expect(
			describeRepeat({ key: '001A', positions: [0, 1, 2], writes: 1 }, [4, 10, 16], 'deleted'),
		).toBe('items 4, 10 and 16 name 001A: deleted once for all of them');
		expect(
			describeRepeat({ key: '001A', positions: [0, 2], writes: 2 }, [0, 1, 2], 'written'),
		).toBe('items 0 and 2 name 001A: written in item order, 2 times (their values differ)');
	});
});
