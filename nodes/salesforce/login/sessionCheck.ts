/**
 * Whether a stored session is still good, asked before logging in again.
 *
 * n8n asks the credential for a new session whenever a request made with it failed — for the HTTP
 * Request node after ANY error answer (a 400 for a bad query), not only after a 401. Logging in each
 * time would spend the user's 3,600-logins-per-hour on bad queries and re-send failed requests, so
 * the stored session is kept when it was issued for exactly these login details and Salesforce
 * still accepts it.
 */
import { LoginFields, readLoginDetails } from './loginDetails';
import { loginGuard, loginKey, LoginGuard } from './loginGuard';
import { CredentialFields, fromStoredFields } from './storedSession';
import type { SendHttpRequest } from './tokenRequest';

export const REST_API_VERSION = '62.0';
/** Small, read-only, and answers 401 INVALID_SESSION_ID for a dead session (userinfo answers 403). */
export const SESSION_CHECK_PATH = `/services/data/v${REST_API_VERSION}/limits`;

/** The stored field that says which login details issued the stored session (a one-way hash). */
export const SESSION_KEY_FIELD = 'sessionKey';

/** What to store beside a session so a later check knows it belongs to the same details. */
export function sessionKeyFor(fields: LoginFields): string {
	return loginKey(readLoginDetails(fields));
}

/**
 * True when the credential holds a session and it was issued for exactly these login details. False
 * when it holds none, when the details changed since (the credential was edited: its stored session
 * belongs to the old org or user and must never be sent again), or when they are not valid — then a
 * login, which says what is wrong, has to come first. Runs before every request: it validates the
 * details and hashes them (for JWT Bearer that includes reading the private key, which jwtAssertion
 * caches once parsed, so it stays well under a millisecond).
 */
export function storedSessionIssuedFor(
	fields: LoginFields & { [SESSION_KEY_FIELD]?: unknown },
): boolean {
	if (!fromStoredFields(fields as CredentialFields)) return false;
	try {
		return fields[SESSION_KEY_FIELD] === sessionKeyFor(fields);
	} catch {
		return false;
	}
}

/**
 * True when the stored session was issued for these details and Salesforce still accepts it (any
 * answer but 401: a 403 means a missing permission, not a dead session). False when there is none,
 * the details changed, the session has ended, or Salesforce could not be asked — then log in.
 */
export async function storedSessionAccepted(
	fields: LoginFields & { [SESSION_KEY_FIELD]?: unknown },
	send: SendHttpRequest,
	guard: LoginGuard = loginGuard,
): Promise<boolean> {
	const stored = fromStoredFields(fields as CredentialFields);
	if (!stored) return false;
	const details = readLoginDetails(fields);
	const key = loginKey(details);
	if (fields[SESSION_KEY_FIELD] !== key) return false;
	try {
		const response = await send({
			method: 'GET',
			url: `${stored.instanceUrl}${SESSION_CHECK_PATH}`,
			headers: { Authorization: `Bearer ${stored.accessToken}`, Accept: 'application/json' },
			timeoutMs: details.timeoutSeconds * 1000,
		});
		const status = response.statusCode;
		// Dead: whatever this process remembers of it must never be handed out again.
		if (status === 401) guard.forgetSession(key, stored.accessToken);
		const alive =
			(status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 401);
		if (!alive) return false;
	} catch {
		return false;
	}
	// Salesforce accepts these details' session: nothing to cool down from.
	guard.lift(key);
	return true;
}
