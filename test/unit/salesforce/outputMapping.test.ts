import {
	checkFieldName,
	mapSession,
	readOutputMappings,
	SalesforceAuthError,
	SESSION_FIELDS,
} from '../../../nodes/salesforce';
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
		const mappings = readOutputMappings(
			SESSION_FIELDS.map((field) => ({
				objectPath: field.path,
				field: `SF_${field.path.toUpperCase()}`,
			})),
		);
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
		[
			[{ objectPath: 'refresh_token', field: 'X' }],
			/^Response Mapping row 1, Object Path: "refresh_token" is not a value/,
		],
		[[{ objectPath: 'access_token', field: '' }], /^Response Mapping row 1, Field Name: is empty/],
		[
			[{ objectPath: 'access_token', field: ' X' }],
			/^Response Mapping row 1, Field Name: starts or ends with a space/,
		],
		[[{ objectPath: 'access_token', field: '__proto__' }], /reserved/],
		[
			[
				{ objectPath: 'access_token', field: 'A' },
				{ objectPath: 'id', field: 'A' },
			],
			/^Response Mapping row 2, Field Name: "A" already receives access_token \(row 1\)/,
		],
		[[{ objectPath: 'access_token', field: 'a\tb' }], /control character/],
	])('refuses %j naming the row and column', (rows, message) => {
		expect(() => readOutputMappings(rows)).toThrow(SalesforceAuthError);
		expect(() => readOutputMappings(rows)).toThrow(message);
	});

	describe('node version 1.1: a row works as added', () => {
		const rules = { fieldFollowsValue: true };
		it('an empty Field Name follows the value picked', () => {
			const rows = [
				{ objectPath: 'access_token' },
				{ objectPath: 'instance_url', field: '' },
				{ objectPath: 'org_id', field: 'ORG' },
			];
			expect(readOutputMappings(rows, rules)).toEqual([
				{ objectPath: 'access_token', field: 'SF_ACCESS_TOKEN' },
				{ objectPath: 'instance_url', field: 'SF_INSTANCE_URL' },
				{ objectPath: 'org_id', field: 'ORG' },
			]);
		});
		it('a freshly added row (the defaults again) repeats the first and is dropped, not refused', () => {
			expect(
				readOutputMappings(
					[{ objectPath: 'access_token' }, { objectPath: 'access_token', field: '' }],
					rules,
				),
			).toEqual([{ objectPath: 'access_token', field: 'SF_ACCESS_TOKEN' }]);
		});
		it('a typed name that collides is still refused, with the way out', () => {
			expect(() =>
				readOutputMappings(
					[{ objectPath: 'access_token' }, { objectPath: 'id', field: 'SF_ACCESS_TOKEN' }],
					rules,
				),
			).toThrow(/row 2, Field Name: "SF_ACCESS_TOKEN" already receives access_token \(row 1\)/);
		});
	});

	it('version 1 keeps its rules: an empty Field Name is refused (saved rows rely on it)', () => {
		expect(() => readOutputMappings([{ objectPath: 'instance_url', field: '' }])).toThrow(
			/row 1, Field Name: is empty/,
		);
		expect(() =>
			readOutputMappings([
				{ objectPath: 'access_token', field: 'T' },
				{ objectPath: 'access_token', field: 'T' },
			]),
		).toThrow(/row 2, Field Name: "T" already receives access_token \(row 1\)/);
	});

	it('checks a single output field name under the label the form shows', () => {
		expect(checkFieldName('SF_ACCESS_TOKEN', 'Output Field')).toBe('SF_ACCESS_TOKEN');
		expect(() => checkFieldName('', 'Output Field')).toThrow(/^Output Field: is empty/);
	});
});
