import {
	startSalesforceStandin,
	type SalesforceStandin,
	type StandinOptions,
} from '../../dev/salesforce-standin';

/** Real HTTP against a started stand-in: log in with the demo user, then call the REST API. */

export const API = '/services/data/v62.0';
const started: SalesforceStandin[] = [];

export async function start(options: StandinOptions = {}): Promise<SalesforceStandin> {
	const standin = await startSalesforceStandin(options);
	started.push(standin);
	return standin;
}

export async function closeAll(): Promise<void> {
	await Promise.all(started.splice(0).map((standin) => standin.close()));
}

export async function login(
	standin: SalesforceStandin,
	username = standin.demo.username,
	password = standin.demo.password + standin.demo.securityToken,
): Promise<string> {
	const response = await fetch(`${standin.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'password',
			client_id: standin.demo.consumerKey,
			client_secret: standin.demo.consumerSecret,
			username,
			password,
		}).toString(),
	});
	expect(response.status).toBe(200);
	return ((await response.json()) as { access_token: string }).access_token;
}

export interface Answer<T = unknown> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export interface Rest {
	token: string;
	/** The stand-in's base URL. */
	url: string;
	call<T = any>(
		method: string,
		path: string,
		body?: unknown,
		headers?: Record<string, string>,
	): Promise<Answer<T>>;
	get<T = any>(path: string, headers?: Record<string, string>): Promise<Answer<T>>;
	query<T = any>(soql: string, headers?: Record<string, string>): Promise<Answer<T>>;
}

/** `path` is relative to /services/data/v62.0/ unless it starts with '/'. */
export function rest(standin: SalesforceStandin, token: string): Rest {
	const call = async <T>(
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	): Promise<Answer<T>> => {
		const url = standin.url + (path.startsWith('/') ? path : `${API}/${path}`);
		const response = await fetch(url, {
			method,
			headers: {
				Authorization: `Bearer ${token}`,
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
				...headers,
			},
			body:
				body === undefined
					? undefined
					: typeof body === 'string' || Buffer.isBuffer(body)
						? body
						: JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: unknown = undefined;
		try {
			parsed = text === '' ? undefined : JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		return { status: response.status, headers: response.headers, body: parsed as T, text };
	};
	return {
		token,
		url: standin.url,
		call,
		get: (path, headers) => call('GET', path, undefined, headers),
		query: (soql, headers) =>
			call('GET', `query?q=${encodeURIComponent(soql)}`, undefined, headers),
	};
}

export async function connect(
	options: StandinOptions = {},
): Promise<{ standin: SalesforceStandin; api: Rest }> {
	const standin = await start(options);
	return { standin, api: rest(standin, await login(standin)) };
}

/**
 * Sets the org's clock so that it reads `iso` now (the skew is taken from this machine's clock):
 * the stand-in's own hooks called right after stamp exactly that second.
 */
export function setOrgTime(standin: SalesforceStandin, iso: string): void {
	standin.setClockSkew(Date.parse(iso) - Date.now());
}

export interface QueryResult<T = Record<string, any>> {
	totalSize: number;
	done: boolean;
	nextRecordsUrl?: string;
	records: T[];
}
