import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
	DEMO_PASSWORD,
	startSalesforceStandin,
	type SalesforceStandin,
	type StandinOptions,
} from '../../dev/salesforce-standin';

const TOKEN = '/services/oauth2/token';
const JSON_TYPE = 'application/json;charset=UTF-8';

const started: SalesforceStandin[] = [];

async function start(options: StandinOptions = {}): Promise<SalesforceStandin> {
	const standin = await startSalesforceStandin(options);
	started.push(standin);
	return standin;
}

afterEach(async () => {
	await Promise.all(started.splice(0).map((standin) => standin.close()));
});

function passwordFields(
	standin: SalesforceStandin,
	overrides: Record<string, string> = {},
): Record<string, string> {
	return {
		grant_type: 'password',
		client_id: standin.demo.consumerKey,
		client_secret: standin.demo.consumerSecret,
		username: standin.demo.username,
		password: standin.demo.password + standin.demo.securityToken,
		...overrides,
	};
}

function clientCredentialsFields(standin: SalesforceStandin): Record<string, string> {
	return {
		grant_type: 'client_credentials',
		client_id: standin.demo.consumerKey,
		client_secret: standin.demo.consumerSecret,
	};
}

/** A form body encoded the standard way (URLSearchParams percent-encodes and turns spaces into `+`). */
function postForm(
	standin: SalesforceStandin,
	fields: Record<string, string>,
	init: RequestInit = {},
): Promise<Response> {
	return fetch(standin.url + TOKEN, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
		...init,
	});
}

async function login(standin: SalesforceStandin): Promise<Record<string, string>> {
	const response = await postForm(standin, passwordFields(standin));
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, string>;
}

function signatureOf(secret: string, id: string, issuedAt: string): string {
	return createHmac('sha256', secret)
		.update(id + issuedAt)
		.digest('base64');
}

function get(standin: SalesforceStandin, path: string, token?: string): Promise<Response> {
	return fetch(standin.url + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

describe('token endpoint: success', () => {
	it('issues a Salesforce-shaped session for the username-password flow, with a verifiable signature', async () => {
		const standin = await start();
		const response = await postForm(standin, passwordFields(standin));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe(JSON_TYPE);
		const body = (await response.json()) as Record<string, string>;

		expect(Object.keys(body).sort()).toEqual(
			['access_token', 'id', 'instance_url', 'issued_at', 'signature', 'token_type'].sort(),
		);
		expect(body.access_token.startsWith(`${standin.orgId}!`)).toBe(true);
		expect(body.access_token).toMatch(/^00D[A-Za-z0-9]{15}![A-Za-z0-9._]+$/);
		expect(body.instance_url).toBe(standin.url);
		expect(body.id).toBe(`${standin.url}/id/${standin.orgId}/${standin.users[0].userId}`);
		expect(standin.users[0].userId).toMatch(/^005[A-Za-z0-9]{15}$/);
		expect(body.token_type).toBe('Bearer');
		expect(body.issued_at).toMatch(/^\d{13}$/);
		expect(body.signature).toBe(signatureOf(standin.demo.consumerSecret, body.id, body.issued_at));

		expect(standin.loginCount).toBe(1);
		expect(standin.failedLoginCount).toBe(0);
		expect(standin.activeSessions()).toEqual([body.access_token]);
	});

	it('issues a session for client credentials sent in the body, with scope', async () => {
		const standin = await start();
		const response = await postForm(standin, clientCredentialsFields(standin));
		expect(response.status).toBe(200);
		const body = (await response.json()) as Record<string, string>;
		expect(body.scope).toBe('api');
		expect(body.token_type).toBe('Bearer');
		expect(body.id).toBe(`${standin.url}/id/${standin.orgId}/${standin.users[0].userId}`);
		expect(body.signature).toBe(signatureOf(standin.demo.consumerSecret, body.id, body.issued_at));
		expect(body).not.toHaveProperty('refresh_token');
		expect(body).not.toHaveProperty('expires_in');
	});

	it('accepts client credentials through HTTP Basic', async () => {
		const standin = await start();
		const basic = Buffer.from(
			`${standin.demo.consumerKey}:${standin.demo.consumerSecret}`,
		).toString('base64');
		const response = await postForm(
			standin,
			{ grant_type: 'client_credentials' },
			{
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Authorization: `Basic ${basic}`,
				},
			},
		);
		expect(response.status).toBe(200);
		expect(standin.loginCount).toBe(1);
	});

	it('uses the configured instance_url and puts the label in tokens and demo data', async () => {
		const production = await start({
			label: 'production',
			instanceUrl: 'https://acme.my.salesforce.com',
		});
		const uat = await start({ label: 'uat' });
		expect(production.demo.consumerKey).not.toBe(uat.demo.consumerKey);
		expect(production.demo.username).not.toBe(uat.demo.username);
		expect(production.orgId).not.toBe(uat.orgId);

		const token = await login(production);
		expect(token.instance_url).toBe('https://acme.my.salesforce.com');
		expect(token.access_token).toContain('!production.');
		expect((await login(uat)).access_token).toContain('!uat.');

		const userinfo = (await (
			await get(production, '/services/oauth2/userinfo', token.access_token)
		).json()) as {
			name: string;
		};
		expect(userinfo.name).toContain('production');
	});

	it('keeps the same demo credentials for the same label', async () => {
		const first = await start({ label: 'uat' });
		const second = await start({ label: 'uat' });
		expect(second.demo).toEqual(first.demo);
		expect(first.demo.password).toBe(DEMO_PASSWORD);
	});
});

describe('token endpoint: errors', () => {
	interface ErrorRow {
		name: string;
		options?: StandinOptions;
		arrange?: (standin: SalesforceStandin) => void | Promise<void>;
		fields: (standin: SalesforceStandin) => Record<string, string>;
		error: string;
		description: string;
	}

	const rows: ErrorRow[] = [
		{
			name: 'wrong consumer key',
			fields: (s) => passwordFields(s, { client_id: `${s.demo.consumerKey}x` }),
			error: 'invalid_client_id',
			description: 'client identifier invalid',
		},
		{
			name: 'wrong consumer secret',
			fields: (s) => passwordFields(s, { client_secret: 'WRONG' }),
			error: 'invalid_client',
			description: 'invalid client credentials',
		},
		{
			name: 'wrong password',
			fields: (s) => passwordFields(s, { password: `wrong${s.demo.securityToken}` }),
			error: 'invalid_grant',
			description: 'authentication failure',
		},
		{
			name: 'missing security token',
			fields: (s) => passwordFields(s, { password: s.demo.password }),
			error: 'invalid_grant',
			description: 'authentication failure',
		},
		{
			name: 'unknown username',
			fields: (s) => passwordFields(s, { username: 'nobody@standin.example' }),
			error: 'invalid_grant',
			description: 'authentication failure',
		},
		{
			name: 'locked user',
			arrange: (s) => {
				s.users[0].status = 'locked';
			},
			fields: (s) => passwordFields(s),
			error: 'invalid_grant',
			description: 'authentication failure',
		},
		{
			name: 'IP restriction or login hours',
			arrange: (s) => {
				s.users[0].ipRestricted = true;
			},
			fields: (s) => passwordFields(s),
			error: 'invalid_grant',
			description: 'IP restricted or invalid login hours',
		},
		{
			name: 'login rate exceeded',
			options: { loginRateLimitPerHour: 2 },
			arrange: async (s) => {
				await login(s);
				await login(s);
			},
			fields: (s) => passwordFields(s),
			error: 'invalid_grant',
			description: 'login rate exceeded',
		},
		{
			name: 'inactive user',
			arrange: (s) => {
				s.users[0].status = 'inactive';
			},
			fields: (s) => passwordFields(s),
			error: 'inactive_user',
			description: 'user is inactive',
		},
		{
			name: 'inactive org',
			options: { orgStatus: 'inactive' },
			fields: (s) => passwordFields(s),
			error: 'inactive_org',
			description: 'organization is locked, closed, or suspended',
		},
		{
			name: 'user not assigned to the app',
			arrange: (s) => {
				s.users[0].appAccess = false;
			},
			fields: (s) => passwordFields(s),
			error: 'invalid_app_access',
			description: 'user is not admin approved to access this app',
		},
		{
			name: 'username-password flow blocked for the app',
			arrange: (s) => {
				s.apps[0].passwordFlow = false;
			},
			fields: (s) => passwordFields(s),
			error: 'unsupported_grant_type',
			description: 'grant type not supported',
		},
		{
			name: 'unknown grant type',
			fields: (s) => passwordFields(s, { grant_type: 'authorization_code' }),
			error: 'unsupported_grant_type',
			description: 'grant type not supported',
		},
		{
			name: 'client credentials on a generic login host',
			options: { myDomain: false },
			fields: (s) => clientCredentialsFields(s),
			error: 'invalid_grant',
			description: 'request not supported on this domain',
		},
		{
			name: 'client credentials without a Run-As user',
			arrange: (s) => {
				delete s.apps[0].clientCredentialsRunAs;
			},
			fields: (s) => clientCredentialsFields(s),
			error: 'invalid_grant',
			description: 'no client credentials user enabled',
		},
		{
			name: 'inactive Run-As user',
			arrange: (s) => {
				s.users[0].status = 'inactive';
			},
			fields: (s) => clientCredentialsFields(s),
			error: 'inactive_user',
			description: 'user is inactive',
		},
	];

	it.each(rows)('$name -> $error / $description', async (row) => {
		const standin = await start(row.options);
		await row.arrange?.(standin);
		const failedBefore = standin.failedLoginCount;
		const loginsBefore = standin.loginCount;

		const response = await postForm(standin, row.fields(standin));
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe(JSON_TYPE);
		expect(await response.json()).toEqual({ error: row.error, error_description: row.description });
		expect(standin.failedLoginCount).toBe(failedBefore + 1);
		expect(standin.loginCount).toBe(loginsBefore);
	});

	it('refuses a JSON body with unsupported_grant_type even when the credentials are right', async () => {
		const standin = await start();
		const response = await fetch(standin.url + TOKEN, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(passwordFields(standin)),
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: 'unsupported_grant_type',
			error_description: 'grant type not supported',
		});
		expect(standin.tokenRequests()[0].form).toBeUndefined();
	});

	it('answers a GET on the token endpoint (a redirected POST turned into GET) with invalid_request', async () => {
		const standin = await start();
		const response = await fetch(standin.url + TOKEN);
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: 'invalid_request',
			error_description: 'must use HTTP POST',
		});
		expect(standin.tokenRequests()).toHaveLength(0);
	});
});

describe('token endpoint: encoding', () => {
	it('round-trips the special-character demo password when it is percent-encoded', async () => {
		const standin = await start();
		expect(standin.demo.password).toBe('Pa$$ #42&+%=?/ é漢');
		const fields = passwordFields(standin);
		const body = Object.entries(fields)
			.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
			.join('&');
		const response = await fetch(standin.url + TOKEN, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
			body,
		});
		expect(response.status).toBe(200);
		const recorded = standin.tokenRequests()[0];
		expect(recorded.rawBody).toBe(body);
		expect(recorded.rawBody).toContain('%23'); // '#'
		expect(recorded.rawBody).toContain('%E6%BC%A2'); // '漢' as UTF-8
		expect(recorded.form?.password).toBe(fields.password);
	});

	it('decodes `+` as a space, so a `+` sent unencoded corrupts the password', async () => {
		const standin = await start({
			users: [{ username: 'plus@standin.example', password: 'a+b c' }],
		});
		const fields = passwordFields(standin, { password: 'a+b c' });
		const naive = Object.entries(fields)
			.map(([name, value]) => `${name}=${value}`)
			.join('&');
		const response = await fetch(standin.url + TOKEN, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: naive,
		});
		expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
		expect(standin.tokenRequests()[0].form?.password).toBe('a b c');
		expect((await postForm(standin, fields)).status).toBe(200);
	});

	it('records credentials sent in the query string (and accepts them, as Salesforce does)', async () => {
		const standin = await start();
		const query = new URLSearchParams(passwordFields(standin)).toString();
		const response = await fetch(`${standin.url}${TOKEN}?${query}`, { method: 'POST' });
		expect(response.status).toBe(200);
		const recorded = standin.tokenRequests()[0];
		expect(recorded.query.password).toBe(standin.demo.password + standin.demo.securityToken);
		expect(recorded.form).toBeUndefined();
	});

	it('matches usernames case-insensitively and passwords exactly', async () => {
		const standin = await start();
		expect(
			(
				await postForm(
					standin,
					passwordFields(standin, { username: standin.demo.username.toUpperCase() }),
				)
			).status,
		).toBe(200);
		const upperPassword = (standin.demo.password + standin.demo.securityToken).toUpperCase();
		expect(
			(await postForm(standin, passwordFields(standin, { password: upperPassword }))).status,
		).toBe(400);
	});
});

describe('sessions', () => {
	it('answers userinfo and the identity URL for a live session', async () => {
		const standin = await start();
		const token = await login(standin);
		const userinfo = await get(standin, '/services/oauth2/userinfo', token.access_token);
		expect(userinfo.status).toBe(200);
		expect(await userinfo.json()).toMatchObject({
			sub: token.id,
			user_id: standin.users[0].userId,
			organization_id: standin.orgId,
			preferred_username: standin.demo.username,
		});
		const identity = await fetch(token.id, {
			headers: { Authorization: `Bearer ${token.access_token}` },
		});
		expect(identity.status).toBe(200);
		expect(await identity.json()).toMatchObject({ id: token.id, username: standin.demo.username });
	});

	it('after expireAllSessions: userinfo and identity answer 403 Bad_OAuth_Token, REST answers 401', async () => {
		const standin = await start();
		const token = await login(standin);
		expect((await get(standin, '/services/data/v62.0/limits', token.access_token)).status).toBe(
			200,
		);

		standin.expireAllSessions();
		expect(standin.activeSessions()).toEqual([]);

		const userinfo = await get(standin, '/services/oauth2/userinfo', token.access_token);
		expect(userinfo.status).toBe(403);
		expect(userinfo.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await userinfo.text()).toBe('Bad_OAuth_Token');

		const identity = await fetch(token.id, {
			headers: { Authorization: `Bearer ${token.access_token}` },
		});
		expect(identity.status).toBe(403);
		expect(await identity.text()).toBe('Bad_OAuth_Token');

		for (const path of [
			'/services/data/v62.0/limits',
			'/services/data/v62.0/query?q=SELECT+Id+FROM+Account',
		]) {
			const rest = await get(standin, path, token.access_token);
			expect(rest.status).toBe(401);
			expect(rest.headers.get('content-type')).toBe(JSON_TYPE);
			expect(await rest.json()).toEqual([
				{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
			]);
		}
	});

	it('treats an unknown or missing token like a dead one', async () => {
		const standin = await start();
		const fake = `${standin.orgId}!notasession`;
		expect(await (await get(standin, '/services/oauth2/userinfo', fake)).text()).toBe(
			'Bad_OAuth_Token',
		);
		expect((await get(standin, '/services/data/v62.0/limits', fake)).status).toBe(401);
		expect((await get(standin, '/services/data/v62.0/limits')).status).toBe(401);
	});

	it('ends a session after the inactivity timeout', async () => {
		const standin = await start({ sessionTimeoutMs: 1 });
		const token = await login(standin);
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect((await get(standin, '/services/data/v62.0/limits', token.access_token)).status).toBe(
			401,
		);
	});

	it('ends the sessions of a deactivated user, but not on a password change', async () => {
		const standin = await start();
		const token = await login(standin);
		standin.users[0].password = 'changed';
		expect((await get(standin, '/services/data/v62.0/limits', token.access_token)).status).toBe(
			200,
		);
		standin.users[0].status = 'inactive';
		expect((await get(standin, '/services/data/v62.0/limits', token.access_token)).status).toBe(
			401,
		);
	});

	it('answers 401 "not valid for use with the REST API" for a High Assurance session', async () => {
		const standin = await start();
		standin.users[0].highAssurance = true;
		const token = await login(standin);
		const rest = await get(standin, '/services/data/v62.0/limits', token.access_token);
		expect(rest.status).toBe(401);
		expect(await rest.json()).toEqual([
			{
				message: 'This session is not valid for use with the REST API',
				errorCode: 'INVALID_SESSION_ID',
			},
		]);
		expect((await get(standin, '/services/oauth2/userinfo', token.access_token)).status).toBe(200);
	});

	it('revokes through the endpoint (200, then 400 invalid_token) and through revoke()', async () => {
		const standin = await start();
		const first = await login(standin);
		const revoke = () =>
			fetch(`${standin.url}/services/oauth2/revoke`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ token: first.access_token }).toString(),
			});
		expect((await revoke()).status).toBe(200);
		const again = await revoke();
		expect(again.status).toBe(400);
		expect(await again.json()).toEqual({
			error: 'invalid_token',
			error_description: 'invalid token',
		});
		expect((await get(standin, '/services/data/v62.0/limits', first.access_token)).status).toBe(
			401,
		);

		const second = await login(standin);
		standin.revoke(second.access_token);
		expect(standin.activeSessions()).toEqual([]);
	});
});

describe('REST API', () => {
	it('lists versions without authentication', async () => {
		const standin = await start();
		const response = await get(standin, '/services/data/');
		expect(response.status).toBe(200);
		const versions = (await response.json()) as Array<{
			label: string;
			url: string;
			version: string;
		}>;
		expect(versions).toContainEqual({
			label: "Winter '25",
			url: '/services/data/v62.0',
			version: '62.0',
		});
		expect(standin.requests.some((request) => request.headers.authorization)).toBe(false);
	});

	it('answers limits and an Account query for a live session', async () => {
		const standin = await start({ label: 'uat' });
		const token = await login(standin);
		const limits = (await (
			await get(standin, '/services/data/v62.0/limits', token.access_token)
		).json()) as Record<string, { Max: number; Remaining: number }>;
		expect(limits.DailyApiRequests.Max).toBeGreaterThan(0);

		const soql = encodeURIComponent('SELECT Id, Name FROM Account LIMIT 2');
		const query = await get(standin, `/services/data/v62.0/query?q=${soql}`, token.access_token);
		expect(query.status).toBe(200);
		const result = (await query.json()) as {
			totalSize: number;
			done: boolean;
			records: Array<{ attributes: { type: string; url: string }; Id: string; Name: string }>;
		};
		expect(result.totalSize).toBe(2);
		expect(result.done).toBe(true);
		expect(result.records[0].attributes).toEqual({
			type: 'Account',
			url: `/services/data/v62.0/sobjects/Account/${result.records[0].Id}`,
		});
		expect(result.records[0].Id).toMatch(/^001[A-Za-z0-9]{15}$/);
		expect(result.records[0].Name).toContain('(uat)');

		// Objects the org does not have answer INVALID_TYPE (Account, Contact, Lead, Invoice__c and User exist).
		const unknown = await get(
			standin,
			'/services/data/v62.0/query?q=SELECT+Id+FROM+Opportunity',
			token.access_token,
		);
		expect(unknown.status).toBe(400);
		expect(((await unknown.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe(
			'INVALID_TYPE',
		);
	});

	it('answers unknown paths with Salesforce NOT_FOUND', async () => {
		const standin = await start();
		const response = await get(standin, '/services/nothing-here');
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual([
			{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
		]);
	});
});

describe('faults', () => {
	it('hang: the request stays pending until the client gives up, and close() still ends cleanly', async () => {
		const standin = await start();
		standin.setFault({ kind: 'hang' });
		const controller = new AbortController();
		let settled = false;
		const pending = postForm(standin, passwordFields(standin), {
			signal: controller.signal,
		}).finally(() => {
			settled = true;
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(settled).toBe(false);
		controller.abort();
		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
		expect(standin.tokenRequests()).toHaveLength(1);
	});

	it('hang: close() destroys a connection that is still waiting', async () => {
		const standin = await start();
		standin.setFault({ kind: 'hang' });
		const pending = postForm(standin, passwordFields(standin));
		await new Promise((resolve) => setTimeout(resolve, 100));
		await standin.close();
		await expect(pending).rejects.toThrow();
	});

	it('delay: answers normally afterwards', async () => {
		const standin = await start();
		standin.setFault({ kind: 'delay', ms: 50 });
		const response = await postForm(standin, passwordFields(standin));
		expect(response.status).toBe(200);
		expect(standin.loginCount).toBe(1);
	});

	it('reset: the connection is torn down', async () => {
		const standin = await start();
		standin.setFault({ kind: 'reset' });
		await expect(postForm(standin, passwordFields(standin))).rejects.toThrow();
		expect(standin.tokenRequests()).toHaveLength(1);
	});

	it('html: a maintenance page with the given status', async () => {
		const standin = await start();
		standin.setFault({ kind: 'html', status: 503 });
		const response = await postForm(standin, passwordFields(standin));
		expect(response.status).toBe(503);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		expect(await response.text()).toContain('<html>');
	});

	it.each(['truncated-json', 'invalid-json'] as const)(
		'%s: a 200 JSON response that does not parse',
		async (kind) => {
			const standin = await start();
			standin.setFault({ kind });
			const response = await postForm(standin, passwordFields(standin));
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe(JSON_TYPE);
			const text = await response.text();
			expect(() => JSON.parse(text)).toThrow();
			expect(standin.loginCount).toBe(0);
			expect(standin.activeSessions()).toEqual([]);
		},
	);

	it('no-access-token: a 200 JSON body without access_token', async () => {
		const standin = await start();
		standin.setFault({ kind: 'no-access-token' });
		const body = (await (await postForm(standin, passwordFields(standin))).json()) as Record<
			string,
			string
		>;
		expect(body).not.toHaveProperty('access_token');
		expect(body.instance_url).toBe(standin.url);
		expect(body.signature).toBe(signatureOf(standin.demo.consumerSecret, body.id, body.issued_at));
	});

	it('bad-signature: a success body whose signature does not verify and whose token is not live', async () => {
		const standin = await start();
		standin.setFault({ kind: 'bad-signature' });
		const body = (await (await postForm(standin, passwordFields(standin))).json()) as Record<
			string,
			string
		>;
		expect(body.access_token.startsWith(`${standin.orgId}!`)).toBe(true);
		expect(body.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
		expect(body.signature).not.toBe(
			signatureOf(standin.demo.consumerSecret, body.id, body.issued_at),
		);
		expect((await get(standin, '/services/data/v62.0/limits', body.access_token)).status).toBe(401);
		expect(standin.loginCount).toBe(0);
	});

	it.each([301, 302, 307, 308] as const)(
		'redirect %i: Location header, nothing issued',
		async (status) => {
			const standin = await start();
			standin.setFault({
				kind: 'redirect',
				status,
				location: 'https://acme.my.salesforce.com/services/oauth2/token',
			});
			const response = await postForm(standin, passwordFields(standin), { redirect: 'manual' });
			expect(response.status).toBe(status);
			expect(response.headers.get('location')).toBe(
				'https://acme.my.salesforce.com/services/oauth2/token',
			);
			expect(standin.loginCount).toBe(0);
		},
	);

	it('error: any OAuth error body and status', async () => {
		const standin = await start();
		standin.setFault({
			kind: 'error',
			status: 400,
			error: 'invalid_grant',
			error_description: 'login rate exceeded',
		});
		const response = await postForm(standin, passwordFields(standin));
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe(JSON_TYPE);
		expect(await response.json()).toEqual({
			error: 'invalid_grant',
			error_description: 'login rate exceeded',
		});

		standin.setFault({ kind: 'error', status: 500, error: 'server_error' });
		expect(await (await postForm(standin, passwordFields(standin))).json()).toEqual({
			error: 'server_error',
		});
	});

	it('applies to the token endpoint only', async () => {
		const standin = await start();
		const token = await login(standin);
		standin.setFault({ kind: 'html', status: 503 });
		expect((await get(standin, '/services/data/v62.0/limits', token.access_token)).status).toBe(
			200,
		);
		expect((await get(standin, '/services/oauth2/userinfo', token.access_token)).status).toBe(200);
	});

	it('times: only the next N token requests fail, then normal again; undefined clears', async () => {
		const standin = await start();
		standin.setFault({ kind: 'html', status: 503 }, { times: 2 });
		const statuses = [];
		for (let i = 0; i < 3; i++)
			statuses.push((await postForm(standin, passwordFields(standin))).status);
		expect(statuses).toEqual([503, 503, 200]);

		standin.setFault({ kind: 'html', status: 502 });
		expect((await postForm(standin, passwordFields(standin))).status).toBe(502);
		expect((await postForm(standin, passwordFields(standin))).status).toBe(502);
		standin.setFault(undefined);
		expect((await postForm(standin, passwordFields(standin))).status).toBe(200);
		expect(standin.tokenRequests()).toHaveLength(6);
	});
});

describe('records and counters', () => {
	it('counts logins and failures, records every request, and resets', async () => {
		const standin = await start();
		await login(standin);
		await login(standin);
		await postForm(standin, passwordFields(standin, { password: 'wrong' }));
		await get(standin, '/services/data/');
		expect(standin.loginCount).toBe(2);
		expect(standin.failedLoginCount).toBe(1);
		expect(standin.tokenRequests()).toHaveLength(3);
		expect(standin.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`POST ${TOKEN}`,
			`POST ${TOKEN}`,
			`POST ${TOKEN}`,
			'GET /services/data/',
		]);
		expect(standin.tokenRequests()[0].form?.username).toBe(standin.demo.username);
		expect(standin.activeSessions()).toHaveLength(2);

		standin.resetRecords();
		expect(standin.requests).toHaveLength(0);
		expect(standin.loginCount).toBe(0);
		expect(standin.failedLoginCount).toBe(0);
		expect(standin.activeSessions()).toHaveLength(2);
	});

	it('lets tests add users and apps at run time', async () => {
		const standin = await start();
		standin.users.push({ username: 'second@standin.example', password: 'p w' });
		standin.apps.push({
			consumerKey: 'KEY2',
			consumerSecret: 'SECRET2',
			clientCredentialsRunAs: 'second@standin.example',
		});
		const response = await postForm(standin, {
			grant_type: 'password',
			client_id: 'KEY2',
			client_secret: 'SECRET2',
			username: 'second@standin.example',
			password: 'p w',
		});
		const body = (await response.json()) as Record<string, string>;
		expect(body.id).toBe(`${standin.url}/id/${standin.orgId}/${standin.users[1].userId}`);
		expect(body.signature).toBe(signatureOf('SECRET2', body.id, body.issued_at));
	});
});

describe('https', () => {
	let dir: string | undefined;
	let tls: { key: Buffer; cert: Buffer } | undefined;
	let skipReason: string | undefined;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'standin-tls-'));
		try {
			execFileSync(
				'openssl',
				[
					'req',
					'-x509',
					'-newkey',
					'rsa:2048',
					'-nodes',
					'-days',
					'1',
					'-subj',
					'/CN=127.0.0.1',
					'-addext',
					'subjectAltName=IP:127.0.0.1',
					'-keyout',
					join(dir, 'key.pem'),
					'-out',
					join(dir, 'cert.pem'),
				],
				{ stdio: 'ignore' },
			);
			tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
		} catch (error) {
			skipReason = `openssl could not create a self-signed certificate: ${String(error)}`;
		}
	});

	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('serves https with a self-signed certificate that default clients refuse', async () => {
		if (!tls) {
			console.warn(`skipped: ${skipReason}`);
			return;
		}
		const standin = await start({ tls });
		expect(standin.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

		const refused = await postForm(standin, passwordFields(standin)).then(
			() => undefined,
			(error: unknown) => error as Error & { cause?: { code?: string } },
		);
		expect(refused?.cause?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
		expect(standin.tokenRequests()).toHaveLength(0);

		// Trusting the certificate explicitly works.
		const body = new URLSearchParams(passwordFields(standin)).toString();
		const status = await new Promise<number>((resolve, reject) => {
			const request = httpsRequest(
				`${standin.url}${TOKEN}`,
				{
					method: 'POST',
					ca: tls?.cert,
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve(response.statusCode ?? 0));
				},
			);
			request.on('error', reject);
			request.end(body);
		});
		expect(status).toBe(200);
		expect(standin.loginCount).toBe(1);
	});
});

describe('cli', () => {
	it('prints its URL and demo credentials as one JSON line and stops on SIGTERM', async () => {
		const tsx = join(__dirname, '../../node_modules/.bin/tsx');
		const child = spawn(
			tsx,
			[join(__dirname, '../../dev/salesforce-standin/cli.ts'), '--port', '0', '--label', 'cli'],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		try {
			const line = await new Promise<string>((resolve, reject) => {
				createInterface({ input: child.stdout }).once('line', resolve);
				child.once('exit', () => reject(new Error('cli exited before printing')));
			});
			const printed = JSON.parse(line) as Record<string, string>;
			expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(printed.password).toBe(DEMO_PASSWORD);
			const response = await fetch(printed.url + TOKEN, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					grant_type: 'password',
					client_id: printed.consumerKey,
					client_secret: printed.consumerSecret,
					username: printed.username,
					password: printed.password + printed.securityToken,
				}).toString(),
			});
			expect(response.status).toBe(200);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
	});
});
