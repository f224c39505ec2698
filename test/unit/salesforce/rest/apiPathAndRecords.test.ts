import {
	checkRecordId,
	fieldsOf,
	idOf,
	isRecordId,
	recordsOf,
	resolveApiPath,
	SalesforceRestError,
	withoutAttributes,
	withoutFields,
} from '../../../../nodes/salesforce';

describe("resolveApiPath places a path on the instance's /services/", () => {
	it.each([
		['limits', '/services/data/v62.0/limits'],
		['  sobjects/Account/describe  ', '/services/data/v62.0/sobjects/Account/describe'],
		['query?q=SELECT+Id+FROM+Account', '/services/data/v62.0/query?q=SELECT+Id+FROM+Account'],
		['/services/apexrest/MyService', '/services/apexrest/MyService'],
		['/services/data/v58.0/tooling/query', '/services/data/v58.0/tooling/query'],
		['/services/data/', '/services/data/'],
		['services/apexrest/X', '/services/apexrest/X'],
		['v58.0/limits', '/services/data/v58.0/limits'],
		['sobjects/Account/Ext__c/a%2Fb', '/services/data/v62.0/sobjects/Account/Ext__c/a%2Fb'],
		[
			'composite/sobjects?ids=a,b&allOrNone=false',
			'/services/data/v62.0/composite/sobjects?ids=a,b&allOrNone=false',
		],
		['query?q=..', '/services/data/v62.0/query?q=..'],
	])('%j → %s', (path, resolved) => {
		expect(resolveApiPath(path, '62.0')).toBe(resolved);
	});

	it.each([
		['', /^Path: is empty$/],
		['   ', /^Path: is empty$/],
		['https://evil.test/services/data', /^Path: is a full URL/],
		['http://127.0.0.1/services/data', /full URL/],
		['javascript:alert(1)', /full URL/],
		['//evil.test/services/data', /could name another host/],
		['\\\\evil.test', /could name another host/],
		['/\\evil.test', /could name another host/],
		['../../evil', /"\." or "\.\." segment/],
		['/services/data/../../secur/frontdoor.jsp', /"\." or "\.\." segment/],
		['/services/data/%2e%2e/%2E%2E/x', /"\." or "\.\." segment/],
		['sobjects/%2e%2e%2f%2e%2e%2fx', /encoded/],
		['/services/./data', /"\." or "\.\." segment/],
		['/secur/frontdoor.jsp', /outside \/services\//],
		['/', /outside \/services\//],
		['/servicesX/data', /outside \/services\//],
		['limits\nHost: evil', /control character/],
		['limits#x', /fragment/],
		[42, /is empty/],
	])('refuses %j naming Path', (path, problem) => {
		let caught: unknown;
		try {
			resolveApiPath(path, '62.0');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(SalesforceRestError);
		const error = caught as SalesforceRestError;
		expect(error.message).toMatch(/^Path: /);
		expect(error.message).toMatch(problem);
		expect(error.description).toMatch(/relative to \/services\/data\/v62\.0\//);
		expect(error.parameter).toBe('Path');
	});
});

describe('resolveApiPath and the Streaming API', () => {
	it.each(['/cometd/62.0', '/cometd/62.0/handshake', '/cometd/58.0/connect'])(
		"the client's own %s",
		(path) => {
			expect(resolveApiPath(path, '62.0', 'Path', { cometd: true })).toBe(path);
		},
	);

	it.each(['/cometd/62.0', '/cometd/', '/cometdx/62.0'])("never a user's Path %s", (path) => {
		expect(() => resolveApiPath(path, '62.0')).toThrow(/^Path: .* is outside \/services\//);
	});

	it.each([
		'/cometd/',
		'/cometd/latest',
		'/cometd/62.0x',
		'/cometd/62.0/../../secur/frontdoor.jsp',
	])('not %s, even for the client', (path) => {
		expect(() => resolveApiPath(path, '62.0', 'Path', { cometd: true })).toThrow(/^Path: /);
	});
});

describe('withoutAttributes', () => {
	it('removes attributes from the record, its parents and subquery records, and leaves the input alone', () => {
		const record = {
			attributes: { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003A' },
			Id: '003A',
			Account: {
				attributes: { type: 'Account', url: '/x' },
				Name: 'Acme',
				Owner: { attributes: { type: 'User' }, Name: 'Ann' },
			},
			Cases: {
				totalSize: 1,
				done: true,
				records: [{ attributes: { type: 'Case' }, Subject: 'Help' }],
			},
			Empty: null,
			Tags: ['a', { attributes: { type: 'X' }, b: 1 }],
		};
		const copy = structuredClone(record);
		expect(withoutAttributes(record)).toEqual({
			Id: '003A',
			Account: { Name: 'Acme', Owner: { Name: 'Ann' } },
			Cases: { totalSize: 1, done: true, records: [{ Subject: 'Help' }] },
			Empty: null,
			Tags: ['a', { b: 1 }],
		});
		expect(record).toEqual(copy);
	});

	it("keeps a field called attributes that is not Salesforce's object", () => {
		expect(withoutAttributes({ attributes: 'text' })).toEqual({ attributes: 'text' });
	});

	it('recordsOf reads the records of an answer', () => {
		expect(recordsOf({ done: true, records: [{ Id: 'a' }, null, 'x'] })).toEqual([{ Id: 'a' }]);
		expect(recordsOf({ done: true })).toEqual([]);
		expect(recordsOf('nope')).toEqual([]);
	});
});

describe('checkRecordId', () => {
	it.each([['001000000000001'], ['001000000000001AAA'], ['  001000000000001AAA ']])('%j', (id) => {
		expect(checkRecordId(id, 'Record ID')).toBe(id.trim());
	});

	it.each([
		[''],
		['001'],
		['001000000000001AA'],
		["001000000000001AAA' OR"],
		['../001000000000001'],
		[undefined],
	])('refuses %j', (id) => {
		expect(() => checkRecordId(id, 'Record ID')).toThrow(/^Record ID: /);
	});
});

describe('isRecordId', () => {
	it.each<[string, boolean]>([
		['001000000000001', true],
		['001000000000001AAA', true],
		['001000000000001AA', false],
		['001000000000001AAAA', false],
		[' 001000000000001', false],
		['00100000000000-', false],
		['', false],
	])('%j: %s', (text, valid) => expect(isRecordId(text)).toBe(valid));
});

describe('record shaping', () => {
	it('withoutFields copies the record without the named fields', () => {
		const record = { Id: '001', Name: 'Acme', id: 'x' };
		expect(withoutFields(record, ['Id', 'id'])).toEqual({ Name: 'Acme' });
		expect(record).toEqual({ Id: '001', Name: 'Acme', id: 'x' });
	});

	it('fieldsOf drops the attributes a read record carries (only at the top)', () => {
		expect(
			fieldsOf({
				attributes: { type: 'Account' },
				Name: 'Acme',
				Owner: { attributes: { type: 'User' } },
			}),
		).toEqual({ Name: 'Acme', Owner: { attributes: { type: 'User' } } });
	});

	it.each<[Record<string, unknown> | string, unknown]>([
		['001A', '001A'],
		[{ Id: '001A', id: 'x' }, '001A'],
		[{ id: '001B' }, '001B'],
		[{ ID: '001C' }, '001C'],
		[{ Name: 'none' }, undefined],
	])('idOf %j', (record, id) => expect(idOf(record)).toBe(id));
});
