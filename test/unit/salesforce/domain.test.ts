import {
	isTrustedInstanceUrl,
	normaliseDomain,
	SalesforceAuthError,
} from '../../../nodes/salesforce';

describe('normaliseDomain accepts what users paste', () => {
	it.each([
		['acme', 'https://acme.my.salesforce.com', 'my-domain'],
		['ACME', 'https://acme.my.salesforce.com', 'my-domain'],
		['  acme.my.salesforce.com  ', 'https://acme.my.salesforce.com', 'my-domain'],
		['acme.my.salesforce.com\n', 'https://acme.my.salesforce.com', 'my-domain'],
		['acme.my.salesforce.com', 'https://acme.my.salesforce.com', 'my-domain'],
		['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com', 'my-domain'],
		['https://acme.my.salesforce.com/', 'https://acme.my.salesforce.com', 'my-domain'],
		['HTTPS://Acme.My.Salesforce.com/', 'https://acme.my.salesforce.com', 'my-domain'],
		[
			'acme--uat.sandbox.my.salesforce.com',
			'https://acme--uat.sandbox.my.salesforce.com',
			'sandbox',
		],
		['acme--uat', 'https://acme--uat.sandbox.my.salesforce.com', 'sandbox'],
		['acme.develop.my.salesforce.com', 'https://acme.develop.my.salesforce.com', 'partition'],
		['acme.scratch.my.salesforce.com', 'https://acme.scratch.my.salesforce.com', 'partition'],
		['acme.trailblaze.my.salesforce.com', 'https://acme.trailblaze.my.salesforce.com', 'partition'],
		['acme.demo.my.salesforce.com', 'https://acme.demo.my.salesforce.com', 'partition'],
		['acme.patch.my.salesforce.com', 'https://acme.patch.my.salesforce.com', 'partition'],
		['acme.free.my.salesforce.com', 'https://acme.free.my.salesforce.com', 'partition'],
		['acme.lightning.force.com', 'https://acme.my.salesforce.com', 'my-domain'],
		['https://acme.lightning.force.com/', 'https://acme.my.salesforce.com', 'my-domain'],
		[
			'acme--uat.sandbox.lightning.force.com',
			'https://acme--uat.sandbox.my.salesforce.com',
			'sandbox',
		],
		['acme.develop.lightning.force.com', 'https://acme.develop.my.salesforce.com', 'partition'],
		['acme.my.salesforce-setup.com', 'https://acme.my.salesforce.com', 'my-domain'],
		['login.salesforce.com', 'https://login.salesforce.com', 'generic-production'],
		['https://test.salesforce.com', 'https://test.salesforce.com', 'generic-sandbox'],
		['acme.my.salesforce.mil', 'https://acme.my.salesforce.mil', 'government'],
		['acme.my.sfcrmproducts.cn', 'https://acme.my.sfcrmproducts.cn', 'china'],
		['http://127.0.0.1:8443', 'http://127.0.0.1:8443', 'loopback'],
		['http://localhost:3000/', 'http://localhost:3000', 'loopback'],
		['https://[::1]:9000', 'https://[::1]:9000', 'loopback'],
	])('%s → %s', (input, origin, kind) => {
		const host = normaliseDomain(input);
		expect(host.origin).toBe(origin);
		expect(host.kind).toBe(kind);
	});

	it('marks the generic login hosts, where client credentials never work', () => {
		expect(normaliseDomain('login.salesforce.com').isGenericLoginHost).toBe(true);
		expect(normaliseDomain('test.salesforce.com').isGenericLoginHost).toBe(true);
		expect(normaliseDomain('acme.my.salesforce.com').isGenericLoginHost).toBe(false);
	});
});

describe('normaliseDomain refuses anything that could send credentials elsewhere', () => {
	it.each([
		['', /Domain: is empty/],
		['   ', /Domain: is empty/],
		['acme.my.salesforce.com/services/oauth2/token', /must not contain a path/],
		['https://acme.my.salesforce.com/?x=1', /query/],
		['acme.my.salesforce.com?x', /query/],
		['https://user:pw@acme.my.salesforce.com', /user-info/],
		['https://acme.my.salesforce.com:8443', /port/],
		['acme.my.salesforce.com:443', /port/],
		['http://acme.my.salesforce.com', /only reachable over https/],
		['ftp://acme.my.salesforce.com', /only reachable over https/],
		['javascript:alert(1)', /not https/],
		['acme.my.salesforce.com.evil.test', /not a Salesforce login host/],
		['evil.test#.my.salesforce.com', /fragment/],
		['evil.test', /not a Salesforce login host/],
		['salesforce.com', /not a Salesforce login host/],
		['my.salesforce.com', /not a Salesforce login host/],
		['-acme.my.salesforce.com', /not a Salesforce login host/],
		['acme.evil.my.salesforce.com', /not a Salesforce login host/],
		['acme .my.salesforce.com', /spaces or control characters/],
		['acme\u0000.my.salesforce.com', /spaces or control characters/],
		['acme%2e.my.salesforce.com', /percent-encoded/],
		['ácme.my.salesforce.com', /non-ASCII/],
		['xn--cme-8na.my.salesforce.com', /not a Salesforce login host/],
		['../acme.my.salesforce.com', /path|not a valid|not a Salesforce/],
		['a'.repeat(300), /too long/],
	])('%j is refused', (input, message) => {
		let error: unknown;
		try {
			normaliseDomain(input);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(SalesforceAuthError);
		const refused = error as SalesforceAuthError;
		expect(refused.reason).toBe('invalid-input');
		expect(refused.message).toMatch(/^Domain: /);
		expect(refused.message).toMatch(message);
		expect(refused.description).toMatch(/Accepted forms/);
	});
});

describe('isTrustedInstanceUrl', () => {
	const production = normaliseDomain('acme.my.salesforce.com');
	const loopback = normaliseDomain('http://127.0.0.1:1234');

	it('trusts Salesforce hosts for a Salesforce login and loopback for a local stand-in', () => {
		expect(isTrustedInstanceUrl('https://acme.my.salesforce.com', production)).toBe(true);
		expect(isTrustedInstanceUrl('https://na123.salesforce.com', production)).toBe(true);
		expect(isTrustedInstanceUrl('http://127.0.0.1:1234', loopback)).toBe(true);
	});

	it('refuses anything else', () => {
		expect(isTrustedInstanceUrl('https://acme.my.salesforce.com.evil.test', production)).toBe(
			false,
		);
		expect(isTrustedInstanceUrl('http://acme.my.salesforce.com', production)).toBe(false);
		expect(isTrustedInstanceUrl('https://evil.test', loopback)).toBe(false);
		expect(isTrustedInstanceUrl('http://127.0.0.1:1234', production)).toBe(false);
		expect(isTrustedInstanceUrl('not a url', production)).toBe(false);
	});
});
