import { checkFieldName, mapSession, readOutputMappings, SalesforceAuthError, SESSION_FIELDS } from '../../../nodes/salesforce';
import type { SalesforceSession } from '../../../nodes/salesforce';

const session: SalesforceSession = {
	accessToken: '00D000000000001AAA!AQ.token',
	instanceUrl: 'https://acme.my.salesforce.com',
	identityUrl: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
	tokenType: 'Bearer',
	issuedAt: '1764000000000',
	orgId: '00D000000000001AAA',
	userId: '005000000000001AAA',
};

describe('response mapping', () => {
	it('maps every session field users can pick', () => {
		const mappings = readOutputMappings(SESSION_FIELDS.map((field) => ({ objectPath: field.path, field: `SF_${field.path.toUpperCase()}` })));
		expect(mapSession(session, mappings)).toEqual({
			SF_ACCESS_TOKEN: session.accessToken,
			SF_INSTANCE_URL: session.instanceUrl,
			SF_ID: session.identityUrl,
			SF_TOKEN_TYPE: 'Bearer',
			SF_ISSUED_AT: session.issuedAt,
			SF_ORG_ID: session.orgId,
			SF_USER_ID: session.userId,
		});
	});

	it('uses field names literally, dots and unicode included', () => {
		const mappings = readOutputMappings([{ objectPath: 'access_token', field: 'sf.token 漢' }]);
		expect(mapSession(session, mappings)).toEqual({ 'sf.token 漢': session.accessToken });
	});

	it.each([
		[[], /^Response Mapping: has no rows/],
		[undefined, /^Response Mapping: has no rows/],
		[[{ objectPath: 'refresh_token', field: 'X' }], /^Response Mapping row 1, Object Path: "refresh_token" is not a value/],
		[[{ objectPath: 'access_token', field: '' }], /^Response Mapping row 1, Field Name: is empty/],
		[[{ objectPath: 'access_token', field: ' X' }], /^Response Mapping row 1, Field Name: starts or ends with a space/],
		[[{ objectPath: 'access_token', field: '__proto__' }], /reserved/],
		[[{ objectPath: 'access_token', field: 'A' }, { objectPath: 'id', field: 'A' }], /^Response Mapping row 2, Field Name: "A" is already used/],
		[[{ objectPath: 'access_token', field: 'a\tb' }], /control character/],
	])('refuses %j naming the row and column', (rows, message) => {
		expect(() => readOutputMappings(rows)).toThrow(SalesforceAuthError);
		expect(() => readOutputMappings(rows)).toThrow(message);
	});

	it('checks a single output field name under the label the form shows', () => {
		expect(checkFieldName('SF_ACCESS_TOKEN', 'Output Field')).toBe('SF_ACCESS_TOKEN');
		expect(() => checkFieldName('', 'Output Field')).toThrow(/^Output Field: is empty/);
	});
});
