import {
	buildGetManyQuery,
	checkChangeWatch,
	type ChangeWatch,
} from '../../../../nodes/salesforce';
import {
	changesQuery,
	probeQuery,
	recycleBinQuery,
	sampleQuery,
	startKeysQuery,
} from '../../../../nodes/salesforce/changes/changeQueries';
import { FIELD_TYPES } from './model/modelRun';
import { refusal } from '../rest/restRefusal';

const H = Date.UTC(2026, 11, 4, 10, 0, 7);
const AT = '2026-12-04T10:00:07Z';

function watch(extra: Partial<ChangeWatch> = {}): ChangeWatch {
	return {
		sobject: 'Account',
		event: 'createdOrUpdated',
		fields: ['Name'],
		fieldTypes: FIELD_TYPES,
		...extra,
	};
}

describe("checkChangeWatch: the trigger's parameters", () => {
	it.each<[string, Partial<ChangeWatch>, string]>([
		['created reads CreatedDate', { event: 'created' }, 'CreatedDate'],
		[
			'createdOrUpdated reads SystemModstamp by default',
			{ event: 'createdOrUpdated' },
			'SystemModstamp',
		],
		[
			'updated, LastModifiedDate chosen',
			{ event: 'updated', timestampField: 'LastModifiedDate' },
			'LastModifiedDate',
		],
		[
			'deleted reads the Recycle Bin by SystemModstamp, whatever the option says',
			{ event: 'deleted', timestampField: 'LastModifiedDate' },
			'SystemModstamp',
		],
		['created ignores the option', { event: 'created', timestampField: 'nonsense' }, 'CreatedDate'],
	])('%s', (_name, extra, stampField) => {
		expect(checkChangeWatch(watch(extra)).stampField).toBe(stampField);
	});

	it('refuses an unknown event or timestamp field, naming the parameter', () => {
		expect(refusal(() => checkChangeWatch(watch({ event: 'modified' }))).message).toBe(
			'Event: "modified" is not an event of this trigger',
		);
		expect(
			refusal(() => checkChangeWatch(watch({ event: 'updated', timestampField: 'CreatedDate' })))
				.message,
		).toBe('Timestamp Field: "CreatedDate" is not a timestamp field of this trigger');
		expect(refusal(() => checkChangeWatch(watch({ sobject: 'Account; DELETE' }))).parameter).toBe(
			'Object',
		);
		expect(
			refusal(() => checkChangeWatch(watch({ fields: ['Name', 'Bad Field'] }))).parameter,
		).toBe('Fields');
	});

	it('keys a state by org, object (any case), event and timestamp field — not by fields or conditions', () => {
		const key = (extra: Partial<ChangeWatch>) => checkChangeWatch(watch(extra)).stateKey;
		expect(key({ sobject: 'account' })).toBe(key({}));
		expect(
			key({
				fields: ['Name', 'Rating'],
				conditions: [{ field: 'Rating', operator: 'equal', value: 'Hot' }],
			}),
		).toBe(key({}));
		const distinct = [
			key({}),
			key({ event: 'created' }),
			key({ event: 'updated' }),
			key({ timestampField: 'LastModifiedDate' }),
			key({ event: 'deleted' }),
			key({ sobject: 'Contact' }),
			key({ scope: '00D000000000001' }),
		];
		expect(new Set(distinct).size).toBe(distinct.length);
	});
});

describe('the SOQL a change trigger runs', () => {
	it.each<
		[string, Partial<ChangeWatch>, (checked: ReturnType<typeof checkChangeWatch>) => string, string]
	>([
		[
			"a poll's read",
			{},
			(w) => changesQuery(w, H),
			`SELECT Id, SystemModstamp, Name FROM Account WHERE SystemModstamp >= ${AT} ORDER BY SystemModstamp, Id`,
		],
		[
			'updated reads CreatedDate too',
			{ event: 'updated', timestampField: 'LastModifiedDate' },
			(w) => changesQuery(w, H),
			`SELECT Id, LastModifiedDate, CreatedDate, Name FROM Account WHERE LastModifiedDate >= ${AT} ORDER BY LastModifiedDate, Id`,
		],
		[
			'created',
			{ event: 'created', fields: [] },
			(w) => changesQuery(w, H),
			`SELECT Id, CreatedDate FROM Account WHERE CreatedDate >= ${AT} ORDER BY CreatedDate, Id`,
		],
		[
			"the first poll's keys: no conditions",
			{ conditions: [{ field: 'Rating', operator: 'equal', value: 'Hot' }] },
			(w) => startKeysQuery(w, H),
			`SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= ${AT} ORDER BY SystemModstamp, Id`,
		],
		[
			"the first poll's probe",
			{ conditions: [{ field: 'Rating', operator: 'equal', value: 'Hot' }] },
			(w) => probeQuery(w, H),
			`SELECT Id, SystemModstamp, Name FROM Account WHERE SystemModstamp >= ${AT} AND Rating = 'Hot' LIMIT 1`,
		],
		[
			'the Recycle Bin, with the conditions',
			{ event: 'deleted', conditions: [{ field: 'Rating', operator: 'equal', value: 'Hot' }] },
			(w) => recycleBinQuery(w, H),
			`SELECT Id, SystemModstamp, Name FROM Account WHERE IsDeleted = true AND SystemModstamp >= ${AT} AND Rating = 'Hot' ORDER BY SystemModstamp, Id`,
		],
		[
			"the Recycle Bin's Ids, without",
			{ event: 'deleted', conditions: [{ field: 'Rating', operator: 'equal', value: 'Hot' }] },
			(w) => recycleBinQuery(w, H, { idsOnly: true }),
			`SELECT Id, SystemModstamp FROM Account WHERE IsDeleted = true AND SystemModstamp >= ${AT} ORDER BY SystemModstamp, Id`,
		],
		[
			'Fetch Test Event',
			{},
			(w) => sampleQuery(w, 1),
			'SELECT Id, SystemModstamp, Name FROM Account ORDER BY SystemModstamp DESC, Id DESC LIMIT 1',
		],
		[
			'Fetch Test Event, deleted',
			{ event: 'deleted' },
			(w) => sampleQuery(w, 3),
			'SELECT Id, SystemModstamp, Name FROM Account WHERE IsDeleted = true ORDER BY SystemModstamp DESC, Id DESC LIMIT 3',
		],
	])('%s', (_name, extra, build, soql) => {
		expect(build(checkChangeWatch(watch(extra)))).toBe(soql);
	});

	it('writes conditions exactly as Record → Get Many does (same escaping, same typed literals)', () => {
		const conditions = [
			{ field: 'Name', operator: 'equal', value: "x' OR Name != '" },
			{ field: 'Name', operator: 'like', value: '100\\%_%' },
			{ field: 'CreatedDate', operator: 'greaterThan', value: '2026-01-31T09:30:00+0100' },
			{ field: 'IsDeleted', operator: 'equal', value: 'FALSE' },
		];
		const getMany = buildGetManyQuery({ sobject: 'Account', conditions, fieldTypes: FIELD_TYPES });
		const where = getMany.slice(getMany.indexOf(' WHERE ') + ' WHERE '.length);
		expect(changesQuery(checkChangeWatch(watch({ conditions })), H)).toContain(
			`WHERE SystemModstamp >= ${AT} AND ${where} ORDER BY`,
		);
	});

	it("refuses a condition as Get Many does, numbering the user's rows", () => {
		const error = refusal(() =>
			changesQuery(
				checkChangeWatch(
					watch({
						conditions: [
							{ field: 'Rating', operator: 'equal', value: 'Hot' },
							{ field: 'Nmae', operator: 'equal', value: 'x' },
						],
					}),
				),
				H,
			),
		);
		expect(error.message).toBe('Conditions row 2, Field: Account has no field "Nmae"');
	});

	it('never writes the +0000 form, which is no SOQL literal', () => {
		const checked = checkChangeWatch(watch({ event: 'deleted' }));
		for (const soql of [
			changesQuery(checked, H),
			startKeysQuery(checked, H),
			probeQuery(checked, H),
			recycleBinQuery(checked, H),
		])
			expect(soql).not.toMatch(/\+0000/);
	});
});
