import { createHmac } from 'node:crypto';
import type { StandinApp, StandinUser } from './types';
import type { LoginRateLimiter, SessionStore } from './sessions';
import type { RestState } from './rest';
import type { OrgClock } from './clock';
import { salesforceId } from './ids';

/** What the endpoints need to know about the org the stand-in plays. */
export interface Org {
	readonly url: string;
	readonly orgId: string;
	readonly label: string;
	readonly orgStatus: 'active' | 'inactive';
	readonly myDomain: boolean;
	readonly sandbox: boolean;
	/** The org's clock (this machine's plus a skew): audit fields, Date headers, JWT expiry. */
	readonly clock: OrgClock;
	readonly instanceUrl: string;
	readonly users: StandinUser[];
	readonly apps: StandinApp[];
	readonly sessions: SessionStore;
	readonly loginLimiter: LoginRateLimiter;
	/** The REST API's data, API usage, query cursors and injected faults. */
	readonly rest: RestState;
}

/** Usernames are case-insensitive in Salesforce. */
export function findUser(
	users: StandinUser[],
	username: string | undefined,
): StandinUser | undefined {
	if (!username) return undefined;
	const wanted = username.toLowerCase();
	return users.find((user) => user.username.toLowerCase() === wanted);
}

/** Users added by tests without an id get one on first use, written back so it stays stable. */
export function userIdOf(user: StandinUser): string {
	user.userId ??= salesforceId('005');
	return user.userId;
}

export function identityUrl(org: Org, user: StandinUser): string {
	return `${org.url}/id/${org.orgId}/${userIdOf(user)}`;
}

/** The token response's `signature`: base64(HMAC-SHA256(consumer secret, id + issued_at)). */
export function tokenSignature(consumerSecret: string, id: string, issuedAt: string): string {
	return createHmac('sha256', consumerSecret)
		.update(id + issuedAt)
		.digest('base64');
}

/** A display name for the user: the label shows which org's data a test is looking at. */
export function displayName(
	org: Org,
	user: StandinUser,
): { first: string; last: string; full: string } {
	const local = user.username.split('@')[0] ?? user.username;
	const words = local
		.split(/[._-]+/)
		.filter(Boolean)
		.map((w) => w[0].toUpperCase() + w.slice(1));
	const first = words[0] ?? 'Integration';
	const last = `${words.slice(1).join(' ') || 'User'} (${org.label})`;
	return { first, last, full: `${first} ${last}` };
}

/**
 * The user behind a live session, refreshing its inactivity clock. Deactivating a user (or removing
 * it from the org) ends its sessions, as in Salesforce; a password change does not.
 */
export function liveSessionUser(org: Org, token: string): StandinUser | undefined {
	const session = org.sessions.use(token);
	if (!session) return undefined;
	const user =
		org.users.find((candidate) => candidate.userId === session.userId) ??
		findUser(org.users, session.username);
	if (!user || user.status === 'inactive') {
		org.sessions.end(token);
		return undefined;
	}
	return user;
}
