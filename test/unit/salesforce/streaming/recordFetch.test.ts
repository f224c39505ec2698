import {
	fieldsToFetch,
	planRecordFetches,
	readFetchedRecords,
	recordFetchRequest,
	recordsOfChange,
	type ChangeFacts,
	type FieldDescribe,
} from '../../../../nodes/salesforce';

const field = (name: string, type: string): FieldDescribe => ({
	name,
	label: name,
	type,
	nillable: true,
	createable: true,
	updateable: true,
});
const id = (n: number) => `001${String(n).padStart(15, '0')}`;

describe('reading the changed records (Fetch Full Records)', () => {
	it('reads every field but compound ones, whose parts describe lists too', () => {
		expect(
			fieldsToFetch([
				field('Id', 'id'),
				field('Name', 'string'),
				field('BillingAddress', 'address'),
				field('BillingCity', 'string'),
				field('Spot__c', 'location'),
				field('Spot__Latitude__s', 'double'),
			]),
		).toEqual(['Id', 'Name', 'BillingCity', 'Spot__Latitude__s']);
	});

	it('asks with a POST retrieve (ids and fields in the body: all fields of an object can pass the URI limit)', () => {
		const [fetch] = planRecordFetches([
			{ entityName: 'Account', changeType: 'UPDATE', recordIds: [id(1), id(2)] },
		]);
		expect(recordFetchRequest(fetch, ['Id', 'Name'])).toEqual({
			method: 'POST',
			path: 'composite/sobjects/Account',
			body: { ids: [id(1), id(2)], fields: ['Id', 'Name'] },
		});
	});

	it('reads the answer by id (null: the record is gone), without attributes; hands each change its records in order', () => {
		const [fetch] = planRecordFetches([
			{ entityName: 'Account', changeType: 'UPDATE', recordIds: [id(1), id(2), id(3)] },
		]);
		const read = readFetchedRecords(fetch, [
			{ attributes: { type: 'Account' }, Id: id(1), Name: 'One' },
			null,
			{ attributes: { type: 'Account' }, Id: id(3), Name: 'Three' },
		]);
		expect([...read.keys()]).toEqual([id(1), id(3)]);
		expect(read.get(id(1))).toEqual({ Id: id(1), Name: 'One' });
		const change: ChangeFacts = {
			entityName: 'Account',
			changeType: 'UPDATE',
			recordIds: [id(3), id(2), id(1)],
		};
		expect(recordsOfChange(change, read).map((record) => record.Name)).toEqual(['Three', 'One']);
		expect(recordsOfChange({ ...change, changeType: 'DELETE' }, read)).toEqual([]);
		expect(readFetchedRecords(fetch, { not: 'an array' }).size).toBe(0);
	});
});
