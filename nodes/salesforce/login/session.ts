/**
 * The one entry point the n8n adapters use to get a Salesforce session: validate the fields, respect
 * the login guard, log in. Shared by the credential, the Salesforce Action node and the legacy node.
 */
import type { SalesforceAuthError } from '../errors';
import { LoginFields, readLoginDetails } from './loginDetails';
import {
	GuardedLogin,
	LOGIN_REFUSAL_FIELD,
	loginGuard,
	loginKey,
	LoginGuard,
	StaleSession,
} from './loginGuard';
import { storedSessionIssuedFor } from './sessionCheck';
import { NO_RETRY, type RetryPolicy } from '../retries';
import { requestToken, SendHttpRequest } from './tokenRequest';

export interface ObtainSessionOptions {
	/**
	 * The session the caller already has and found dead (its token, and its stored `issuedAt`):
	 * never hand it back, nor a remembered one that is no newer than it.
	 */
	staleAccessToken?: string;
	staleIssuedAt?: string;
	retry?: RetryPolicy;
	guard?: LoginGuard;
	/** Send a login even if one for the same details just finished (the Test button proves the details now). */
	fresh?: boolean;
}

/**
 * Logs in (or joins a login already under way for the same details, or takes the session one of
 * them got moments ago: then `fromMemory`). Throws SalesforceAuthError.
 */
export async function obtainSession(
	fields: LoginFields,
	send: SendHttpRequest,
	options: ObtainSessionOptions = {},
): Promise<GuardedLogin> {
	const details = readLoginDetails(fields);
	const guard = options.guard ?? loginGuard;
	const stale: StaleSession = {
		accessToken: options.staleAccessToken ?? '',
		issuedAt: options.staleIssuedAt,
	};
	return await guard.login(
		loginKey(details),
		stale,
		() => requestToken(details, send, options.retry ?? NO_RETRY),
		{ reuseRecent: !options.fresh },
	);
}

/**
 * The refusal still in force for these details, if Salesforce refused them recently — in this
 * process (the guard's memory) or in any other: a credential's fields carry the refusal its login
 * stored (`loginRefusal`), which every worker reads from the database. Nodes and the credential
 * check it before asking for a session, so scheduled runs stop hitting Salesforce with details it
 * refused; the credential's Test button does not, so the user can always try again by hand.
 *
 * A session stored for these very details ends any refusal: some process logged in with them since
 * (a refusal always clears the stored session), e.g. the Test button on the main instance.
 */
export function refusalInForce(
	fields: LoginFields & { [LOGIN_REFUSAL_FIELD]?: unknown },
	guard: LoginGuard = loginGuard,
): SalesforceAuthError | undefined {
	const key = loginKey(readLoginDetails(fields));
	if (storedSessionIssuedFor(fields)) {
		guard.lift(key);
		return undefined;
	}
	return guard.coolingDown(key) ?? guard.storedRefusalInForce(fields[LOGIN_REFUSAL_FIELD], key);
}
