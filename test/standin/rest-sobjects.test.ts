import { API, closeAll, connect } from './restSupport';

/** Describe (fact sheet §5) and single-record rows (§3), errors as arrays (§6). */

afterEach(closeAll);

type Field = Record<string, any>;
const required = (field: Field) => !field.nillable && field.createable && !field.defaultedOnCreate;

describe('describe', () => {
	it('describes the org globally: encoding, maxBatchSize, objects with key prefixes and urls', async () => {
		const { api } = await connect();
		const answer = await api.get('sobjects');
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ encoding: 'UTF-8', maxBatchSize: 200 });
		const byName = Object.fromEntries(
			(answer.body.sobjects as Field[]).map((object) => [object.name, object]),
		);
		expect(Object.keys(byName)).toEqual(
			expect.arrayContaining(['Account', 'Contact', 'Lead', 'Invoice__c', 'User']),
		);
		expect(byName.Invoice__c).toMatchObject({
			name: 'Invoice__c',
			label: 'Invoice',
			labelPlural: 'Invoices',
			custom: true,
			keyPrefix: 'a0X',
			queryable: true,
			createable: true,
			updateable: true,
			deletable: true,
			urls: {
				sobject: `${API}/sobjects/Invoice__c`,
				describe: `${API}/sobjects/Invoice__c/describe`,
				rowTemplate: `${API}/sobjects/Invoice__c/{ID}`,
			},
		});
		expect([byName.Account.keyPrefix, byName.Contact.keyPrefix, byName.Lead.keyPrefix]).toEqual([
			'001',
			'003',
			'00Q',
		]);
		expect(byName.User).toMatchObject({ queryable: true, createable: false });
		expect(byName.Account).toMatchObject({
			associateEntityType: null,
			associateParentEntity: null,
		});
	});

	it('lists a change event entity for every object Change Data Capture supports, selected or not, and none for a platform event', async () => {
		const { api } = await connect();
		const sobjects = (await api.get('sobjects')).body.sobjects as Field[];
		const changeEvents = sobjects.filter((object) => object.associateEntityType === 'ChangeEvent');
		expect(
			Object.fromEntries(changeEvents.map((object) => [object.name, object.associateParentEntity])),
		).toEqual({
			AccountChangeEvent: 'Account',
			ContactChangeEvent: 'Contact',
			LeadChangeEvent: 'Lead',
			Invoice__ChangeEvent: 'Invoice__c',
			UserChangeEvent: 'User',
		});
		expect(changeEvents.find((object) => object.name === 'Invoice__ChangeEvent')).toMatchObject({
			queryable: false,
			createable: false,
			retrieveable: true,
			label: 'Change Event: Invoice',
		});
		expect(sobjects.find((object) => object.name === 'Order_Shipped__e')).toMatchObject({
			associateEntityType: null,
		});
	});

	it('describes fields; required follows !nillable && createable && !defaultedOnCreate', async () => {
		const { api } = await connect();
		const requiredOf = async (type: string) => {
			const answer = await api.get(`sobjects/${type}/describe`);
			expect(answer.status).toBe(200);
			return (answer.body.fields as Field[]).filter(required).map((field) => field.name);
		};
		expect(await requiredOf('Account')).toEqual(['Name']);
		expect(await requiredOf('Contact')).toEqual(['LastName']);
		expect(await requiredOf('Lead').then((names) => names.sort())).toEqual(['Company', 'LastName']);
		expect(await requiredOf('Invoice__c')).toEqual([]);

		const invoice = await api.get('sobjects/Invoice__c/describe');
		const fields = Object.fromEntries(
			(invoice.body.fields as Field[]).map((field) => [field.name, field]),
		);
		expect(fields.Invoice_Number__c).toMatchObject({
			type: 'string',
			length: 20,
			externalId: true,
			idLookup: true,
			unique: true,
			custom: true,
			nillable: true,
		});
		expect(fields.Amount__c).toMatchObject({
			type: 'currency',
			precision: 16,
			scale: 2,
			soapType: 'xsd:double',
		});
		expect(fields.Account__c).toMatchObject({
			type: 'reference',
			referenceTo: ['Account'],
			relationshipName: 'Account__r',
		});
		expect(fields.Paid__c).toMatchObject({
			type: 'boolean',
			nillable: false,
			defaultedOnCreate: true,
			defaultValue: false,
		});
		expect(fields.Due_Date__c).toMatchObject({ type: 'date', soapType: 'xsd:date' });
		expect(fields.Id).toMatchObject({ type: 'id', createable: false, updateable: false });
		for (const name of [
			'name',
			'label',
			'type',
			'length',
			'nillable',
			'createable',
			'updateable',
			'externalId',
			'idLookup',
			'referenceTo',
			'picklistValues',
			'defaultedOnCreate',
		]) {
			expect(fields.Name).toHaveProperty(name);
		}

		const account = await api.get('sobjects/Account/describe');
		const accountFields = Object.fromEntries(
			(account.body.fields as Field[]).map((field) => [field.name, field]),
		);
		expect(accountFields.External_Id__c).toMatchObject({ externalId: true, type: 'string' });
		expect(accountFields.Industry.picklistValues).toContainEqual({
			value: 'Banking',
			label: 'Banking',
			active: true,
			defaultValue: false,
		});
		expect(account.body.childRelationships).toContainEqual(
			expect.objectContaining({
				childSObject: 'Contact',
				field: 'AccountId',
				relationshipName: 'Contacts',
			}),
		);
	});

	it('answers an unknown object with 404 NOT_FOUND', async () => {
		const { api } = await connect();
		for (const path of ['sobjects/Invoice/describe', 'sobjects/Invoice']) {
			const answer = await api.get(path);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual([
				{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
			]);
		}
		expect((await api.call('POST', 'sobjects/Invoice', { Name: 'x' })).status).toBe(404);
	});

	it('answers If-Modified-Since with 304 and no body when nothing changed since', async () => {
		const { api } = await connect();
		const first = await api.get('sobjects/Account/describe');
		const lastModified = first.headers.get('last-modified') as string;
		expect(lastModified).toBeTruthy();
		for (const path of ['sobjects/Account/describe', 'sobjects']) {
			const cached = await api.get(path, { 'If-Modified-Since': lastModified });
			expect(cached.status).toBe(304);
			expect(cached.text).toBe('');
			const stale = await api.get(path, { 'If-Modified-Since': 'Tue, 23 Mar 2015 00:00:00 GMT' });
			expect(stale.status).toBe(200);
		}
	});
});

describe('sObject rows', () => {
	it('creates (201), reads with attributes, updates (204), deletes (204), then ENTITY_IS_DELETED', async () => {
		const { api } = await connect();
		const created = await api.call('POST', 'sobjects/Account', {
			Name: 'Rows Inc',
			Phone: '+44 20 0000',
			NumberOfEmployees: '12',
		});
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/),
			success: true,
			errors: [],
		});
		const id = created.body.id as string;

		const read = await api.get(`sobjects/Account/${id}`);
		expect(read.status).toBe(200);
		expect(read.body).toMatchObject({
			attributes: { type: 'Account', url: `${API}/sobjects/Account/${id}` },
			Id: id,
			Name: 'Rows Inc',
			NumberOfEmployees: 12,
			IsDeleted: false,
		});
		expect(read.body.OwnerId).toMatch(/^005/);
		const some = await api.get(`sobjects/Account/${id}?fields=Name,Phone`);
		expect(some.body).toEqual({
			attributes: { type: 'Account', url: `${API}/sobjects/Account/${id}` },
			Name: 'Rows Inc',
			Phone: '+44 20 0000',
		});
		expect((await api.get(`sobjects/Account/${id.slice(0, 15)}?fields=Name`)).body.Name).toBe(
			'Rows Inc',
		);

		const updated = await api.call('PATCH', `sobjects/Account/${id}`, {
			Phone: null,
			Website: 'https://rows.example',
		});
		expect(updated.status).toBe(204);
		expect(updated.text).toBe('');
		expect((await api.get(`sobjects/Account/${id}?fields=Name,Phone,Website`)).body).toMatchObject({
			Name: 'Rows Inc',
			Phone: null,
			Website: 'https://rows.example',
		});

		expect((await api.call('DELETE', `sobjects/Account/${id}`)).status).toBe(204);
		for (const [method, body] of [['GET'], ['PATCH', { Name: 'x' }], ['DELETE']] as const) {
			const gone = await api.call(method, `sobjects/Account/${id}`, body);
			expect(gone.status).toBe(404);
			expect(gone.body).toEqual([
				{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] },
			]);
		}
	});

	it('answers an unknown id 404 NOT_FOUND and a malformed one with the external-id message', async () => {
		const { api } = await connect();
		const unknown = await api.get('sobjects/Account/001000000000000AAA');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual([
			{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
		]);
		const malformed = await api.get('sobjects/Account/0011');
		expect(malformed.status).toBe(404);
		expect(malformed.body).toEqual([
			{
				errorCode: 'NOT_FOUND',
				message: 'Provided external ID field does not exist or is not accessible: 0011',
			},
		]);
	});

	it('answers a bad field in ?fields= with 400 INVALID_FIELD', async () => {
		const { api, standin } = await connect();
		const [id] = standin.insertRecords('Account', [{ Name: 'F' }]);
		const answer = await api.get(`sobjects/Account/${id}?fields=Name,Nme`);
		expect(answer.status).toBe(400);
		expect(answer.body[0]).toMatchObject({
			errorCode: 'INVALID_FIELD',
			message: expect.stringContaining("No such column 'Nme' on entity 'Account'"),
		});
	});

	it('refuses bad writes with Salesforce error arrays', async () => {
		const { api, standin } = await connect();
		const create = (type: string, body: unknown) => api.call('POST', `sobjects/${type}`, body);

		expect((await create('Account', { Name: 'x', Nmae: 'y' })).body).toEqual([
			{ message: "No such column 'Nmae' on sobject of type Account", errorCode: 'INVALID_FIELD' },
		]);
		const missing = await create('Lead', { FirstName: 'No' });
		expect(missing.status).toBe(400);
		expect(missing.body).toEqual([
			{
				message: 'Required fields are missing: [LastName, Company]',
				errorCode: 'REQUIRED_FIELD_MISSING',
				fields: ['LastName', 'Company'],
			},
		]);
		expect((await create('Contact', { LastName: '' })).body[0].errorCode).toBe(
			'REQUIRED_FIELD_MISSING',
		);
		const long = await create('Invoice__c', { Invoice_Number__c: 'x'.repeat(21) });
		expect(long.body).toEqual([
			{
				message: `Invoice Number: data value too large: ${'x'.repeat(21)} (max length=20)`,
				errorCode: 'STRING_TOO_LONG',
				fields: ['Invoice_Number__c'],
			},
		]);
		const orphan = await create('Invoice__c', { Account__c: '001000000000000AAA' });
		expect(orphan.body).toEqual([
			{
				message: 'invalid cross reference id',
				errorCode: 'INVALID_CROSS_REFERENCE_KEY',
				fields: ['Account__c'],
			},
		]);
		const [contact] = standin.insertRecords('Contact', [{ LastName: 'Wrong Type' }]);
		expect((await create('Invoice__c', { Account__c: contact })).body[0]).toMatchObject({
			errorCode: 'INVALID_CROSS_REFERENCE_KEY',
			fields: ['Account__c'],
		});
		const duplicate = await create('Invoice__c', { Invoice_Number__c: 'inv-0001' });
		expect(duplicate.body).toEqual([
			{
				message: expect.stringMatching(
					/^duplicate value found: Invoice_Number__c duplicates value on record with id: a0X[A-Za-z0-9]{15}$/,
				),
				errorCode: 'DUPLICATE_VALUE',
				fields: [],
			},
		]);
		const readOnly = await create('Contact', { LastName: 'x', Name: 'x' });
		expect(readOnly.body[0]).toMatchObject({
			errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
			fields: ['Name'],
		});
		const wrongKind = await create('Invoice__c', { Amount__c: 'lots' });
		expect(wrongKind.body[0]).toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
		const badDate = await create('Invoice__c', { Due_Date__c: '31/01/2026' });
		expect(badDate.body[0].errorCode).toBe('JSON_PARSER_ERROR');
		expect(
			(await create('Contact', { LastName: 'x', Email: 'not-an-email' })).body[0].errorCode,
		).toBe('INVALID_EMAIL_ADDRESS');
		expect(standin.records('Invoice__c')).toHaveLength(2);
	});

	it('refuses a body that is not JSON: 415 for another media type, JSON_PARSER_ERROR when empty', async () => {
		const { api } = await connect();
		const text = await api.call('POST', 'sobjects/Account', 'Name=x', {
			'Content-Type': 'text/plain',
		});
		expect(text.status).toBe(415);
		expect(text.body[0].errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
		const empty = await api.call('POST', 'sobjects/Account', '');
		expect(empty.status).toBe(400);
		expect(empty.body).toEqual([
			{
				message: 'The HTTP entity body is required, but this request has no entity body.',
				errorCode: 'JSON_PARSER_ERROR',
			},
		]);
		const broken = await api.call('POST', 'sobjects/Account', '{"Name":');
		expect(broken.body[0].errorCode).toBe('JSON_PARSER_ERROR');
		const put = await api.call('PUT', 'sobjects/Account', { Name: 'x' });
		expect(put.status).toBe(405);
	});

	it('applies validation rules with FIELD_CUSTOM_VALIDATION_EXCEPTION until removed', async () => {
		const { api, standin } = await connect();
		const remove = standin.addValidationRule({
			sobject: 'Invoice__c',
			message: 'A paid invoice needs an amount',
			field: 'Amount__c',
			errorCondition: (record) => record.Paid__c === true && record.Amount__c === null,
		});
		const refused = await api.call('POST', 'sobjects/Invoice__c', { Paid__c: true });
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual([
			{
				message: 'A paid invoice needs an amount',
				errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
				fields: ['Amount__c'],
			},
		]);
		expect(
			(await api.call('POST', 'sobjects/Invoice__c', { Paid__c: true, Amount__c: 1 })).status,
		).toBe(201);
		remove();
		expect((await api.call('POST', 'sobjects/Invoice__c', { Paid__c: true })).status).toBe(201);
	});

	it('fills defaults: Invoice__c Name is its id, Lead Status, checkboxes false, OwnerId the user', async () => {
		const { api, standin } = await connect();
		const invoice = await api.call('POST', 'sobjects/Invoice__c', { Amount__c: 10.005 });
		const lead = await api.call('POST', 'sobjects/Lead', { LastName: 'L', Company: 'C' });
		const invoiceRow = standin.records('Invoice__c').find((row) => row.Id === invoice.body.id);
		expect(invoiceRow).toMatchObject({
			Name: invoice.body.id,
			Paid__c: false,
			Amount__c: 10.01,
			IsDeleted: false,
			OwnerId: standin.users[0].userId,
		});
		expect(standin.records('Lead').find((row) => row.Id === lead.body.id)).toMatchObject({
			Status: 'Open - Not Contacted',
			Name: 'L',
		});
	});
});

describe('upsert by external id', () => {
	it('creates (201, created true), then updates (200, created false); the value is URL-decoded', async () => {
		const { api, standin } = await connect();
		const path = `sobjects/Invoice__c/Invoice_Number__c/${encodeURIComponent('2026/07 #1')}`;
		const created = await api.call('PATCH', path, { Amount__c: 5 });
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			id: expect.stringMatching(/^a0X/),
			success: true,
			errors: [],
			created: true,
		});
		const updated = await api.call('PATCH', path, { Amount__c: 6 });
		expect(updated.status).toBe(200);
		expect(updated.body).toEqual({
			id: created.body.id,
			success: true,
			errors: [],
			created: false,
		});
		expect(standin.records('Invoice__c').find((row) => row.Id === created.body.id)).toMatchObject({
			Invoice_Number__c: '2026/07 #1',
			Amount__c: 6,
		});
		expect((await api.get(path)).body).toMatchObject({ Id: created.body.id, Amount__c: 6 });
	});

	it('answers 204 to an update before v46.0, which had no `created`', async () => {
		const { api } = await connect();
		const old = await api.call(
			'PATCH',
			'/services/data/v45.0/sobjects/Invoice__c/Invoice_Number__c/INV-0001',
			{ Amount__c: 1 },
		);
		expect(old.status).toBe(204);
	});

	it('answers 300 with the matching URLs when several rows share the value', async () => {
		const { api, standin } = await connect();
		const ids = standin.insertRecords('Account', [
			{ Name: 'One', External_Id__c: 'TWIN' },
			{ Name: 'Two', External_Id__c: 'twin' },
		]);
		const answer = await api.call('PATCH', 'sobjects/Account/External_Id__c/TWIN', { Phone: '1' });
		expect(answer.status).toBe(300);
		expect(answer.body).toEqual(ids.map((id) => `${API}/sobjects/Account/${id}`));
	});

	it('refuses a field that is not an external id', async () => {
		const { api } = await connect();
		const answer = await api.call('PATCH', 'sobjects/Account/Phone/123', { Name: 'x' });
		expect(answer.status).toBe(404);
		expect(answer.body).toEqual([
			{
				errorCode: 'NOT_FOUND',
				message: 'Provided external ID field does not exist or is not accessible: Phone',
			},
		]);
	});
});
