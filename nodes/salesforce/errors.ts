/**
 * What can go wrong when asking Salesforce for a session, and what the user should do about it.
 *
 * Every failure the package reports is a `SalesforceAuthError`: a message that says what is wrong
 * and a description that says what to do (which field, which Salesforce setting). The n8n adapters
 * wrap it in NodeApiError, which keeps both. Messages never contain a secret: they are built only
 * from the host, the field names and Salesforce's own error codes.
 */

export type FailureReason =
	| 'invalid-input'
	| 'authentication-failure'
	| 'ip-restricted'
	| 'login-rate-exceeded'
	| 'invalid-client-id'
	| 'invalid-client-secret'
	| 'unsupported-grant-type'
	| 'inactive-user'
	| 'inactive-org'
	| 'app-access'
	| 'client-credentials-on-generic-host'
	| 'no-run-as-user'
	| 'jwt-not-pre-authorized'
	| 'jwt-audience-invalid'
	| 'jwt-assertion-expired'
	| 'jwt-invalid-assertion'
	| 'oauth-error'
	| 'cooling-down'
	| 'timeout'
	| 'dns'
	| 'connection-refused'
	| 'connection-reset'
	| 'tls'
	| 'network'
	| 'redirect'
	| 'server-error'
	| 'bad-response'
	| 'bad-signature'
	| 'rest-session-not-allowed'
	| 'session-check-failed';

/** Salesforce refused these details: asking again with the same ones only burns login budget or locks the user out. */
const AUTHENTICATION_REASONS: ReadonlySet<FailureReason> = new Set<FailureReason>([
	'authentication-failure',
	'ip-restricted',
	'login-rate-exceeded',
	'invalid-client-id',
	'invalid-client-secret',
	'unsupported-grant-type',
	'inactive-user',
	'inactive-org',
	'app-access',
	'client-credentials-on-generic-host',
	'no-run-as-user',
	'jwt-not-pre-authorized',
	'jwt-audience-invalid',
	'jwt-assertion-expired',
	'jwt-invalid-assertion',
	'oauth-error',
]);

/** Failures where the request most likely never reached Salesforce's login logic: safe to try again soon. */
const TRANSIENT_REASONS: ReadonlySet<FailureReason> = new Set<FailureReason>([
	'connection-refused',
	'connection-reset',
]);
/** Salesforce, or the way to it, was down: nothing was refused. */
const OUTAGE_REASONS: ReadonlySet<FailureReason> = new Set<FailureReason>([
	'timeout',
	'dns',
	'connection-refused',
	'connection-reset',
	'network',
	'server-error',
]);
/** Gateway answers: a proxy or load balancer in front of Salesforce answered, not the login logic. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

export class SalesforceAuthError extends Error {
	readonly reason: FailureReason;

	/** What to do about it; n8n shows it under the message. */
	readonly description: string;

	/** Salesforce's own `error` code, when Salesforce answered with one. */
	readonly salesforceError?: string;

	/**
	 * The HTTP status Salesforce (or whatever answered) replied with, if any. Not named `status`:
	 * n8n's NodeApiError would then replace the message with a generic "Bad request" text.
	 */
	readonly httpStatus?: number;

	constructor(
		reason: FailureReason,
		message: string,
		description: string,
		details: { salesforceError?: string; httpStatus?: number } = {},
	) {
		super(message);
		this.name = 'SalesforceAuthError';
		this.reason = reason;
		this.description = description;
		this.salesforceError = details.salesforceError;
		this.httpStatus = details.httpStatus;
	}

	/** Salesforce refused the details themselves; never retried, and the guard cools down after it. */
	get isAuthenticationFailure(): boolean {
		return AUTHENTICATION_REASONS.has(this.reason);
	}

	/**
	 * No answer came, or a 5xx: Salesforce refused nothing, so a client that waits for it anyway (a
	 * long-lived trigger) may ask again later — unlike a refusal, which is never asked again.
	 */
	get isOutage(): boolean {
		return OUTAGE_REASONS.has(this.reason);
	}

	/** The request probably never got to Salesforce's login logic; a bounded retry is harmless. */
	get isTransient(): boolean {
		return (
			TRANSIENT_REASONS.has(this.reason) ||
			(this.reason === 'server-error' &&
				this.httpStatus !== undefined &&
				TRANSIENT_STATUSES.has(this.httpStatus))
		);
	}
}

/** A field the user filled in is unusable; raised before anything is sent. */
export function invalidInput(field: string, problem: string, fix: string): SalesforceAuthError {
	return new SalesforceAuthError('invalid-input', `${field}: ${problem}`, fix);
}
