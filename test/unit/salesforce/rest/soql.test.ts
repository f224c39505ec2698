import fc from 'fast-check';
import {
	buildGetManyQuery,
	buildSelectQuery,
	checkApiName,
	soqlBooleanLiteral,
	soqlDateTimeLiteral,
	soqlLikeLiteral,
	soqlStringLiteral,
} from '../../../../nodes/salesforce';
import { NASTY_PIECES } from '../../fuzz/fuzzSupport';
import { parseGetManyQuery, tokenize } from './soqlTokens';
import { refusal } from './restRefusal';

const HOSTILE = [
	"x' OR Name != '",
	"' OR '1'='1",
	'a\\',
	"a\\' OR Id != null OR Name = '",
	'line\nbreak',
	'cr\rlf\r\n',
	'tab\there',
	'\u0027',
	"\\u0027) OR (Name != '",
	'100%',
	'_',
	') OR (',
	"' LIMIT 1 --",
	'"double"',
	'\b\f\u0000\u0007\u001f\u007f\u0085',
	'\u2028\u2029',
	"O'Brien & Söhne 😀",
	'SELECT Id FROM User',
	"\\\\'",
	'',
];

describe('soqlStringLiteral escapes exactly what SOQL needs', () => {
	it.each([
		['Acme', "'Acme'"],
		["O'Brien", "'O\\'Brien'"],
		['back\\slash', "'back\\\\slash'"],
		['say "hi"', '\'say \\"hi\\"\''],
		['a\nb\rc\td', "'a\\nb\\rc\\td'"],
		['\b\f', "'\\b\\f'"],
		['\u0000\u0001\u001f\u007f\u0085', "'\\u0000\\u0001\\u001f\\u007f\\u0085'"],
		['\u2028', "'\\u2028'"],
		['100% _x_', "'100% _x_'"],
		['Ünïcödé 漢字 😀', "'Ünïcödé 漢字 😀'"],
		['', "''"],
	])('%j → %s', (text, literal) => {
		expect(soqlStringLiteral(text)).toBe(literal);
	});

	it.each(HOSTILE)('%j decodes back to itself and stays one literal', (text) => {
		const tokens = tokenize(soqlStringLiteral(text));
		expect(tokens).toEqual([{ kind: 'string', value: text }]);
	});

	it('holds for any text (property)', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string({ unit: 'binary' }),
					fc.string({ unit: fc.constantFrom(...NASTY_PIECES, ...HOSTILE) }),
				),
				(text) => {
					expect(tokenize(soqlStringLiteral(text))).toEqual([{ kind: 'string', value: text }]);
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('soqlLikeLiteral keeps % and _ as wildcards and escapes the rest', () => {
	it.each([
		['Acme%', "'Acme%'"],
		['_cme', "'_cme'"],
		["O'Br%", "'O\\'Br%'"],
		['50\\%', "'50\\%'"],
		['a\\_b', "'a\\_b'"],
		['a\\b', "'a\\\\b'"],
		['trailing\\', "'trailing\\\\'"],
		["x' OR Name LIKE '%", "'x\\' OR Name LIKE \\'%'"],
	])('%j → %s', (pattern, literal) => {
		expect(soqlLikeLiteral(pattern)).toBe(literal);
	});

	it('escapes % and _ too when they are meant literally', () => {
		expect(soqlLikeLiteral('100%_done', { wildcards: false })).toBe("'100\\%\\_done'");
	});

	it('always gives one well-formed literal (property)', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: fc.constantFrom(...NASTY_PIECES, ...HOSTILE, '\\', '%', '_') }),
				(pattern) => {
					const tokens = tokenize(soqlLikeLiteral(pattern));
					expect(tokens).toHaveLength(1);
					expect(tokens[0].kind).toBe('string');
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('checkApiName accepts Salesforce API names only', () => {
	it.each([
		['Account'],
		['Invoice__c'],
		['ns__Invoice__c'],
		['Invoice_Line__c'],
		['Address2__c'],
		['Location__latitude__s'],
		['Event__e'],
		['Config__mdt'],
		['Archive__b'],
		['External__x'],
		['AccountHistory'],
	])('%s', (name) => {
		expect(checkApiName(name, 'Object')).toBe(name);
	});

	it('trims what was typed', () => {
		expect(checkApiName('  Account \n', 'Object')).toBe('Account');
	});

	it.each([['Account.Name'], ['Owner.Manager.Email'], ['Parent__r.Amount__c']])(
		'field path %s',
		(path) => {
			expect(checkApiName(path, 'Fields', { path: true })).toBe(path);
		},
	);

	it.each([
		['', /^Object: is empty$/],
		['   ', /^Object: is empty$/],
		['1Account', /must start with a letter/],
		['_Account', /must start with a letter/],
		['Account Name', /a space or line break/],
		['Account;DROP', /contains ";"/],
		["Account'", /contains "'"/],
		['Acc\nount', /a space or line break/],
		['Name__', /not a Salesforce API name/],
		['Name_', /not a Salesforce API name/],
		['A___c', /not a Salesforce API name/],
		['Account.Name', /contains "\."/],
		['Account)', /contains "\)"/],
	])('refuses %j naming the parameter', (name, problem) => {
		const error = refusal(() => checkApiName(name, 'Object'));
		expect(error.message).toMatch(/^Object: /);
		expect(error.message).toMatch(problem);
		expect(error.parameter).toBe('Object');
		expect(error.code).toBe('INVALID_INPUT');
		expect(error.description).toMatch(/API name/);
	});

	it.each([['Account..Name'], ['.Name'], ['Name.'], ['A.B.C.D.E.F.G']])(
		'refuses the path %j',
		(path) => {
			expect(refusal(() => checkApiName(path, 'Fields', { path: true })).message).toMatch(
				/^Fields: /,
			);
		},
	);

	it('refuses anything not a string', () => {
		expect(refusal(() => checkApiName({ name: 'Account' }, 'Object')).message).toBe(
			'Object: is empty',
		);
	});
});

describe('buildGetManyQuery builds the query from the parameters', () => {
	const types = {
		Id: 'id',
		Name: 'string',
		Description: 'textarea',
		AnnualRevenue: 'currency',
		NumberOfEmployees: 'int',
		IsDeleted: 'boolean',
		CloseDate: 'date',
		CreatedDate: 'datetime',
		Rating__c: 'percent',
		OwnerId: 'reference',
		Industry: 'picklist',
	};

	it.each<[string, Parameters<typeof buildGetManyQuery>[0], string]>([
		['Id only', { sobject: 'Account' }, 'SELECT Id FROM Account'],
		[
			'fields, deduplicated',
			{ sobject: 'Account', fields: ['Id', 'Name', 'name', 'Owner.Name'] },
			'SELECT Id, Name, Owner.Name FROM Account',
		],
		['a limit', { sobject: 'Invoice__c', limit: 50 }, 'SELECT Id FROM Invoice__c LIMIT 50'],
		[
			'every operator on untyped values',
			{
				sobject: 'Account',
				fields: ['Name'],
				conditions: [
					{ field: 'Name', operator: 'equal', value: 'Acme' },
					{ field: 'Name', operator: 'notEqual', value: 'X' },
					{ field: 'NumberOfEmployees', operator: 'lessThan', value: 10 },
					{ field: 'NumberOfEmployees', operator: 'lessOrEqual', value: 10.5 },
					{ field: 'NumberOfEmployees', operator: 'greaterThan', value: -3 },
					{ field: 'NumberOfEmployees', operator: 'greaterOrEqual', value: 0 },
					{ field: 'Name', operator: 'like', value: 'Ac%' },
					{ field: 'Phone', operator: 'isNull', value: 'ignored' },
					{ field: 'Phone', operator: 'isNotNull' },
					{ field: 'IsDeleted', operator: 'equal', value: false },
					{ field: 'Name', operator: 'equal', value: '42' },
				],
				limit: 5,
			},
			"SELECT Name FROM Account WHERE Name = 'Acme' AND Name != 'X' AND NumberOfEmployees < 10 AND NumberOfEmployees <= 10.5 AND NumberOfEmployees > -3 AND NumberOfEmployees >= 0 AND Name LIKE 'Ac%' AND Phone = null AND Phone != null AND IsDeleted = false AND Name = '42' LIMIT 5",
		],
		[
			'values typed by the describe',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [
					{ field: 'AnnualRevenue', operator: 'greaterThan', value: '1250.50' },
					{ field: 'NumberOfEmployees', operator: 'equal', value: ' 42 ' },
					{ field: 'IsDeleted', operator: 'equal', value: 'TRUE' },
					{ field: 'CloseDate', operator: 'lessThan', value: '2026-01-31' },
					{ field: 'CloseDate', operator: 'equal', value: 'last_n_days:30' },
					{ field: 'CreatedDate', operator: 'greaterOrEqual', value: '2026-01-01T00:00:00Z' },
					{ field: 'CreatedDate', operator: 'lessThan', value: '2013-05-20T20:49:32.000+0000' },
					{ field: 'Rating__c', operator: 'equal', value: 7 },
					{ field: 'Name', operator: 'equal', value: 42 },
					{ field: 'OwnerId', operator: 'equal', value: '005000000000001AAA' },
					{ field: 'Industry', operator: 'notEqual', value: 'Banking' },
					{ field: 'createddate', operator: 'equal', value: 'TODAY' },
				],
			},
			"SELECT Id FROM Account WHERE AnnualRevenue > 1250.50 AND NumberOfEmployees = 42 AND IsDeleted = true AND CloseDate < 2026-01-31 AND CloseDate = LAST_N_DAYS:30 AND CreatedDate >= 2026-01-01T00:00:00Z AND CreatedDate < 2013-05-20T20:49:32.000+00:00 AND Rating__c = 7 AND Name = '42' AND OwnerId = '005000000000001AAA' AND Industry != 'Banking' AND createddate = TODAY",
		],
	])('%s', (_name, query, soql) => {
		expect(buildGetManyQuery(query)).toBe(soql);
	});

	it.each<[string, Parameters<typeof buildGetManyQuery>[0], RegExp]>([
		[
			'an unknown object name',
			{ sobject: 'Account; DELETE' },
			/^Object: "Account; DELETE" contains ";"/,
		],
		['a bad field', { sobject: 'Account', fields: ['Name', 'Id) FROM User --'] }, /^Fields: /],
		[
			'a field the object lacks',
			{ sobject: 'Account', fields: ['Nmae'], fieldTypes: types },
			/^Fields: Account has no field "Nmae"$/,
		],
		[
			'a condition field the object lacks',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'Nmae', operator: 'equal', value: 'x' }],
			},
			/^Conditions row 1, Field: Account has no field "Nmae"$/,
		],
		[
			'a bad condition field',
			{
				sobject: 'Account',
				conditions: [{ field: "Name = 'x' OR Name", operator: 'equal', value: 'x' }],
			},
			/^Conditions row 1, Field: /,
		],
		[
			'an unknown operator',
			{ sobject: 'Account', conditions: [{ field: 'Name', operator: 'OR', value: 'x' }] },
			/^Conditions row 1, Operator: "OR" is not an operator/,
		],
		[
			'text for a number',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [
					{ field: 'Name', operator: 'equal', value: 'a' },
					{ field: 'AnnualRevenue', operator: 'equal', value: '1 OR Name != null' },
				],
			},
			/^Conditions row 2 \(AnnualRevenue\), Value: "1 OR Name != null" is not a number$/,
		],
		[
			'a decimal for a whole number',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'NumberOfEmployees', operator: 'equal', value: '4.5' }],
			},
			/is not a whole number/,
		],
		[
			'an exponent',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'AnnualRevenue', operator: 'equal', value: '1e9' }],
			},
			/is not a number/,
		],
		[
			'yes for a boolean',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'IsDeleted', operator: 'equal', value: 'yes' }],
			},
			/"yes" is not true or false/,
		],
		[
			'a bad date',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'CloseDate', operator: 'equal', value: '2026-02-30' }],
			},
			/"2026-02-30" is not a date/,
		],
		[
			'a date with an injection',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [
					{ field: 'CloseDate', operator: 'equal', value: '2026-01-31 OR Name != null' },
				],
			},
			/is not a date/,
		],
		[
			'a datetime without a zone',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'CreatedDate', operator: 'equal', value: '2026-01-01T00:00:00' }],
			},
			/is not a date and time/,
		],
		[
			'a date literal with an injection',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'CloseDate', operator: 'equal', value: 'TODAY OR Name != null' }],
			},
			/is not a date/,
		],
		[
			'a bad record id',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'OwnerId', operator: 'equal', value: "005' OR Id != '" }],
			},
			/is not a record Id/,
		],
		[
			'an empty number',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'AnnualRevenue', operator: 'equal', value: '' }],
			},
			/Value: is empty$/,
		],
		[
			'like on a number field',
			{
				sobject: 'Account',
				fieldTypes: types,
				conditions: [{ field: 'AnnualRevenue', operator: 'like', value: '1%' }],
			},
			/Like only works on text fields, and AnnualRevenue is a currency field/,
		],
		[
			'an object value',
			{ sobject: 'Account', conditions: [{ field: 'Name', operator: 'equal', value: { a: 1 } }] },
			/is a list or an object/,
		],
		[
			'an infinite number',
			{ sobject: 'Account', conditions: [{ field: 'Amount', operator: 'equal', value: Infinity }] },
			/is not a number SOQL can hold/,
		],
		[
			'a lone surrogate',
			{ sobject: 'Account', conditions: [{ field: 'Name', operator: 'equal', value: 'a\ud800' }] },
			/broken character/,
		],
		['a limit of 0', { sobject: 'Account', limit: 0 }, /^Limit: 0 is not a positive whole number$/],
		[
			'a WHERE clause over 4,000 characters',
			{
				sobject: 'Account',
				conditions: [{ field: 'Name', operator: 'equal', value: 'x'.repeat(4000) }],
			},
			/^Conditions: are 4009 characters long/,
		],
	])('refuses %s, naming the parameter', (_name, query, message) => {
		const error = refusal(() => buildGetManyQuery(query));
		expect(error.message).toMatch(message);
		expect(error.code).toBe('INVALID_INPUT');
		expect(error.description.length).toBeGreaterThan(10);
	});

	it.each(HOSTILE)('hostile value %j stays one string literal in every operator', (value) => {
		const conditions = ['equal', 'notEqual', 'lessThan', 'greaterOrEqual', 'like'].map(
			(operator) => ({ field: 'Name', operator, value }),
		);
		const soql = buildGetManyQuery({
			sobject: 'Account',
			fields: ['Id', 'Name'],
			conditions,
			limit: 10,
		});
		const parsed = parseGetManyQuery(soql);
		expect(parsed).toMatchObject({ fields: ['Id', 'Name'], sobject: 'Account', limit: 10 });
		expect(parsed.conditions.map((condition) => condition.operator)).toEqual([
			'=',
			'!=',
			'<',
			'>=',
			'LIKE',
		]);
		for (const condition of parsed.conditions.slice(0, 4))
			expect(condition.value).toEqual({ kind: 'string', value });
		expect(parsed.conditions[4].value.kind).toBe('string');
	});

	it("no item text changes the query's structure (property)", () => {
		const value = fc.oneof(
			fc.string({
				unit: fc.constantFrom(
					...NASTY_PIECES,
					...HOSTILE,
					'\\',
					"'",
					' OR ',
					')',
					'(',
					'LIMIT',
					'%',
					'_',
				),
			}),
			fc.string({ unit: 'binary' }).filter((text) => !/[\ud800-\udfff]/.test(text)),
			fc.integer(),
			fc
				.double({ noNaN: true, noDefaultInfinity: true })
				.filter((number) => !/e/.test(String(number))),
			fc.boolean(),
		);
		const operator = fc.constantFrom(
			'equal',
			'notEqual',
			'lessThan',
			'lessOrEqual',
			'greaterThan',
			'greaterOrEqual',
			'like',
			'isNull',
			'isNotNull',
		);
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						field: fc.constantFrom('Name', 'Description', 'Account.Name'),
						operator,
						value,
					}),
					{ maxLength: 6 },
				),
				(conditions) => {
					const usable = conditions.filter(
						(condition) => condition.operator !== 'like' || typeof condition.value === 'string',
					);
					const soql = buildGetManyQuery({
						sobject: 'Account',
						conditions: usable,
						fieldTypes: { Name: 'string', Description: 'textarea' },
					});
					const parsed = parseGetManyQuery(soql);
					expect(parsed.conditions).toHaveLength(usable.length);
					parsed.conditions.forEach((condition, index) => {
						expect(condition.field).toBe(usable[index].field);
						const { operator: wanted, value: given } = usable[index];
						if (wanted === 'isNull' || wanted === 'isNotNull')
							expect(condition.value).toEqual({ kind: 'name', value: 'null' });
						else if (wanted !== 'like' && usable[index].field !== 'Account.Name')
							expect(condition.value).toEqual({ kind: 'string', value: String(given) });
					});
				},
			),
			{ numRuns: 400 },
		);
	});
});

describe("buildSelectQuery adds the package's own filters and an order to Get Many's query", () => {
	it('writes filters before the conditions, then ORDER BY and LIMIT', () => {
		const soql = buildSelectQuery({
			sobject: 'Account',
			fields: ['Id', 'SystemModstamp', 'Name'],
			filters: [
				{
					field: 'SystemModstamp',
					operator: '>=',
					value: soqlDateTimeLiteral(Date.UTC(2026, 11, 4, 10, 0, 7, 999)),
				},
				{ field: 'IsDeleted', operator: '=', value: soqlBooleanLiteral(true) },
			],
			conditions: [{ field: 'Name', operator: 'equal', value: "O'Brien" }],
			orderBy: [{ field: 'SystemModstamp' }, { field: 'Id', descending: true }],
			limit: 5,
		});
		expect(soql).toBe(
			"SELECT Id, SystemModstamp, Name FROM Account WHERE SystemModstamp >= 2026-12-04T10:00:07Z AND IsDeleted = true AND Name = 'O\\'Brien' ORDER BY SystemModstamp, Id DESC LIMIT 5",
		);
	});

	it("is Get Many's query when there are neither", () => {
		const query = {
			sobject: 'Account',
			fields: ['Name'],
			conditions: [{ field: 'Name', operator: 'like', value: 'Ac%' }],
		};
		expect(buildSelectQuery(query)).toBe(buildGetManyQuery(query));
	});

	it('numbers condition rows as the user sees them, whatever filters come first', () => {
		const error = refusal(() =>
			buildSelectQuery({
				sobject: 'Account',
				filters: [{ field: 'SystemModstamp', operator: '>=', value: soqlDateTimeLiteral(0) }],
				conditions: [{ field: 'NumberOfEmployees', operator: 'equal', value: 'many' }],
				fieldTypes: { NumberOfEmployees: 'int' },
			}),
		);
		expect(error.message).toMatch(
			/^Conditions row 1 \(NumberOfEmployees\), Value: "many" is not a whole number/,
		);
	});

	it('refuses an order field that is not an API name', () => {
		expect(() =>
			buildSelectQuery({ sobject: 'Account', orderBy: [{ field: 'Id; DROP' }] }),
		).toThrow(/Order: "Id; DROP" contains/);
	});
});

describe('soqlDateTimeLiteral writes the datetime literal SOQL documents', () => {
	it.each([
		[Date.UTC(2026, 11, 4, 10, 0, 7), '2026-12-04T10:00:07Z'],
		[Date.UTC(2026, 11, 4, 10, 0, 7, 999), '2026-12-04T10:00:07Z'],
		[Date.UTC(2026, 0, 1), '2026-01-01T00:00:00Z'],
	])('%d → %s', (instant, literal) => {
		expect(soqlDateTimeLiteral(instant)).toBe(literal);
		expect(tokenize(literal)).toEqual([{ kind: 'date', value: literal }]);
	});

	it('refuses what is not a point in time', () => {
		expect(() => soqlDateTimeLiteral(Number.NaN)).toThrow(RangeError);
	});
});
