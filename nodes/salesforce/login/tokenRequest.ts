/**
 * Asks Salesforce's token endpoint for a session, exactly as Salesforce documents it: a POST with a
 * form-encoded body (never credentials in the query string), every value percent-encoded, no
 * redirects followed, a time limit, and a bounded retry only for failures that never reached the
 * login logic. Authentication failures are never retried.
 */
import { findInCauses } from '../causes';
import { SalesforceAuthError } from '../errors';
import { NO_RETRY, type RetryPolicy } from '../retries';
import { explainTransportFailure } from './explainFailure';
import { assertionClaims, JWT_BEARER_GRANT, signAssertion } from './jwtAssertion';
import type { LoginDetails } from './loginDetails';
import { parseTokenResponse, RawHttpResponse, SalesforceSession } from './tokenResponse';

export const LOGIN_ENDPOINT_PATH = '/services/oauth2/token';

/** One request to Salesforce, as the core describes it; the n8n adapters send it. */
export interface SalesforceHttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: string;
	timeoutMs: number;
}

export interface TokenHttpRequest extends SalesforceHttpRequest {
	method: 'POST';
	/** application/x-www-form-urlencoded */
	body: string;
}

/**
 * Sends one request and resolves with whatever answered, whatever its status; rejects only when no
 * HTTP answer arrived, with an error carrying Node's error `code` (ECONNRESET, ENOTFOUND, …).
 * The n8n adapters implement it with n8n's own HTTP helper.
 */
export type SendHttpRequest = (request: SalesforceHttpRequest) => Promise<RawHttpResponse>;

/**
 * Percent-encodes a form body. encodeURIComponent encodes everything form parsers treat specially
 * (`+`, `&`, `=`, `%`, `#`, space) and non-ASCII as UTF-8, so any password arrives byte for byte.
 */
export function encodeForm(fields: Array<[string, string]>): string {
	return fields
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
}

function formFields(details: LoginDetails, nowMs: number): Array<[string, string]> {
	if (details.flow === 'password') {
		return [
			['grant_type', 'password'],
			['client_id', details.consumerKey],
			['client_secret', details.consumerSecret],
			['username', details.username],
			['password', details.passwordWithToken],
		];
	}
	if (details.flow === 'jwtBearer') {
		if (!details.signingKey) throw new Error('JWT Bearer login details without a signing key');
		return [
			['grant_type', JWT_BEARER_GRANT],
			['assertion', signAssertion(assertionClaims(details, nowMs), details.signingKey)],
		];
	}
	return [
		['grant_type', 'client_credentials'],
		['client_id', details.consumerKey],
		['client_secret', details.consumerSecret],
	];
}

/** The token request; a JWT Bearer assertion is signed for `nowMs` (its `exp` counts from then). */
export function buildTokenRequest(
	details: LoginDetails,
	nowMs: number = Date.now(),
): TokenHttpRequest {
	const fields = formFields(details, nowMs);
	return {
		method: 'POST',
		url: `${details.host.origin}${LOGIN_ENDPOINT_PATH}`,
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: encodeForm(fields),
		timeoutMs: Math.round(details.timeoutSeconds * 1000),
	};
}

/** Node's socket error code (ECONNRESET, ENOTFOUND, …) wherever the sender's error carries it. */
function errorCode(error: unknown): string | undefined {
	return findInCauses(error, (link) => {
		const { code } = link as { code?: unknown };
		return typeof code === 'string' ? code : undefined;
	});
}

async function sendOnce(
	send: SendHttpRequest,
	request: TokenHttpRequest,
	details: LoginDetails,
): Promise<SalesforceSession> {
	const answer = await send(request).then(
		(response) => ({ response }),
		(error: unknown) => ({ error }),
	);
	if ('error' in answer) {
		throw explainTransportFailure(errorCode(answer.error), {
			host: details.host,
			timeoutSeconds: details.timeoutSeconds,
		});
	}
	return parseTokenResponse(answer.response, {
		host: details.host,
		flow: details.flow,
		consumerSecret: details.consumerSecret,
		audience: details.audience,
	});
}

/** One login. Transient failures are retried per `retry`; anything else is thrown at once. */
export async function requestToken(
	details: LoginDetails,
	send: SendHttpRequest,
	retry: RetryPolicy = NO_RETRY,
): Promise<SalesforceSession> {
	for (let attempt = 0; ; attempt++) {
		// Built per attempt: a JWT Bearer assertion expires 150 s after it is signed, and a retry may
		// follow a slow attempt (the timeout may be up to 300 s).
		const request = buildTokenRequest(details);
		const outcome = await sendOnce(send, request, details).then(
			(session) => ({ session }),
			(error: unknown) => ({ error }),
		);
		if ('session' in outcome) return outcome.session;
		const transient = outcome.error instanceof SalesforceAuthError && outcome.error.isTransient;
		if (!transient || attempt >= retry.delaysMs.length) throw outcome.error;
		await retry.wait(retry.delaysMs[attempt]);
	}
}
