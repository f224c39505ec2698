/**
 * Public types of the Salesforce stand-in. Other parts of the project (unit tests, the end-to-end
 * suite, `npm start`, the benchmark) code against these names, so keep them stable.
 */

export interface StandinUser {
	username: string;
	password: string;
	/** When set, the password must be sent as password + securityToken (the caller's IP is not trusted). */
	securityToken?: string;
	/** inactive -> inactive_user; locked -> invalid_grant 'authentication failure'. */
	status?: 'active' | 'inactive' | 'locked';
	/** -> invalid_grant 'IP restricted or invalid login hours'. */
	ipRestricted?: boolean;
	/** Default true; false -> invalid_app_access. */
	appAccess?: boolean;
	/** REST answers 401 'This session is not valid for use with the REST API' for this user's sessions. */
	highAssurance?: boolean;
	/** 005... 18 chars; generated (and written back here) when absent. */
	userId?: string;
}

export interface StandinApp {
	consumerKey: string;
	consumerSecret: string;
	/** Default true; false -> unsupported_grant_type (like an org that blocks username-password). */
	passwordFlow?: boolean;
	/** Username of the Run-As user; absent -> invalid_grant 'no client credentials user enabled'. */
	clientCredentialsRunAs?: string;
	/**
	 * The certificate uploaded for the JWT Bearer flow ("Use digital signatures"), PEM; a PEM public
	 * key is accepted too. Assertions are verified with its public key; absent -> 'invalid assertion'.
	 */
	jwtCertificate?: string;
	/**
	 * An External Client App: since Spring '26 it accepts only the org's My Domain URL as audience.
	 * Otherwise (an older connected app) login.salesforce.com — test.salesforce.com for a `sandbox`
	 * org — is accepted as well.
	 */
	externalClientApp?: boolean;
}

export type StandinFault =
	| { kind: 'hang' }
	| { kind: 'delay'; ms: number }
	| { kind: 'reset' }
	| { kind: 'html'; status: number }
	| { kind: 'truncated-json' }
	| { kind: 'invalid-json' }
	| { kind: 'no-access-token' }
	| { kind: 'bad-signature' }
	| { kind: 'redirect'; status: 301 | 302 | 307 | 308; location: string }
	| { kind: 'error'; status: number; error: string; error_description?: string };

/**
 * A stored row as the test hooks see it: API field names with their stored values (dates
 * 'YYYY-MM-DD', datetimes '2026-01-01T00:00:00.000+0000'); IsDeleted = in the Recycle Bin.
 */
export type StandinRecord = { Id: string; IsDeleted: boolean } & Record<string, string | number | boolean | null>;

/**
 * Injected failures of the REST API (/services/data/vXX.X/...), answered with Salesforce's bodies:
 * - server-unavailable: 503 [{errorCode: SERVER_UNAVAILABLE}]
 * - unable-to-lock-row: 400 [{errorCode: UNABLE_TO_LOCK_ROW, message: 'unable to obtain exclusive access to this record'}]
 * - concurrent-limit: 403 [{errorCode: REQUEST_LIMIT_EXCEEDED, message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.'}]
 * - error: any status and error body.
 * A faulted request changes no data and still counts as an API request.
 */
export type StandinRestFault =
	| { kind: 'server-unavailable' }
	| { kind: 'unable-to-lock-row' }
	| { kind: 'concurrent-limit' }
	| { kind: 'error'; status: number; errorCode: string; message: string; fields?: string[] };

export interface StandinRestFaultOptions {
	/** Only the next N matching requests fail, then normal again. */
	times?: number;
	/** Only requests with this method (e.g. 'PATCH'). */
	method?: string;
	/** Only requests whose path (without the query string) matches, e.g. /\/composite\/sobjects/. */
	path?: RegExp;
}

/**
 * An org validation rule: when `errorCondition` is true for the record as it would be saved, the
 * write fails with FIELD_CUSTOM_VALIDATION_EXCEPTION, `message`, and `fields: [field]` when given.
 */
export interface StandinValidationRule {
	sobject: string;
	message: string;
	field?: string;
	errorCondition: (record: Readonly<Record<string, string | number | boolean | null>>) => boolean;
}

/** The org's daily API usage: `used` of `max` requests (Sforce-Limit-Info, GET limits). */
export interface StandinApiUsage {
	used: number;
	max: number;
}

export interface StandinOptions {
	/**
	 * Names the client of each request (e.g. which n8n worker sent it), asked while the connection is
	 * open with the connection's two ports (the client's, the stand-in's); the answer is recorded as
	 * the request's `client`.
	 */
	identifyClient?: (clientPort: number, standinPort: number) => string | undefined;
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 0 (a free port). */
	port?: number;
	/** 00D... 18 chars; generated when absent. */
	orgId?: string;
	/** inactive -> inactive_org. */
	orgStatus?: 'active' | 'inactive';
	/** Default: one demo user and one demo app (see `demo`). */
	users?: StandinUser[];
	apps?: StandinApp[];
	/** Default true. false behaves like login./test.salesforce.com: client credentials are refused. */
	myDomain?: boolean;
	/** A sandbox: its generic JWT audience is test.salesforce.com instead of login.salesforce.com. */
	sandbox?: boolean;
	/** How far the org's clock runs ahead of this machine's (negative: behind), for JWT `exp` checks. */
	clockSkewMs?: number;
	/** instance_url in token responses; default the server's own URL. */
	instanceUrl?: string;
	/** Inactivity timeout; default 2 h. A session unused that long is dead. */
	sessionTimeoutMs?: number;
	/** Default 3600 per user per hour -> invalid_grant 'login rate exceeded'. */
	loginRateLimitPerHour?: number;
	/** Serve https (e.g. to test an untrusted self-signed certificate). */
	tls?: { key: string | Buffer; cert: string | Buffer };
	/** e.g. 'production', 'uat': appears in demo data and tokens so tests can tell two orgs apart. */
	label?: string;
	/** The org's daily API request allocation; default 15,000 (a Developer Edition). */
	dailyApiRequests?: number;
	/** Default true: three sample Accounts (as before), two Contacts, two Leads, two Invoice__c. */
	seedData?: boolean;
	/**
	 * Keep the org in this file across runs (persistence.ts): the same org id, user ids, live sessions,
	 * records and API usage when a stand-in with the same label starts from it again.
	 */
	stateFile?: string;
}

export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	/** Parsed only when the body is application/x-www-form-urlencoded. */
	form?: Record<string, string>;
	at: number;
	/** What `identifyClient` said about the sender (only with that option). */
	client?: string;
}

export interface DemoCredentials {
	consumerKey: string;
	consumerSecret: string;
	username: string;
	password: string;
	securityToken: string;
}

export interface SalesforceStandin {
	readonly url: string;
	readonly orgId: string;
	readonly demo: DemoCredentials;
	/** Every request received, in order. */
	readonly requests: RecordedRequest[];
	/** Only POST /services/oauth2/token. */
	tokenRequests(): RecordedRequest[];
	/** Successful token issues. */
	readonly loginCount: number;
	/** Token requests answered with an OAuth error by the org's own rules (injected faults are not counted). */
	readonly failedLoginCount: number;
	activeSessions(): string[];
	/** Every issued token becomes dead, as after the org's inactivity timeout. */
	expireAllSessions(): void;
	revoke(token: string): void;
	/** Applies to the token endpoint; `times` = only the next N token requests, then normal again. */
	setFault(fault: StandinFault | undefined, options?: { times?: number }): void;
	users: StandinUser[];
	apps: StandinApp[];
	/** Clear requests and counters, apiRequestCount included (sessions, data and API usage are kept). */
	resetRecords(): void;

	// ---- REST API: data, accounting and faults ----

	/** REST requests counted against the allocation since start or the last resetRecords(). */
	readonly apiRequestCount: number;
	/** The org's daily usage as Salesforce reports it (a copy). */
	readonly apiUsage: StandinApiUsage;
	/** Set the daily usage and/or allocation; once used >= max every REST request answers 403 REQUEST_LIMIT_EXCEEDED. */
	setApiUsage(usage: Partial<StandinApiUsage>): void;
	/** Like setFault, for the REST API; undefined clears. */
	setRestFault(fault: StandinRestFault | undefined, options?: StandinRestFaultOptions): void;
	/**
	 * After the next N counted REST requests (authenticated, under /services/data/vXX.X/) are answered,
	 * every session ends, as with expireAllSessions: e.g. 1 right before a query kills the session
	 * between its first and second page. undefined cancels.
	 */
	expireSessionsAfterRequests(requests: number | undefined): void;
	/** Every open query cursor becomes invalid: its nextRecordsUrl answers 400 INVALID_QUERY_LOCATOR. */
	expireQueryLocators(): void;
	/**
	 * Insert rows as the first user, with the same rules as the API (required fields, unique
	 * values, references, validation rules); all or none. Returns the new 18-character ids.
	 * Throws naming the row and Salesforce's error when one is refused. Counts no API request.
	 */
	insertRecords(sobject: string, records: Array<Record<string, unknown>>): string[];
	/** Every row of the object, deleted ones included (IsDeleted true), as copies. */
	records(sobject: string): StandinRecord[];
	/** Back to the seeded rows (validation rules and open query cursors are dropped too). */
	resetData(): void;
	/** Adds an org validation rule; returns a function that removes it. */
	addValidationRule(rule: StandinValidationRule): () => void;
	/** Also destroys hanging sockets so tests never leak handles. */
	close(): Promise<void>;
}
