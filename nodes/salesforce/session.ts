/**
 * The one entry point the n8n adapters use to get a Salesforce session: validate the fields, respect
 * the login guard, log in. Shared by the credential, the Salesforce Action node and the legacy node.
 */
import type { SalesforceAuthError } from './errors';
import { LoginFields, readLoginDetails } from './loginDetails';
import { GuardedLogin, loginGuard, loginKey, LoginGuard } from './loginGuard';
import { NO_RETRY, requestToken, RetryPolicy, SendHttpRequest } from './tokenRequest';

export interface ObtainSessionOptions {
	/** The token the caller already has and found dead: never hand it back. */
	staleAccessToken?: string;
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
	return await guard.login(
		loginKey(details),
		options.staleAccessToken,
		() => requestToken(details, send, options.retry ?? NO_RETRY),
		{ reuseRecent: !options.fresh },
	);
}

/**
 * The refusal still in force for these details, if Salesforce refused them recently. Nodes check it
 * before asking for a session, so scheduled runs stop hitting Salesforce with details it refused;
 * the credential's Test button does not, so the user can always try again by hand.
 */
export function refusalInForce(fields: LoginFields, guard: LoginGuard = loginGuard): SalesforceAuthError | undefined {
	return guard.coolingDown(loginKey(readLoginDetails(fields)));
}
