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
	/** Clear requests and counters (sessions and the login-rate window are kept). */
	resetRecords(): void;
	/** Also destroys hanging sockets so tests never leak handles. */
	close(): Promise<void>;
}
