import {
	planQueryColumns,
	recordOfRow,
	restValueOf,
	type FieldDescribe,
} from '../../../../nodes/salesforce';

const field = (name: string, type: string, more: Partial<FieldDescribe> = {}): FieldDescribe => ({
	name,
	label: name,
	type,
	nillable: true,
	createable: true,
	updateable: true,
	...more,
});

const DESCRIBES: Record<string, FieldDescribe[]> = {
	Contact: [
		field('Id', 'id'),
		field('LastName', 'string'),
		field('Birthdate', 'date'),
		field('HasOptedOutOfEmail', 'boolean'),
		field('AccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'Account' }),
		field('OwnerId', 'reference', { referenceTo: ['User', 'Group'], relationshipName: 'Owner' }),
	],
	Account: [
		field('Id', 'id'),
		field('Name', 'string'),
		field('NumberOfEmployees', 'int'),
		field('AnnualRevenue', 'currency'),
		field('LastActivityDate', 'datetime'),
	],
	User: [field('Id', 'id'), field('Name', 'string')],
	Group: [field('Id', 'id'), field('Name', 'string')],
};

function plan(header: string[]) {
	const outcome = planQueryColumns(header, 'Contact', (name) => DESCRIBES[name]);
	if (!('plan' in outcome)) throw new Error(`missing ${outcome.missing.join(', ')}`);
	return outcome.plan;
}

describe('Bulk query CSV values as the REST query has them', () => {
	it.each<[string, string, unknown]>([
		['', 'string', null],
		['', 'int', null],
		['42', 'int', 42],
		['1234.5', 'currency', 1234.5],
		['7', 'percent', 7],
		['true', 'boolean', true],
		['false', 'boolean', false],
		['2026-01-31', 'date', '2026-01-31'],
		['2026-01-31T09:30:00.000Z', 'datetime', '2026-01-31T09:30:00.000+0000'],
		['2026-01-31T09:30:00Z', 'datetime', '2026-01-31T09:30:00.000+0000'],
		['2026-01-31T09:30:00.5Z', 'datetime', '2026-01-31T09:30:00.500+0000'],
		['10:00:00.000Z', 'time', '10:00:00.000Z'],
		['007', 'string', '007'],
		['n/a', 'double', 'n/a'],
	])('%j as %s → %p', (text, type, value) => {
		expect(restValueOf(text, type)).toEqual(value);
	});
});

describe('Bulk query rows as REST records', () => {
	it('asks for the describes it lacks, level by level', () => {
		expect(planQueryColumns(['Id', 'Account.Name'], 'Contact', () => undefined)).toEqual({
			missing: ['Contact'],
		});
		expect(
			planQueryColumns(['Id', 'Account.Name'], 'Contact', (name) =>
				name === 'Contact' ? DESCRIBES.Contact : undefined,
			),
		).toEqual({ missing: ['Account'] });
	});

	it("nests parents, types their values and keeps the describe's spelling", () => {
		const columns = plan([
			'ID',
			'lastname',
			'Account.Name',
			'Account.NumberOfEmployees',
			'Owner.Name',
			'HasOptedOutOfEmail',
		]);
		expect(
			recordOfRow(['003A', 'Doe', 'Acme', '12', 'Ann', 'true'], columns, {
				includeAttributes: false,
				apiVersion: '62.0',
			}),
		).toEqual({
			Id: '003A',
			LastName: 'Doe',
			Account: { Name: 'Acme', NumberOfEmployees: 12 },
			Owner: { Name: 'Ann' },
			HasOptedOutOfEmail: true,
		});
	});

	it('a parent whose columns are all empty is null, as REST says when there is none', () => {
		const columns = plan(['Id', 'Account.Name', 'Account.NumberOfEmployees']);
		expect(
			recordOfRow(['003A', '', ''], columns, { includeAttributes: false, apiVersion: '62.0' }),
		).toEqual({ Id: '003A', Account: null });
	});

	it("attributes at every level, with the url where the level's Id is selected", () => {
		const columns = plan(['Id', 'Account.Id', 'Account.Name', 'Owner.Name']);
		expect(
			recordOfRow(['003A', '001B', 'Acme', 'Ann'], columns, {
				includeAttributes: true,
				apiVersion: '62.0',
			}),
		).toEqual({
			attributes: { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003A' },
			Id: '003A',
			Account: {
				attributes: { type: 'Account', url: '/services/data/v62.0/sobjects/Account/001B' },
				Id: '001B',
				Name: 'Acme',
			},
			Owner: { attributes: { type: 'User' }, Name: 'Ann' },
		});
		expect(
			Object.keys(
				recordOfRow(['003A', '001B', 'Acme', 'Ann'], columns, {
					includeAttributes: true,
					apiVersion: '62.0',
				}),
			)[0],
		).toBe('attributes');
	});
});
