import type { StandinApp, StandinUser } from './types';
import type { Org } from './org';
import { findUser, identityUrl, tokenSignature, userIdOf } from './org';
import { newSessionId } from './ids';
import { checkAssertion, JWT_BEARER_GRANT } from './jwt';

/**
 * POST /services/oauth2/token with Salesforce's errors and bodies. Salesforce does not document
 * the order of its checks; this one means a caller learns nothing about a user (status, IP rules,
 * login budget) before proving both the client and the user's password:
 *   1. grant_type missing or unknown (also every JSON body)  -> unsupported_grant_type
 *   2. client credentials on a non-My-Domain host             -> invalid_grant 'request not supported on this domain'
 *   3. unknown client_id                                      -> invalid_client_id
 *   4. password flow disabled for the app                     -> unsupported_grant_type
 *   5. wrong client_secret                                    -> invalid_client
 *   6. org inactive                                           -> inactive_org
 *   7. password: unknown user, locked user, wrong password or security token -> invalid_grant 'authentication failure'
 *      client credentials: no (existing) Run-As user          -> invalid_grant 'no client credentials user enabled'
 *   8. user inactive                                          -> inactive_user
 *   9. IP ranges or login hours                               -> invalid_grant 'IP restricted or invalid login hours'
 *  10. over the hourly login budget                           -> invalid_grant 'login rate exceeded'
 *  11. user not assigned to the app                           -> invalid_app_access
 * The JWT Bearer grant checks its assertion first (see jwt.ts), then steps 6 and 8–11, where a user
 * not pre-authorized for the app gets invalid_grant 'user hasn't approved this consumer'.
 */

export interface TokenAnswer {
	status: number;
	body: Record<string, string>;
	issued: boolean;
}

export type TokenResponseBody = Record<string, string>;

const SUPPORTED_GRANTS = new Set(['password', 'client_credentials', JWT_BEARER_GRANT]);

export function refuse(error: string, error_description: string): TokenAnswer {
	return { status: 400, body: { error, error_description }, issued: false };
}

interface Client {
	id?: string;
	secret?: string;
	viaBasic: boolean;
}

/** client_id/client_secret from the parameters, else from HTTP Basic (allowed for client credentials). */
function clientOf(fields: Record<string, string>, authorization: string | undefined): Client {
	if (fields.client_id !== undefined)
		return { id: fields.client_id, secret: fields.client_secret, viaBasic: false };
	const match = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
	if (!match) return { viaBasic: false };
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return { id: decoded, viaBasic: true };
	return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1), viaBasic: true };
}

/**
 * Parameters are compared exactly as decoded, so a double-encoded value fails as it would in
 * Salesforce. Only HTTP Basic values may also arrive form-encoded (RFC 6749 §2.3.1).
 */
function matches(sent: string | undefined, expected: string, viaBasic: boolean): boolean {
	if (sent === undefined) return false;
	if (sent === expected) return true;
	if (!viaBasic) return false;
	try {
		return decodeURIComponent(sent.replace(/\+/g, ' ')) === expected;
	} catch {
		return false;
	}
}

export function tokenResponseBody(
	org: Org,
	app: StandinApp,
	user: StandinUser,
	accessToken: string,
	scope?: string,
	grant?: string,
): TokenResponseBody {
	const id = identityUrl(org, user);
	const issuedAt = String(org.clock.now());
	// Salesforce's JWT Bearer answer: no issued_at, no signature (there is no consumer secret to sign with).
	if (grant === JWT_BEARER_GRANT) {
		return {
			access_token: accessToken,
			scope: scope ?? 'api',
			instance_url: org.instanceUrl,
			id,
			token_type: 'Bearer',
		};
	}
	return {
		access_token: accessToken,
		...(scope ? { scope } : {}),
		instance_url: org.instanceUrl,
		id,
		token_type: 'Bearer',
		issued_at: issuedAt,
		signature: tokenSignature(app.consumerSecret, id, issuedAt),
	};
}

export function answerTokenRequest(
	org: Org,
	fields: Record<string, string>,
	authorization: string | undefined,
): TokenAnswer {
	const grant = fields.grant_type;
	if (!grant || !SUPPORTED_GRANTS.has(grant))
		return refuse('unsupported_grant_type', 'grant type not supported');
	if (grant === JWT_BEARER_GRANT) {
		const checked = checkAssertion(org, fields.assertion);
		if ('refusal' in checked) return checked.refusal;
		if (org.orgStatus === 'inactive')
			return refuse('inactive_org', 'organization is locked, closed, or suspended');
		const user = findUser(org.users, checked.subject);
		if (!user || user.status === 'locked')
			return refuse('invalid_grant', "user hasn't approved this consumer");
		return issueSession(org, checked.app, user, grant);
	}
	if (grant === 'client_credentials' && !org.myDomain) {
		return refuse('invalid_grant', 'request not supported on this domain');
	}

	const client = clientOf(fields, authorization);
	const app = org.apps.find((candidate) =>
		matches(client.id, candidate.consumerKey, client.viaBasic),
	);
	if (!app) return refuse('invalid_client_id', 'client identifier invalid');
	if (grant === 'password' && app.passwordFlow === false) {
		return refuse('unsupported_grant_type', 'grant type not supported');
	}
	if (!matches(client.secret, app.consumerSecret, client.viaBasic))
		return refuse('invalid_client', 'invalid client credentials');
	if (org.orgStatus === 'inactive')
		return refuse('inactive_org', 'organization is locked, closed, or suspended');

	let user: StandinUser | undefined;
	if (grant === 'password') {
		user = findUser(org.users, fields.username);
		const expected = user ? user.password + (user.securityToken ?? '') : undefined;
		if (!user || user.status === 'locked' || fields.password !== expected) {
			return refuse('invalid_grant', 'authentication failure');
		}
	} else {
		user = findUser(org.users, app.clientCredentialsRunAs);
		if (!user) return refuse('invalid_grant', 'no client credentials user enabled');
		if (user.status === 'locked') return refuse('invalid_grant', 'authentication failure');
	}

	return issueSession(org, app, user, grant);
}

/** Steps 8–11 and the session itself, shared by every grant. */
function issueSession(org: Org, app: StandinApp, user: StandinUser, grant: string): TokenAnswer {
	if (user.status === 'inactive') return refuse('inactive_user', 'user is inactive');
	if (user.ipRestricted) return refuse('invalid_grant', 'IP restricted or invalid login hours');
	const userKey = userIdOf(user);
	if (org.loginLimiter.exceeded(userKey)) return refuse('invalid_grant', 'login rate exceeded');
	if (user.appAccess === false) {
		// A JWT Bearer login needs the user pre-authorized ("Admin approved users are pre-authorized").
		return grant === JWT_BEARER_GRANT
			? refuse('invalid_grant', "user hasn't approved this consumer")
			: refuse('invalid_app_access', 'user is not admin approved to access this app');
	}

	org.loginLimiter.record(userKey);
	const token = newSessionId(org.orgId, org.label);
	const scope = grant === 'password' ? undefined : 'api';
	const body = tokenResponseBody(org, app, user, token, scope, grant);
	const now = Date.now();
	org.sessions.add({
		token,
		userId: userKey,
		username: user.username,
		consumerKey: app.consumerKey,
		issuedAt: now,
		lastUsedAt: now,
	});
	return { status: 200, body, issued: true };
}
