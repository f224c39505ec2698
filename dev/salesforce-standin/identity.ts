import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StandinUser } from './types';
import type { Org } from './org';
import { displayName, identityUrl, liveSessionUser } from './org';
import { bearerToken, sendJson, sendText } from './http';

/**
 * /services/oauth2/userinfo and the identity URL. Both answer a dead or unknown session with
 * 403 `Bad_OAuth_Token` as plain text, not 401: clients that only re-authenticate on 401 never
 * notice, which is exactly the trap the consumers of this stand-in must handle.
 */

function urlsFor(org: Org, user: StandinUser): Record<string, string> {
	const base = org.instanceUrl;
	return {
		enterprise: `${base}/services/Soap/c/{version}/${org.orgId}`,
		partner: `${base}/services/Soap/u/{version}/${org.orgId}`,
		rest: `${base}/services/data/v{version}/`,
		sobjects: `${base}/services/data/v{version}/sobjects/`,
		query: `${base}/services/data/v{version}/query/`,
		limits: `${base}/services/data/v{version}/limits/`,
		profile: `${base}/${user.userId}`,
		userinfo: `${org.url}/services/oauth2/userinfo`,
		custom_domain: org.instanceUrl,
	};
}

function authorisedUser(
	org: Org,
	req: IncomingMessage,
	res: ServerResponse,
): StandinUser | undefined {
	const token = bearerToken(req);
	if (!token) {
		sendText(res, 403, 'Missing_OAuth_Token');
		return undefined;
	}
	const user = liveSessionUser(org, token);
	if (!user) sendText(res, 403, 'Bad_OAuth_Token');
	return user;
}

export function handleUserinfo(org: Org, req: IncomingMessage, res: ServerResponse): void {
	const user = authorisedUser(org, req, res);
	if (!user) return;
	const name = displayName(org, user);
	sendJson(res, 200, {
		sub: identityUrl(org, user),
		user_id: user.userId,
		organization_id: org.orgId,
		preferred_username: user.username,
		nickname: user.username.split('@')[0],
		name: name.full,
		email: user.username,
		email_verified: true,
		given_name: name.first,
		family_name: name.last,
		zoneinfo: 'Europe/London',
		active: true,
		user_type: 'STANDARD',
		language: 'en_US',
		locale: 'en_GB',
		utcOffset: 0,
		updated_at: '2026-01-01T00:00:00Z',
		is_app_installed: true,
		urls: urlsFor(org, user),
	});
}

/** GET /id/<orgId>/<userId>: the identity service; ids match in their 15- or 18-character form. */
export function handleIdentity(
	org: Org,
	req: IncomingMessage,
	res: ServerResponse,
	orgId: string,
	userId: string,
): void {
	const user = authorisedUser(org, req, res);
	if (!user) return;
	const sameId = (a: string, b: string) => a === b || a.slice(0, 15) === b.slice(0, 15);
	const target = org.users.find(
		(candidate) => candidate.userId && sameId(candidate.userId, userId),
	);
	if (!sameId(orgId, org.orgId) || !target) {
		sendText(res, 404, 'Bad_Id');
		return;
	}
	const name = displayName(org, target);
	sendJson(res, 200, {
		id: identityUrl(org, target),
		asserted_user: target === user,
		user_id: target.userId,
		organization_id: org.orgId,
		username: target.username,
		nick_name: target.username.split('@')[0],
		display_name: name.full,
		email: target.username,
		email_verified: true,
		first_name: name.first,
		last_name: name.last,
		timezone: 'Europe/London',
		active: target.status !== 'inactive',
		user_type: 'STANDARD',
		language: 'en_US',
		locale: 'en_GB',
		utcOffset: 0,
		last_modified_date: '2026-01-01T00:00:00.000+0000',
		is_app_installed: true,
		urls: urlsFor(org, target),
	});
}
