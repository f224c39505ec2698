/**
 * Sessions this process saw Salesforce accept in the last minute. Get Access Token proves the
 * stored session alive before handing it out; a session any request of this process just used
 * successfully needs no second proof, so a busy schedule costs one check a minute, not one per run.
 *
 * Kept by a SHA-256 of the access token, never the token; bounded, and forgotten after a minute.
 */
import { createHash } from 'crypto';

/** How long an accepted session counts as proven alive. */
export const PROVEN_ALIVE_MS = 60_000;
const MAX_REMEMBERED = 256;

/** Token hash → when Salesforce last accepted the session. Insertion order = age, for trimming. */
const acceptedAt = new Map<string, number>();

function keyOf(accessToken: string): string {
	return createHash('sha256').update(accessToken).digest('hex');
}

/** Salesforce just answered a request made with this session (with anything but 401). */
export function markSessionAlive(accessToken: string, now = Date.now()): void {
	if (!accessToken) return;
	const key = keyOf(accessToken);
	acceptedAt.delete(key);
	acceptedAt.set(key, now);
	while (acceptedAt.size > MAX_REMEMBERED)
		acceptedAt.delete(acceptedAt.keys().next().value as string);
}

/** True when Salesforce accepted this session less than a minute ago. */
export function provenAliveRecently(accessToken: string, now = Date.now()): boolean {
	if (!accessToken) return false;
	const at = acceptedAt.get(keyOf(accessToken));
	return at !== undefined && now - at >= 0 && now - at < PROVEN_ALIVE_MS;
}

/** The session ended (a 401): never count it as alive again. */
export function forgetSession(accessToken: string): void {
	if (accessToken) acceptedAt.delete(keyOf(accessToken));
}

/** Forget every session (tests, or a process that wants every check made afresh). */
export function forgetAllSessions(): void {
	acceptedAt.clear();
}
