import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Org } from './org';
import { liveSessionUser } from './org';
import { bearerToken, sendJson } from './http';

/**
 * The slice of the REST API the project touches: the version list, limits and an Account query.
 * A dead session answers 401 INVALID_SESSION_ID (what triggers re-authentication), and a
 * High Assurance session answers 401 with a message that re-authentication never fixes.
 */

const OLDEST_VERSION = 20;
const LATEST_VERSION = 68;
const SEASONS = ['Winter', 'Spring', 'Summer'];
const DAILY_API_REQUESTS = 15000;

export const NOT_FOUND = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];
const SESSION_INVALID = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
const HIGH_ASSURANCE = [
	{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' },
];

/** v62.0 is Winter '25; three releases a year. */
function releaseLabel(major: number): string {
	const offset = major - 62;
	const year = 25 + Math.floor(offset / 3);
	return `${SEASONS[((offset % 3) + 3) % 3]} '${String(year).padStart(2, '0')}`;
}

export function handleVersions(res: ServerResponse): void {
	const versions = [];
	for (let major = OLDEST_VERSION; major <= LATEST_VERSION; major++) {
		versions.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
	}
	sendJson(res, 200, versions);
}

function knownVersion(version: string): boolean {
	const match = /^v(\d+)\.0$/.exec(version);
	if (!match) return false;
	const major = Number(match[1]);
	return major >= OLDEST_VERSION && major <= LATEST_VERSION;
}

/** /services/data/<version>/<resource>: authentication first, as Salesforce does, then routing. */
export function handleVersioned(
	org: Org,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	version: string,
	resource: string,
): void {
	if (!knownVersion(version)) {
		sendJson(res, 404, NOT_FOUND);
		return;
	}
	const token = bearerToken(req);
	const user = token ? liveSessionUser(org, token) : undefined;
	if (!user) {
		sendJson(res, 401, SESSION_INVALID, { 'WWW-Authenticate': 'Token' });
		return;
	}
	if (user.highAssurance) {
		sendJson(res, 401, HIGH_ASSURANCE, { 'WWW-Authenticate': 'Token' });
		return;
	}
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		sendJson(res, 405, [
			{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD` },
		]);
		return;
	}
	org.apiCalls++;
	switch (resource) {
		case '':
			sendJson(res, 200, {
				limits: `/services/data/${version}/limits`,
				query: `/services/data/${version}/query`,
			});
			return;
		case 'limits':
			sendLimits(org, res);
			return;
		case 'query':
			sendQuery(org, res, url, version);
			return;
		default:
			sendJson(res, 404, NOT_FOUND);
	}
}

function sendLimits(org: Org, res: ServerResponse): void {
	sendJson(res, 200, {
		ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
		DailyApiRequests: { Max: DAILY_API_REQUESTS, Remaining: Math.max(0, DAILY_API_REQUESTS - org.apiCalls) },
		DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
		DataStorageMB: { Max: 5, Remaining: 5 },
		FileStorageMB: { Max: 20, Remaining: 20 },
		HourlyPublishedPlatformEvents: { Max: 50000, Remaining: 50000 },
	});
}

/** Any SELECT ... FROM Account answers the org's sample accounts; other objects are not modelled. */
function sendQuery(org: Org, res: ServerResponse, url: URL, version: string): void {
	const soql = url.searchParams.get('q');
	if (!soql || !/^\s*select\s[\s\S]*?\sfrom\s/i.test(soql)) {
		sendJson(res, 400, [{ message: `unexpected token: '${soql ?? ''}'`, errorCode: 'MALFORMED_QUERY' }]);
		return;
	}
	const from = /\sfrom\s+([A-Za-z0-9_]+)/i.exec(soql)?.[1] ?? '';
	if (from.toLowerCase() !== 'account') {
		sendJson(res, 400, [
			{
				message: `sObject type '${from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
				errorCode: 'INVALID_TYPE',
			},
		]);
		return;
	}
	const limit = /\slimit\s+(\d+)/i.exec(soql);
	const accounts = limit ? org.accounts.slice(0, Number(limit[1])) : org.accounts;
	sendJson(res, 200, {
		totalSize: accounts.length,
		done: true,
		records: accounts.map((account) => ({
			attributes: { type: 'Account', url: `/services/data/${version}/sobjects/Account/${account.Id}` },
			Id: account.Id,
			Name: account.Name,
		})),
	});
}
