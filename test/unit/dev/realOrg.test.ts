import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readRealOrg, REAL_ORG_CONFIG_FILE } from '../../../dev/real-org';

/** `npm start` against a real org: which details it takes from where, and what it refuses. */
describe('readRealOrg', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'sfi-real-org-'));
	});
	afterEach(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	it('uses the stand-in (undefined) when neither variables nor file are given', () => {
		expect(readRealOrg(folder, {})).toBeUndefined();
	});

	it('reads the SF_* variables, trimming everything but the password and token', () => {
		const org = readRealOrg(folder, {
			SF_DOMAIN: ' acme.my.salesforce.com ',
			SF_CONSUMER_KEY: '3MVG9key',
			SF_CONSUMER_SECRET: 'secret',
			SF_USERNAME: 'api@acme.com',
			SF_PASSWORD: ' pass word ',
			SF_SECURITY_TOKEN: 'tok',
		});
		expect(org?.login).toEqual({
			authFlow: 'password',
			domain: 'acme.my.salesforce.com',
			consumerKey: '3MVG9key',
			consumerSecret: 'secret',
			username: 'api@acme.com',
			password: ' pass word ',
			securityToken: 'tok',
		});
		expect(org?.source).toBe('SF_* environment variables');
	});

	it('names the missing variables for the chosen flow', () => {
		expect(() =>
			readRealOrg(folder, {
				SF_DOMAIN: 'acme.my.salesforce.com',
				SF_CONSUMER_KEY: 'k',
				SF_CONSUMER_SECRET: 's',
			}),
		).toThrow(/missing SF_USERNAME, SF_PASSWORD \(needed for the password flow\)/);
		expect(
			readRealOrg(folder, {
				SF_AUTH_FLOW: 'clientCredentials',
				SF_DOMAIN: 'acme.my.salesforce.com',
				SF_CONSUMER_KEY: 'k',
				SF_CONSUMER_SECRET: 's',
			})?.login.authFlow,
		).toBe('clientCredentials');
		expect(() => readRealOrg(folder, { SF_AUTH_FLOW: 'jwt' })).toThrow(
			/SF_AUTH_FLOW .* must be "password" or "clientCredentials"/,
		);
	});

	it(`reads ${REAL_ORG_CONFIG_FILE} with the credential's field names when no variable is set`, () => {
		writeFileSync(
			join(folder, REAL_ORG_CONFIG_FILE),
			JSON.stringify({
				authFlow: 'clientCredentials',
				domain: 'acme--uat.sandbox.my.salesforce.com',
				consumerKey: 'k',
				consumerSecret: 's',
			}),
		);
		expect(readRealOrg(folder, {})).toEqual({
			login: {
				authFlow: 'clientCredentials',
				domain: 'acme--uat.sandbox.my.salesforce.com',
				consumerKey: 'k',
				consumerSecret: 's',
			},
			source: REAL_ORG_CONFIG_FILE,
		});
	});

	it('says which file is broken', () => {
		writeFileSync(join(folder, REAL_ORG_CONFIG_FILE), '{ "domain": ');
		expect(() => readRealOrg(folder, {})).toThrow(/salesforce\.local\.json is not valid JSON/);
		writeFileSync(join(folder, REAL_ORG_CONFIG_FILE), '["acme"]');
		expect(() => readRealOrg(folder, {})).toThrow(/must hold one object/);
	});
});
