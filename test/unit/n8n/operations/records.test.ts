/**
 * Record operations through n8n-core: one request per 200 records for writes, typed and escaped
 * Get Many conditions, and failures that say exactly what was written.
 */
import type { SalesforceStandin } from '../../../../dev/salesforce-standin';
import { useStandin } from '../../../support/fixtures';
import { failureOf, object, restRequests, runOperation } from './support';

const standin = useStandin();

const record = (operation: string, more: Record<string, unknown>) => ({
	resource: 'record',
	operation,
	sobject: object('Account'),
	...more,
});
const mapped = (value: Record<string, string>) => ({ mappingMode: 'defineBelow', value });
const auto = { mappingMode: 'autoMapInputData', value: null };

function named(sf: SalesforceStandin, prefix: string) {
	return sf
		.records('Account')
		.filter((row) => String(row.Name).startsWith(prefix) && !row.IsDeleted);
}

describe('Record → Create', () => {
	it('1,000 items: 5 requests of 200 (sObject Collections), every record there, each item its id', async () => {
		const sf = standin();
		const items = Array.from({ length: 1000 }, (_, index) => ({ json: { Name: `Many ${index}` } }));
		const { json, output } = await runOperation(sf, record('create', { columns: auto }), { items });
		expect(json).toHaveLength(1000);
		expect(json[0]).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true });
		expect(output[0][999].pairedItem).toEqual({ item: 999 });
		expect(restRequests(sf)).toEqual(Array(5).fill('POST /services/data/v62.0/composite/sobjects'));
		expect(named(sf, 'Many ')).toHaveLength(1000);
		expect(new Set(json.map((row) => row.id))).toEqual(
			new Set(named(sf, 'Many ').map((row) => row.Id)),
		);
	});

	it('Batch Size sets the records per request', async () => {
		const sf = standin();
		const items = Array.from({ length: 5 }, (_, index) => ({ json: { Name: `Small ${index}` } }));
		await runOperation(sf, record('create', { columns: auto, options: { batchSize: 2 } }), {
			items,
		});
		expect(restRequests(sf)).toHaveLength(3);
	});

	it('without continue-on-fail a failing batch is rolled back, later ones never sent, and the error says which items were written', async () => {
		const sf = standin();
		const items = Array.from({ length: 5 }, (_, index) => ({
			json: index === 3 ? { Phone: '1' } : { Name: `Part ${index}` },
		}));
		const { error } = await runOperation(
			sf,
			record('create', { columns: auto, options: { batchSize: 2 } }),
			{ items, continueOnFail: false },
		).catch((thrown: unknown) => ({ error: thrown }));
		const text = `${(error as Error).message} ${(error as { description?: string }).description}`;
		// Items 0-1 written (batch 1); batch 2 (items 2-3) rolled back because of item 3; item 4 never sent.
		expect(
			named(sf, 'Part ')
				.map((row) => row.Name)
				.sort(),
		).toEqual(['Part 0', 'Part 1']);
		expect(text).toMatch(/REQUIRED_FIELD_MISSING|Required fields are missing/);
		expect(text).toMatch(/written/i);
		expect(text).toContain(named(sf, 'Part ')[0].Id as string);
		expect(restRequests(sf)).toHaveLength(2);
	});

	it('with continue-on-fail every item carries its own result or error', async () => {
		const sf = standin();
		const items = [
			{ json: { Name: 'Own 0' } },
			{ json: { Phone: '1' } },
			{ json: { Name: 'Own 2' } },
		];
		const { output } = await runOperation(sf, record('create', { columns: auto }), {
			items,
			continueOnFail: true,
		});
		expect(output[0].map((item) => [item.json.success ?? false, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[false, { item: 1 }],
			[true, { item: 2 }],
		]);
		expect(String(output[0][1].json.error)).toMatch(/Required|REQUIRED_FIELD_MISSING/);
		expect(named(sf, 'Own ')).toHaveLength(2);
	});

	it('Map Automatically writes optional fields too, whatever the manual mapping hid (`removed`) in the saved schema', async () => {
		const sf = standin();
		// What the editor saves after an object is picked in "Map Each Column Manually" and the mode then
		// switched: optional fields are `removed` (not listed by hand), yet they are the object's fields.
		const schema = [
			{
				id: 'Name',
				displayName: 'Account Name (Name)',
				required: true,
				defaultMatch: false,
				display: true,
				removed: false,
			},
			{
				id: 'Industry',
				displayName: 'Industry (Industry)',
				required: false,
				defaultMatch: false,
				display: true,
				removed: true,
			},
		];
		const { json } = await runOperation(sf, record('create', { columns: { ...auto, schema } }), {
			items: [{ json: { Name: 'Auto optional', Industry: 'Energy' } }],
		});
		expect(json).toEqual([{ id: expect.any(String), success: true }]);
		expect(named(sf, 'Auto optional').map((row) => row.Industry)).toEqual(['Energy']);
	});

	it('a field the object lacks is refused naming it, before any request, when the editor loaded the fields', async () => {
		const sf = standin();
		const columns = {
			...mapped({ Name: 'X', Nmae: 'typo' }),
			schema: [
				{ id: 'Name', displayName: 'Name', required: true, defaultMatch: false, display: true },
			],
		};
		const error = failureOf(
			await runOperation(sf, record('create', { columns }), { continueOnFail: true }),
		);
		expect(error.message).toMatch(/Fields: .*"Nmae"/);
		expect(restRequests(sf)).toEqual([]);
	});
});

describe('Record → Get, Update, Upsert, Delete', () => {
	it('Get returns the record with the chosen fields, without attributes', async () => {
		const sf = standin();
		const [id] = sf.insertRecords('Account', [{ Name: 'Fetched', Phone: '555' }]);
		const { json } = await runOperation(
			sf,
			record('get', { recordId: id, options: { fields: ['Name', 'Phone'] } }),
		);
		expect(json).toHaveLength(1);
		expect(json[0]).toMatchObject({ Name: 'Fetched', Phone: '555' });
		expect(json[0]).not.toHaveProperty('attributes');
	});

	it('an empty or malformed Record ID is refused naming the field, before any request', async () => {
		const sf = standin();
		for (const recordId of ['', 'not-an-id']) {
			const error = failureOf(
				await runOperation(sf, record('get', { recordId }), { continueOnFail: true }),
			);
			expect(error.message).toMatch(/^Record ID: /);
		}
		expect(restRequests(sf)).toEqual([]);
	});

	it('Update writes the mapped fields of each item to its record, in one request', async () => {
		const sf = standin();
		const ids = sf.insertRecords('Account', [{ Name: 'Old 1' }, { Name: 'Old 2' }]);
		const items = ids.map((id, index) => ({ json: { id, name: `New ${index}` } }));
		const { json } = await runOperation(
			sf,
			record('update', {
				recordId: '={{ $json.id }}',
				columns: mapped({ Name: '={{ $json.name }}' }),
			}),
			{ items },
		);
		expect(json).toEqual(ids.map((id) => ({ id, success: true })));
		expect(
			sf
				.records('Account')
				.filter((row) => ids.includes(row.Id))
				.map((row) => row.Name),
		).toEqual(['New 0', 'New 1']);
		expect(restRequests(sf)).toEqual(['PATCH /services/data/v62.0/composite/sobjects']);
	});

	it('Upsert on a custom object by its external ID creates, then updates', async () => {
		const sf = standin();
		const parameters = {
			resource: 'record',
			operation: 'upsert',
			sobject: object('Invoice__c'),
			externalIdField: 'Invoice_Number__c',
			columns: auto,
		};
		const first = await runOperation(sf, parameters, {
			items: [{ json: { Invoice_Number__c: 'INV-9001', Name: 'Nine thousand one' } }],
		});
		expect(first.json).toEqual([{ id: expect.any(String), success: true, created: true }]);
		const again = await runOperation(sf, parameters, {
			items: [{ json: { Invoice_Number__c: 'INV-9001', Name: 'Renamed' } }],
		});
		expect(again.json).toEqual([{ id: first.json[0].id, success: true, created: false }]);
		expect(
			sf
				.records('Invoice__c')
				.filter((row) => row.Invoice_Number__c === 'INV-9001')
				.map((row) => row.Name),
		).toEqual(['Renamed']);
	});

	it('Delete sends the records to the Recycle Bin', async () => {
		const sf = standin();
		const ids = sf.insertRecords('Account', [{ Name: 'Bin 1' }, { Name: 'Bin 2' }]);
		const { json } = await runOperation(sf, record('delete', { recordId: '={{ $json.id }}' }), {
			items: ids.map((id) => ({ json: { id } })),
		});
		expect(json).toEqual(ids.map((id) => ({ id, success: true })));
		expect(
			sf
				.records('Account')
				.filter((row) => ids.includes(row.Id))
				.map((row) => row.IsDeleted),
		).toEqual([true, true]);
	});
});

describe('Record → Get Many', () => {
	it('builds the query from fields and typed conditions', async () => {
		const sf = standin();
		sf.insertRecords('Invoice__c', [
			{ Name: 'Small', Invoice_Number__c: 'GM-1', Amount__c: 10, Paid__c: false },
			{ Name: 'Large', Invoice_Number__c: 'GM-2', Amount__c: 5000, Paid__c: false },
		]);
		const { json } = await runOperation(sf, {
			resource: 'record',
			operation: 'getAll',
			sobject: object('Invoice__c'),
			fields: ['Name', 'Amount__c'],
			conditions: {
				conditions: [
					{ field: 'Amount__c', operator: 'greaterThan', value: '100' },
					{ field: 'Invoice_Number__c', operator: 'like', value: 'GM-%' },
				],
			},
			returnAll: true,
		});
		expect(json.map((row) => row.Name)).toEqual(['Large']);
	});

	it.each([["x' OR Name != '"], ['back\\slash'], ['50%'], ['line\nbreak'], ["') OR (Name != '"]])(
		'a hostile value stays a literal: %j',
		async (value) => {
			const sf = standin();
			sf.insertRecords('Account', [{ Name: value }, { Name: 'Innocent' }]);
			const { json } = await runOperation(sf, {
				resource: 'record',
				operation: 'getAll',
				sobject: object('Account'),
				fields: ['Name'],
				conditions: { conditions: [{ field: 'Name', operator: 'equal', value }] },
				returnAll: true,
			});
			expect(json.map((row) => row.Name)).toEqual([value]);
		},
	);

	it('a number field compared with text is refused naming the condition, before the query', async () => {
		const sf = standin();
		const error = failureOf(
			await runOperation(
				sf,
				{
					resource: 'record',
					operation: 'getAll',
					sobject: object('Invoice__c'),
					conditions: {
						conditions: [{ field: 'Amount__c', operator: 'equal', value: '1 OR Name != null' }],
					},
				},
				{ continueOnFail: true },
			),
		);
		expect(error.message).toMatch(/Amount__c/);
		expect(restRequests(sf).filter((line) => line.includes('/query'))).toEqual([]);
	});
});

describe('API Request → Send', () => {
	it('GET a path relative to the API version, and POST a body', async () => {
		const sf = standin();
		const limits = await runOperation(sf, {
			resource: 'apiRequest',
			operation: 'send',
			method: 'GET',
			path: 'limits',
		});
		expect(limits.json[0]).toHaveProperty('DailyApiRequests');
		const created = await runOperation(sf, {
			resource: 'apiRequest',
			operation: 'send',
			method: 'POST',
			path: '/services/data/v62.0/sobjects/Account',
			body: '{"Name":"Via API Request"}',
		});
		expect(created.json[0]).toEqual({
			id: expect.stringMatching(/^001/),
			success: true,
			errors: [],
		});
		expect(named(sf, 'Via API Request')).toHaveLength(1);
	});

	it.each([
		'https://evil.example/services/data',
		'/services/../../etc',
		'/setup/home',
		'//evil.example/x',
	])('refuses %j naming Path, before any request', async (path) => {
		const sf = standin();
		const error = failureOf(
			await runOperation(
				sf,
				{ resource: 'apiRequest', operation: 'send', method: 'GET', path },
				{ continueOnFail: true },
			),
		);
		expect(error.message).toMatch(/^Path/);
		expect(restRequests(sf)).toEqual([]);
	});
});

describe('the token stays out', () => {
	it('no data operation outputs the session token, not even in an error', async () => {
		const sf = standin();
		const runs = [
			await runOperation(sf, {
				resource: 'query',
				operation: 'soql',
				query: 'SELECT Id, Name FROM Account',
			}),
			await runOperation(sf, {
				resource: 'apiRequest',
				operation: 'send',
				method: 'GET',
				path: 'limits',
			}),
			await runOperation(
				sf,
				{ resource: 'query', operation: 'soql', query: 'SELECT Nope FROM Account' },
				{ continueOnFail: true },
			),
		];
		const tokens = sf.activeSessions();
		expect(tokens.length).toBeGreaterThan(0);
		const text = JSON.stringify(
			runs.map((run) => ({
				json: run.json,
				error: String(run.error),
				description: (run.error as { description?: string })?.description,
			})),
		);
		for (const token of tokens) expect(text).not.toContain(token);
	});
});

describe('Record → Create with the object differing between items', () => {
	it("a later object's failure still says what the earlier object's records were written as", async () => {
		const sf = standin();
		const items = [
			{ json: { sobject: 'Account', Name: 'Mixed account' } },
			{ json: { sobject: 'Contact', FirstName: 'No last name' } },
		];
		const parameters = {
			resource: 'record',
			operation: 'create',
			sobject: { __rl: true, mode: 'name', value: '={{ $json.sobject }}' },
			columns: mapped({ Name: '={{ $json.Name }}', FirstName: '={{ $json.FirstName }}' }),
		};
		const { error } = await runOperation(sf, parameters, { items }).catch((thrown: unknown) => ({
			error: thrown,
		}));
		const written = named(sf, 'Mixed account');
		expect(written).toHaveLength(1);
		const description = String((error as { description?: string }).description);
		expect(description).toContain(
			`Written before, for other objects: item 0 — ids in item order: ${written[0].Id}`,
		);
		expect(`${(error as Error).message} ${description}`).toMatch(/REQUIRED_FIELD_MISSING|LastName/);
	});
});

describe('items naming the same record (Get Many run once per item hands the same records on)', () => {
	/** 6 records, named by 18 items: all six, three times over, as Get Many per input item returns them. */
	function eighteenItems(sf: SalesforceStandin, prefix: string) {
		const ids = sf.insertRecords(
			'Account',
			Array.from({ length: 6 }, (_, index) => ({ Name: `${prefix} ${index}` })),
		);
		return {
			ids,
			items: [...ids, ...ids, ...ids].map((id) => ({
				json: { Id: id, Name: `${prefix} renamed` },
			})),
		};
	}

	it("Delete: 18 items, 6 records — one request naming each record once; every item gets its record's outcome", async () => {
		const sf = standin();
		const { ids, items } = eighteenItems(sf, 'Repeat delete');
		const { json, output } = await runOperation(
			sf,
			record('delete', { recordId: '={{ $json.Id }}' }),
			{ items },
		);
		expect(json).toEqual([...ids, ...ids, ...ids].map((id) => ({ id, success: true })));
		expect(output[0].map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		const requests = sf.requests.filter((request) => request.path.endsWith('/composite/sobjects'));
		expect(requests).toHaveLength(1);
		expect(requests[0].query.ids.split(',')).toEqual(ids);
		expect(
			sf
				.records('Account')
				.filter((row) => ids.includes(row.Id))
				.every((row) => row.IsDeleted),
		).toBe(true);
	});

	it('Update: identical repeats are written once (in any Id form); repeats with other values follow in item order, and the last one holds', async () => {
		const sf = standin();
		const { ids, items } = eighteenItems(sf, 'Repeat update');
		// The 15-character form of the first Id names the same record.
		items[6].json.Id = ids[0].slice(0, 15);
		items[17].json.Name = 'Repeat update last word';
		const { json } = await runOperation(
			sf,
			record('update', {
				recordId: '={{ $json.Id }}',
				columns: mapped({ Name: '={{ $json.Name }}' }),
			}),
			{ items },
		);
		expect(json.every((row) => row.success === true)).toBe(true);
		// Salesforce's (18-character) Id of each item's record, whichever form the item gave.
		expect(json.map((row) => row.id)).toEqual([...ids, ...ids, ...ids]);
		expect(restRequests(sf)).toEqual(
			Array(2).fill('PATCH /services/data/v62.0/composite/sobjects'),
		);
		const [first, second] = sf.requests
			.filter((request) => request.method === 'PATCH')
			.map((request) => JSON.parse(request.rawBody).records as Array<{ id: string }>);
		expect(first.map((row) => row.id)).toEqual(ids);
		expect(second.map((row) => row.id)).toEqual([ids[5]]);
		expect(
			sf
				.records('Account')
				.filter((row) => ids.includes(row.Id))
				.map((row) => row.Name),
		).toEqual([...Array(5).fill('Repeat update renamed'), 'Repeat update last word']);
	});

	it('Create or Update: a repeated external ID value is sent once per request (Salesforce fails every repeat otherwise)', async () => {
		const sf = standin();
		const parameters = {
			resource: 'record',
			operation: 'upsert',
			sobject: object('Invoice__c'),
			externalIdField: 'Invoice_Number__c',
			columns: auto,
		};
		const items = ['REP-1', 'REP-2', 'rep-1', 'REP-2'].map((number, index) => ({
			json: { Invoice_Number__c: number, Name: index < 2 ? 'first' : 'second' },
		}));
		const { json } = await runOperation(sf, parameters, { items });
		expect(json.map((row) => [row.success, row.created])).toEqual([
			[true, true],
			[true, true],
			[true, false],
			[true, false],
		]);
		expect(json[0].id).toBe(json[2].id);
		expect(restRequests(sf)).toHaveLength(2);
		expect(
			sf
				.records('Invoice__c')
				.filter((row) => /^rep-/i.test(String(row.Invoice_Number__c)))
				.map((row) => row.Name),
		).toEqual(['second', 'second']);
	});

	it('a failure of a repeated record names the items that repeat it, and says it was sent once', async () => {
		const sf = standin();
		const { ids, items } = eighteenItems(sf, 'Repeat gone');
		await runOperation(sf, record('delete', { recordId: ids[2] }));
		const stopped = await runOperation(sf, record('delete', { recordId: '={{ $json.Id }}' }), {
			items,
		}).catch((thrown: unknown) => ({ error: thrown }));
		const text = `${(stopped.error as Error).message}\n${(stopped.error as { description?: string }).description}`;
		expect(text).toMatch(/Record ID names a deleted record|ENTITY_IS_DELETED/);
		expect(text).toContain(`items 2, 8 and 14 name ${ids[2]}: deleted once for all of them`);
		// All-or-none: nothing was deleted.
		expect(
			sf
				.records('Account')
				.filter((row) => ids.includes(row.Id) && row.IsDeleted)
				.map((row) => row.Id),
		).toEqual([ids[2]]);

		const each = await runOperation(sf, record('delete', { recordId: '={{ $json.Id }}' }), {
			items,
			continueOnFail: true,
		});
		const failedItems = each.json.flatMap((row, index) => (row.error === undefined ? [] : [index]));
		expect(failedItems).toEqual([2, 8, 14]);
		expect(String(each.json[8].errorDescription)).toContain(
			`Named by several items: items 2, 8 and 14 name ${ids[2]}: deleted once for all of them.`,
		);
	});
});
