import { API, closeAll, connect } from './restSupport';

/** sObject Collections (fact sheet §4): 200 in input order, statusCode errors, all-or-none. */

afterEach(closeAll);

const ROLLED_BACK = {
	statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
	message:
		'Record rolled back because not all records were valid and the request was using AllOrNone header',
	fields: [],
};

const account = (fields: Record<string, unknown>) => ({
	attributes: { type: 'Account' },
	...fields,
});

describe('POST composite/sobjects (create)', () => {
	it('creates mixed types in input order; allOrNone false keeps the good rows', async () => {
		const { api, standin } = await connect({ seedData: false });
		const answer = await api.call('POST', 'composite/sobjects', {
			allOrNone: false,
			records: [
				account({ Name: 'First' }),
				{ attributes: { type: 'Contact' }, FirstName: 'No last name' },
				{ attributes: { type: 'Lead' }, LastName: 'L', Company: 'C' },
			],
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{ id: expect.stringMatching(/^001/), success: true, errors: [] },
			{
				success: false,
				errors: [
					{
						statusCode: 'REQUIRED_FIELD_MISSING',
						message: 'Required fields are missing: [LastName]',
						fields: ['LastName'],
					},
				],
			},
			{ id: expect.stringMatching(/^00Q/), success: true, errors: [] },
		]);
		expect(standin.records('Account').map((row) => row.Name)).toEqual(['First']);
		expect(standin.records('Lead')).toHaveLength(1);
		expect(standin.apiRequestCount).toBe(1);
	});

	it('allOrNone true: one failure rolls back the whole request; the others say ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
		const { api, standin } = await connect({ seedData: false });
		const answer = await api.call('POST', 'composite/sobjects', {
			allOrNone: true,
			records: [account({ Name: 'A' }), account({ Name: 'B' }), account({ Phone: '1' })],
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{ success: false, errors: [ROLLED_BACK] },
			{ success: false, errors: [ROLLED_BACK] },
			{
				success: false,
				errors: [
					{
						statusCode: 'REQUIRED_FIELD_MISSING',
						message: 'Required fields are missing: [Name]',
						fields: ['Name'],
					},
				],
			},
		]);
		expect(standin.records('Account')).toEqual([]);
	});

	it('detects a duplicate within the request, and rolls back under allOrNone', async () => {
		const { api, standin } = await connect({ seedData: false });
		const invoice = (number: string) => ({
			attributes: { type: 'Invoice__c' },
			Invoice_Number__c: number,
		});
		const partial = await api.call('POST', 'composite/sobjects', {
			records: [invoice('D-1'), invoice('D-1')],
		});
		expect(partial.body[0].success).toBe(true);
		expect(partial.body[1].errors[0].statusCode).toBe('DUPLICATE_VALUE');
		const strict = await api.call('POST', 'composite/sobjects', {
			allOrNone: true,
			records: [invoice('D-2'), invoice('D-2')],
		});
		expect(strict.body.map((result: any) => result.errors[0].statusCode)).toEqual([
			'ALL_OR_NONE_OPERATION_ROLLED_BACK',
			'DUPLICATE_VALUE',
		]);
		expect(standin.records('Invoice__c').map((row) => row.Invoice_Number__c)).toEqual(['D-1']);
	});

	it('refuses a record carrying an id, per record', async () => {
		const { api } = await connect();
		const answer = await api.call('POST', 'composite/sobjects', {
			records: [account({ Name: 'x', Id: '001000000000000AAA' })],
		});
		expect(answer.body).toEqual([
			{
				success: false,
				errors: [
					{
						statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
						message: 'cannot specify Id in an insert call',
						fields: ['Id'],
					},
				],
			},
		]);
	});

	it('fails the whole request with 400 when it is malformed: over 200, no type, unknown object or field', async () => {
		const { api, standin } = await connect({ seedData: false });
		const many = await api.call('POST', 'composite/sobjects', {
			records: Array.from({ length: 201 }, (_, i) => account({ Name: `N${i}` })),
		});
		expect(many.status).toBe(400);
		expect(many.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
		const exactly = await api.call('POST', 'composite/sobjects', {
			records: Array.from({ length: 200 }, (_, i) => account({ Name: `N${i}` })),
		});
		expect(exactly.status).toBe(200);

		const untyped = await api.call('POST', 'composite/sobjects', {
			records: [account({ Name: 'ok' }), { Name: 'no type' }],
		});
		expect(untyped.status).toBe(400);
		expect(untyped.body).toEqual([
			{ errorCode: 'INVALID_TYPE', message: 'Must send a concrete entity type.' },
		]);
		const unknownType = await api.call('POST', 'composite/sobjects', {
			records: [{ attributes: { type: 'Invoice' }, Name: 'x' }],
		});
		expect(unknownType.body[0]).toMatchObject({
			errorCode: 'INVALID_TYPE',
			message: expect.stringMatching(/^sObject type 'Invoice' is not supported/),
		});
		const unknownField = await api.call('POST', 'composite/sobjects', {
			records: [account({ Name: 'ok' }), account({ Nmae: 'x' })],
		});
		expect(unknownField.status).toBe(400);
		expect(unknownField.body).toEqual([
			{ errorCode: 'INVALID_FIELD', message: "No such column 'Nmae' on sobject of type Account" },
		]);
		expect(standin.records('Account')).toHaveLength(200);
	});
});

describe('PATCH composite/sobjects (update)', () => {
	it('updates by id; failures per record, with the id', async () => {
		const { api, standin } = await connect({ seedData: false });
		const [a, b] = standin.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		const answer = await api.call('PATCH', 'composite/sobjects', {
			allOrNone: false,
			records: [
				account({ id: a, Phone: '1' }),
				account({ id: b, Name: null }),
				account({ Phone: '3' }),
				account({ id: '001000000000000AAA', Phone: '4' }),
			],
		});
		expect(answer.body).toEqual([
			{ id: a, success: true, errors: [] },
			{
				id: b,
				success: false,
				errors: [
					{
						statusCode: 'REQUIRED_FIELD_MISSING',
						message: 'Required fields are missing: [Name]',
						fields: ['Name'],
					},
				],
			},
			{
				success: false,
				errors: [
					{
						statusCode: 'MISSING_ARGUMENT',
						message: 'Id not specified in an update call',
						fields: [],
					},
				],
			},
			{
				id: '001000000000000AAA',
				success: false,
				errors: [expect.objectContaining({ statusCode: 'INVALID_CROSS_REFERENCE_KEY' })],
			},
		]);
		expect(standin.records('Account').map((row) => [row.Name, row.Phone])).toEqual([
			['A', '1'],
			['B', null],
		]);
	});

	it('allOrNone true restores the rows it had already changed', async () => {
		const { api, standin } = await connect({ seedData: false });
		const [a, b] = standin.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		const answer = await api.call('PATCH', 'composite/sobjects', {
			allOrNone: true,
			records: [account({ id: a, Name: 'A2' }), account({ id: b, Name: 'x'.repeat(256) })],
		});
		expect(answer.body).toEqual([
			{ id: a, success: false, errors: [ROLLED_BACK] },
			{
				id: b,
				success: false,
				errors: [expect.objectContaining({ statusCode: 'STRING_TOO_LONG', fields: ['Name'] })],
			},
		]);
		expect(standin.records('Account').map((row) => row.Name)).toEqual(['A', 'B']);
	});
});

describe('PATCH composite/sobjects with an Id repeated in the request (SOAP update(): 12 repeats allowed)', () => {
	it('writes the first 12 repeats in order; each later one fails with DUPLICATE_VALUE, the other records are written', async () => {
		const { api, standin } = await connect({ seedData: false });
		const [a, b] = standin.insertRecords('Account', [{ Name: 'A' }, { Name: 'B' }]);
		// 14 entries for `a`: its first write and 13 repeats.
		const repeats = Array.from({ length: 14 }, (_, index) =>
			account({ id: a, Phone: String(index) }),
		);
		const answer = await api.call('PATCH', 'composite/sobjects', {
			allOrNone: false,
			records: [...repeats, account({ id: b, Phone: 'b' })],
		});
		const results = answer.body as Array<{
			success: boolean;
			errors: Array<{ statusCode: string; message: string }>;
		}>;
		expect(results.slice(0, 13).every((result) => result.success)).toBe(true);
		expect(results[13]).toEqual({
			id: a,
			success: false,
			errors: [
				{
					statusCode: 'DUPLICATE_VALUE',
					message: `Maximum number of duplicate updates in one batch (12 allowed). Attempt to update Id more than once in this Api call: ${a}`,
					fields: [],
				},
			],
		});
		expect(results[14]).toEqual({ id: b, success: true, errors: [] });
		// In order: the 13th entry (the 12th repeat) was the last write of `a`.
		expect(standin.records('Account').map((row) => row.Phone)).toEqual(['12', 'b']);
	});

	it('repeats count over all Ids (15- and 18-character forms alike); under allOrNone the 13th rolls everything back', async () => {
		const { api, standin } = await connect({ seedData: false });
		const ids = standin.insertRecords(
			'Account',
			Array.from({ length: 7 }, (_, index) => ({ Name: `R${index}` })),
		);
		// Each id twice (7 repeats), then six again in their 15-character form (13 repeats in all).
		const records = [...ids, ...ids, ...ids.slice(0, 6).map((id) => id.slice(0, 15))].map(
			(id, index) => account({ id, Description: String(index) }),
		);
		const answer = await api.call('PATCH', 'composite/sobjects', { allOrNone: true, records });
		const codes = (answer.body as Array<{ errors: Array<{ statusCode: string }> }>).map(
			(result) => result.errors[0]?.statusCode,
		);
		expect(codes.filter((code) => code === 'DUPLICATE_VALUE')).toHaveLength(1);
		expect(codes[records.length - 1]).toBe('DUPLICATE_VALUE');
		expect(codes.slice(0, -1).every((code) => code === 'ALL_OR_NONE_OPERATION_ROLLED_BACK')).toBe(
			true,
		);
		expect(standin.records('Account').map((row) => row.Description)).toEqual(Array(7).fill(null));
	});
});

describe('PATCH composite/sobjects/{type}/{externalIdField} (upsert)', () => {
	it('creates and updates by external id and says which (created)', async () => {
		const { api, standin } = await connect();
		const invoice = (number: string, amount: number) => ({
			attributes: { type: 'Invoice__c' },
			Invoice_Number__c: number,
			Amount__c: amount,
		});
		const answer = await api.call('PATCH', 'composite/sobjects/Invoice__c/Invoice_Number__c', {
			allOrNone: false,
			records: [invoice('INV-0001', 1), invoice('NEW-1', 2)],
		});
		expect(answer.status).toBe(200);
		const existing = standin
			.records('Invoice__c')
			.find((row) => row.Invoice_Number__c === 'INV-0001');
		expect(answer.body).toEqual([
			{ id: existing?.Id, success: true, errors: [], created: false },
			{ id: expect.stringMatching(/^a0X/), success: true, errors: [], created: true },
		]);
		expect(existing?.Amount__c).toBe(1);
	});

	it('reports a missing key, a key repeated in the request and several matches per record; allOrNone rolls back', async () => {
		const { api, standin } = await connect({ seedData: false });
		standin.insertRecords('Account', [
			{ Name: 'One', External_Id__c: 'TWIN' },
			{ Name: 'Two', External_Id__c: 'TWIN' },
		]);
		const answer = await api.call('PATCH', 'composite/sobjects/Account/External_Id__c', {
			allOrNone: false,
			records: [
				account({ Name: 'no key' }),
				account({ External_Id__c: 'R', Name: 'r1' }),
				account({ External_Id__c: 'r', Name: 'r2' }),
				account({ External_Id__c: 'TWIN', Name: 't' }),
				account({ External_Id__c: 'OK', Name: 'ok' }),
			],
		});
		expect(answer.body.map((result: any) => result.success || result.errors[0].statusCode)).toEqual(
			[
				'MISSING_ARGUMENT',
				'DUPLICATE_EXTERNAL_ID',
				'DUPLICATE_EXTERNAL_ID',
				'DUPLICATE_EXTERNAL_ID',
				true,
			],
		);
		expect(standin.records('Account').map((row) => row.Name)).toEqual(['One', 'Two', 'ok']);

		const strict = await api.call('PATCH', 'composite/sobjects/Account/External_Id__c', {
			allOrNone: true,
			records: [
				account({ External_Id__c: 'NEW', Name: 'n' }),
				account({ External_Id__c: 'TWIN', Name: 't' }),
			],
		});
		expect(strict.body[0]).toEqual({ success: false, errors: [ROLLED_BACK] });
		expect(standin.records('Account')).toHaveLength(3);
	});

	it('answers 404 for a field that is not an external id, and 400 for another type than the URI', async () => {
		const { api } = await connect();
		expect(
			(await api.call('PATCH', 'composite/sobjects/Account/Name', { records: [] })).status,
		).toBe(404);
		const mixed = await api.call('PATCH', 'composite/sobjects/Account/External_Id__c', {
			records: [{ attributes: { type: 'Contact' }, LastName: 'x' }],
		});
		expect(mixed.status).toBe(400);
		expect(mixed.body[0].errorCode).toBe('INVALID_TYPE');
	});
});

describe('DELETE composite/sobjects', () => {
	it('deletes by ids in order, with per-record errors; allOrNone=true rolls back', async () => {
		const { api, standin } = await connect({ seedData: false });
		const [a, b, c] = standin.insertRecords('Account', [
			{ Name: 'A' },
			{ Name: 'B' },
			{ Name: 'C' },
		]);
		const partial = await api.call(
			'DELETE',
			`composite/sobjects?ids=${a},bogus,${a}&allOrNone=false`,
		);
		expect(partial.body).toEqual([
			{ id: a, success: true, errors: [] },
			{
				id: 'bogus',
				success: false,
				errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id bogus', fields: [] }],
			},
			{
				id: a,
				success: false,
				errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
			},
		]);
		const strict = await api.call(
			'DELETE',
			`composite/sobjects?ids=${b},${c},bogus&allOrNone=true`,
		);
		expect(strict.body.slice(0, 2)).toEqual([
			{ id: b, success: false, errors: [ROLLED_BACK] },
			{ id: c, success: false, errors: [ROLLED_BACK] },
		]);
		expect(standin.records('Account').map((row) => [row.Name, row.IsDeleted])).toEqual([
			['A', true],
			['B', false],
			['C', false],
		]);
		// silent (the docs say nothing of a repeated id in a delete): in order, so the repeat meets the
		// record in the Recycle Bin, and under allOrNone that undoes the first delete too.
		const repeated = await api.call(
			'DELETE',
			`composite/sobjects?ids=${b},${c},${b}&allOrNone=true`,
		);
		expect(repeated.body).toEqual([
			{ id: b, success: false, errors: [ROLLED_BACK] },
			{ id: c, success: false, errors: [ROLLED_BACK] },
			{
				id: b,
				success: false,
				errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
			},
		]);
		expect(standin.records('Account').map((row) => row.IsDeleted)).toEqual([true, false, false]);
		const many = Array.from({ length: 201 }, () => b).join(',');
		expect((await api.call('DELETE', `composite/sobjects?ids=${many}`)).body[0].errorCode).toBe(
			'EXCEEDED_ID_LIMIT',
		);
	});
});

describe('GET composite/sobjects/{type}', () => {
	it('retrieves the asked fields in id order, null for ids that name no row', async () => {
		const { api, standin } = await connect({ seedData: false });
		const [a, b] = standin.insertRecords('Account', [{ Name: 'A', Phone: '1' }, { Name: 'B' }]);
		const answer = await api.get(
			`composite/sobjects/Account?ids=${b},001000000000000AAA,${a}&fields=Id,Name,Phone`,
		);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual([
			{
				attributes: { type: 'Account', url: `${API}/sobjects/Account/${b}` },
				Id: b,
				Name: 'B',
				Phone: null,
			},
			null,
			{
				attributes: { type: 'Account', url: `${API}/sobjects/Account/${a}` },
				Id: a,
				Name: 'A',
				Phone: '1',
			},
		]);
		const posted = await api.call('POST', 'composite/sobjects/Account', {
			ids: [a],
			fields: ['Name'],
		});
		expect(posted.body).toEqual([
			{ attributes: { type: 'Account', url: `${API}/sobjects/Account/${a}` }, Name: 'A' },
		]);
		const badField = await api.get(`composite/sobjects/Account?ids=${a}&fields=Nme`);
		expect(badField.status).toBe(400);
		expect(badField.body[0].errorCode).toBe('INVALID_FIELD');
	});
});
