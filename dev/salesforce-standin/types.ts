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
	/**
	 * Objects whose events this user may not receive (default none: the API user has View All Data).
	 * An sObject: no View All Records on it — its channel /data/<Object>ChangeEvent is refused with
	 * 403::User not allowed to subscribe CDC without View All Data permissions, and /data/ChangeEvents
	 * leaves its events out. A platform event: no Read on it — /event/<Name>__e is refused with
	 * 403::Restricted channel.
	 */
	withoutEventAccess?: string[];
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
 * 'YYYY-MM-DD', datetimes '2026-01-01T00:00:00.000+0000', audit ones to the second); IsDeleted =
 * in the Recycle Bin.
 */
export type StandinRecord = { Id: string; IsDeleted: boolean } & Record<
	string,
	string | number | boolean | null
>;

export interface StandinUpdateOptions {
	/**
	 * A change by automation (a flow, a trigger, an integration's system process), not by a user:
	 * SystemModstamp moves, LastModifiedDate and LastModifiedById do not. Default false.
	 */
	automation?: boolean;
}

/**
 * A transaction that stays open while the test does other things: what it writes is stamped with
 * the time it started (to the second), invisible to queries, getUpdated and getDeleted until
 * `commit()`, and then appears with those old stamps — a late commit. While any transaction is
 * open, getUpdated/getDeleted answer a latestDateCovered no later than the oldest one's start.
 * Rows it wrote are locked: REST writes to them fail with UNABLE_TO_LOCK_ROW until it ends. Each
 * call is all or none and throws naming the refused row and Salesforce's error; rows are written
 * as the first user, with the API's rules.
 */
export interface StandinTransaction {
	/** The stamp of everything it writes: '2026-12-04T10:00:07.000+0000'. */
	readonly startedAt: string;
	/** Returns the new 18-character ids. */
	insert(sobject: string, records: Array<Record<string, unknown>>): string[];
	/** Each record names its row by `Id`; the other fields are the changes. */
	update(
		sobject: string,
		records: Array<Record<string, unknown>>,
		options?: StandinUpdateOptions,
	): void;
	/** Into the Recycle Bin (IsDeleted; audit fields move as for an update). */
	delete(sobject: string, ids: string[]): void;
	/** Out of the Recycle Bin. */
	undelete(sobject: string, ids: string[]): void;
	/** Makes everything visible; throws (and rolls back) when another writer took one of its unique values meanwhile. */
	commit(): void;
	/** Forgets everything it wrote. */
	rollback(): void;
}

/**
 * Injected failures of the REST API (/services/data/vXX.X/...), answered with Salesforce's bodies:
 * - server-unavailable: 503 [{errorCode: SERVER_UNAVAILABLE}]
 * - unable-to-lock-row: 400 [{errorCode: UNABLE_TO_LOCK_ROW, message: 'unable to obtain exclusive access to this record'}]
 * - concurrent-limit: 403 [{errorCode: REQUEST_LIMIT_EXCEEDED, message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.'}]
 * - error: any status and error body.
 * A faulted request changes no data and still counts as an API request. A Composite request's
 * subrequests meet faults too, matched by their own method and path (the Composite request itself
 * by /composite): e.g. `{ path: /\/query/ }` fails only the query inside it, in its result.
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

/**
 * A stored blob (ContentVersion.VersionData, Attachment.Body, Document.Body), as the stand-in keeps
 * it: a file in its own temporary directory, deleted by resetData() and close(). Listed from the
 * directory itself, so bytes an interrupted upload left behind would show (with recordId undefined).
 */
export interface StandinStoredFile {
	/** 'ContentVersion', 'Attachment', 'Document'; undefined when no record owns the bytes. */
	sobject?: string;
	recordId?: string;
	/** 'VersionData' or 'Body'. */
	field?: string;
	bytes: number;
	/** Hex MD5 (what ContentVersion.Checksum says); '' for a file no upload finished. */
	md5: string;
	/** Hex SHA-256; '' for a file no upload finished. */
	sha256: string;
	/** Where the bytes are (read them with fs in a test; never write there). */
	path: string;
}

/**
 * The largest blobs the stand-in takes, by default Salesforce's (REST API Guide, Insert or Update
 * Blob Data): lower them to test refusals without sending gigabytes.
 */
export interface StandinBlobLimits {
	/** A ContentVersion's file in a multipart upload; default 2 GB. */
	contentVersionBytes: number;
	/** An Attachment's or Document's file in a multipart upload; default 500 MB. */
	otherBytes: number;
	/** A whole JSON request carrying a base64 blob; default 50 MB (37.5 MB of file). */
	jsonRequestBytes: number;
}

/**
 * How Bulk API 2.0 jobs take their time in the stand-in (a real org takes seconds to minutes).
 * Every value has a default; StandinOptions.bulk and setBulkOptions() change them.
 */
export interface StandinBulkOptions {
	/** From UploadComplete to InProgress; default 50 ms. */
	queueMs: number;
	/** The least a job stays InProgress; default 300 ms. */
	processingMs: number;
	/** Added to processingMs per record; default 0. */
	msPerRecord: number;
	/**
	 * Records per internal batch of an ingest job (Salesforce: 10,000); the default. Results come
	 * batch by batch, each batch's records in a shuffled (deterministic) order, as Salesforce's
	 * parallel batches return them out of input order. Each batch commits as one transaction: on
	 * Change Data Capture entities its change events say changeOrigin com/salesforce/api/bulkapi/<v>
	 * (a 100,000-record Account job leaves 100,000 retained events: deselect the entities with
	 * selectChangeDataCaptureEntities() where volume, not events, is measured).
	 */
	batchSize: number;
	/** Records per page of query results when the request sets no maxRecords; default 100,000. */
	queryPageRecords: number;
	/** The largest CSV upload: 150 MB of base64 is 112.5 MB of CSV (the default). */
	uploadBytes: number;
}

/**
 * A Bulk API job that Salesforce fails: the next `times` (default 1) jobs to run (ingest or query)
 * end Failed with `errorMessage` once `afterRecords` (default 0) records were processed.
 */
export interface StandinBulkJobFault {
	errorMessage: string;
	afterRecords?: number;
	times?: number;
}

/** A Bulk API 2.0 job as the test hooks see it. */
export interface StandinBulkJob {
	id: string;
	type: 'ingest' | 'query';
	object: string;
	operation: string;
	state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
	numberRecordsProcessed: number;
	numberRecordsFailed: number;
	errorMessage?: string;
	/** '62.0' */
	apiVersion: string;
}

/**
 * The Streaming API (CometD at <instance>/cometd/<version>, see streaming/): its timeouts, made
 * short by tests that cannot wait 110 s, and the org's Change Data Capture selection.
 */
export interface StandinStreamingOptions {
	/** How long a /meta/connect is held when no event comes; default 110,000 (Salesforce's 110 s). */
	longPollTimeoutMs?: number;
	/** A client not back within this after an answer is forgotten (403::Unknown client); default 40,000. */
	reconnectTimeoutMs?: number;
	/** Events in one connect answer at most; default 1,000 (Salesforce documents no figure). */
	maxEventsPerConnect?: number;
	/** How often held connects have their session checked; default 1,000. */
	sessionCheckIntervalMs?: number;
	/** How long events are kept for replay; default 72 hours (change events, high-volume platform events). */
	eventRetentionMs?: number;
	/** Setup → Change Data Capture → Selected Entities; default ['Account', 'Invoice__c'] (Lead, Contact not). */
	changeDataCaptureEntities?: string[];
}

export type StandinGapChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

/** A platform event published by publishPlatformEvents: where it sits on the bus. */
export interface StandinPublishedEvent {
	replayId: number;
	eventUuid: string;
}

/** An event the bus still holds for replay, as retainedEvents reports it. */
export interface StandinRetainedEvent {
	replayId: number;
	publishedAt: Date;
	/** What subscribers receive as `data.payload` (a change event's ChangeEventHeader included). */
	payload: Record<string, unknown>;
	/** Platform events only. */
	eventUuid?: string;
}

/** A CometD client the server currently knows. */
export interface StandinStreamingClient {
	clientId: string;
	/** Its subscriptions. */
	channels: string[];
	/** Whether a /meta/connect of it is being held right now. */
	connectHeld: boolean;
}

/** Bayeux traffic, apart from apiRequestCount (none of it counts against the API allocation). */
export interface StandinStreamingCounts {
	handshakes: number;
	subscribes: number;
	unsubscribes: number;
	connects: number;
	disconnects: number;
	/** Event messages delivered to clients. */
	deliveredEvents: number;
}

/**
 * The org's allocation of events delivered to CometD clients per 24 hours; `max` undefined
 * (default) is unlimited. Once `used` reaches `max`, subscribe and connect answer
 * 403::Organization total events daily limit exceeded.
 */
export interface StandinEventDeliveryUsage {
	used: number;
	max?: number;
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
	/**
	 * How far the org's clock runs ahead of this machine's (negative: behind), in milliseconds; see
	 * `setClockSkew`. Default 0.
	 */
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
	blobLimits?: Partial<StandinBlobLimits>;
	bulk?: Partial<StandinBulkOptions>;
	/** The Streaming API's timeouts, retention and Change Data Capture selection. */
	streaming?: StandinStreamingOptions;
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
	/** '' for streamed bodies and for bodies over 1 MB (a base64 file), which are not kept. */
	rawBody: string;
	/** The body was streamed to its handler unread (multipart file uploads, Bulk API CSV). */
	streamed?: boolean;
	/** Parsed only when the body is application/x-www-form-urlencoded. */
	form?: Record<string, string>;
	at: number;
	/** What `identifyClient` said about the sender (only with that option). */
	client?: string;
	/** The API user whose live session the request's Bearer header carries (tells apart what each credential sent). */
	username?: string;
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

	// ---- the org's clock ----

	/**
	 * How far the org's clock runs ahead of this machine's (negative: behind), in milliseconds. The
	 * org's clock stamps audit fields, the replication resources' dates, `issued_at`, every answer's
	 * `Date` header, and checks JWT `exp`. Durations (session inactivity, login-rate window, cursor
	 * life) stay on this machine's clock.
	 */
	readonly clockSkewMs: number;
	/** Changes the skew at once, while running (e.g. 5 * 60_000: five minutes ahead). */
	setClockSkew(ms: number): void;
	/** The org's time now. */
	now(): Date;

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
	 * values, references, validation rules); all or none, stamped with the org's clock (one second
	 * for all of them). Returns the new 18-character ids.
	 * Throws naming the row and Salesforce's error when one is refused. Counts no API request.
	 */
	insertRecords(sobject: string, records: Array<Record<string, unknown>>): string[];
	/** Every row of the object, deleted ones included (IsDeleted true), as copies. */
	records(sobject: string): StandinRecord[];
	/**
	 * Update rows as the first user (or as automation), with the API's rules; all or none. Each record
	 * names its row by `Id`. Counts no API request.
	 */
	updateRecords(
		sobject: string,
		records: Array<Record<string, unknown>>,
		options?: StandinUpdateOptions,
	): void;
	/** Move rows into the Recycle Bin as the first user; all or none. Counts no API request. */
	deleteRecords(sobject: string, ids: string[]): void;
	/** Restore rows from the Recycle Bin as the first user; all or none. Counts no API request. */
	undeleteRecords(sobject: string, ids: string[]): void;
	/** Opens a transaction whose changes commit late (see StandinTransaction). */
	beginTransaction(): StandinTransaction;
	/**
	 * Empties the object's Recycle Bin (or only the given ids), as an administrator or the 15-day
	 * purge would: the rows are gone for good (queryAll no longer returns them, reads answer
	 * NOT_FOUND) and getDeleted's earliestDateAvailable moves up to the latest of their deletion
	 * times, so a getDeleted starting before it answers INVALID_REPLICATION_DATE.
	 */
	emptyRecycleBin(sobject: string, ids?: string[]): void;
	/**
	 * Sets getDeleted's earliestDateAvailable for the object directly, as when Salesforce purges its
	 * delete log (Date, or an ISO datetime such as '2026-12-04T10:00:00Z'). The 15-day window still
	 * applies when it is later.
	 */
	setEarliestDateAvailable(sobject: string, at: Date | string): void;
	/** getUpdated/getDeleted answer EXCEEDED_ID_LIMIT above this many ids; undefined: Salesforce's 600,000. */
	setReplicationIdLimit(limit: number | undefined): void;
	/**
	 * Back to the seeded rows (validation rules, open query cursors and transactions, purge marks,
	 * the id limit, stored files, synthetic rows and Bulk jobs go too).
	 */
	resetData(): void;
	/** Adds an org validation rule; returns a function that removes it. */
	addValidationRule(rule: StandinValidationRule): () => void;
	/**
	 * Adds `count` rows of the object that exist only as a function of their index: a million cost
	 * no memory and no time to seed. `fields(index)` gives each row's values by API name (the same
	 * names for every index; no unique or external-id field, no blob; the first row must pass the API's rules).
	 * Ids are deterministic: `idOf(index)`. They are read like stored rows (SOQL, REST, Bulk
	 * queries; handles, not copies, in cursors and query jobs); writing one stores it. Counts no
	 * API request; resetData() removes them.
	 */
	seedSyntheticRecords(
		sobject: string,
		count: number,
		fields?: (index: number) => Record<string, unknown>,
	): { idOf(index: number): string };

	// ---- Files: blobs on disk ----

	/** Every blob file the stand-in holds (see StandinStoredFile). */
	storedFiles(): StandinStoredFile[];
	/** The bytes of a record's blob (VersionData or Body), for small files; undefined when it has none. */
	fileBytes(recordId: string): Buffer | undefined;
	/**
	 * Breaks the next streamed uploads (multipart files, Bulk API CSV): once `afterBytes` of the
	 * body arrived the connection is reset. `times` = only the next N such uploads; undefined clears.
	 */
	resetUploadsAfterBytes(afterBytes: number | undefined, options?: { times?: number }): void;

	// ---- Bulk API 2.0 ----

	/** Every Bulk API job the org holds (deleted ones are gone), in creation order. */
	bulkJobs(): StandinBulkJob[];
	/** Changes the jobs' timing from now on (see StandinBulkOptions). */
	setBulkOptions(options: Partial<StandinBulkOptions>): void;
	/** Makes the next jobs fail (see StandinBulkJobFault); undefined clears. */
	setBulkJobFault(fault: StandinBulkJobFault | undefined): void;

	// ---- Streaming API: CometD at <instance>/cometd/<version>, Change Data Capture, Platform Events ----
	// Every committed write (REST rows, Collections, Composite, the record hooks and transactions
	// above, each call or request one transaction; not the seeded rows) raises change events for the
	// selected objects; inserting a platform event publishes it.

	/** Handshakes, subscribes, connects... and delivered events since start or resetRecords(). */
	readonly streamingCounts: StandinStreamingCounts;
	/** The CometD clients the server knows now (a forgotten or disconnected one is gone). */
	streamingClients(): StandinStreamingClient[];
	/** Setup → Change Data Capture → Selected Entities. */
	readonly changeDataCaptureEntities: string[];
	/** Replaces the selection (API names); unknown objects throw. */
	selectChangeDataCaptureEntities(entities: string[]): void;
	/**
	 * Publishes platform events (e.g. 'Order_Shipped__e') with the API's field rules, without an API
	 * request; returns where each landed on the bus. A refused event throws (those before it are
	 * published: "Publish Immediately").
	 */
	publishPlatformEvents(
		eventName: string,
		events: Array<Record<string, unknown>>,
	): StandinPublishedEvent[];
	/** A gap event (GAP_CREATE...) naming the records, header only; the object must be selected. */
	raiseGapEvent(sobject: string, changeType: StandinGapChangeType, recordIds: string[]): void;
	/** An overflow event (changeType GAP_OVERFLOW, recordIds ['000000000000000AAA']) for a selected object. */
	raiseOverflowEvent(sobject: string): void;
	/** The events the bus still holds for a channel ('/data/AccountChangeEvent', '/event/Order_Shipped__e'), oldest first. */
	retainedEvents(channel: string): StandinRetainedEvent[];
	/**
	 * Drops retained events published at least `olderThanMs` ago (default 0: every event so far), as
	 * the retention window would: a stored replay id among them is then refused with "The replayId
	 * {…} you provided was invalid…". Returns how many were dropped.
	 */
	dropRetainedEvents(olderThanMs?: number): number;
	readonly eventDeliveryUsage: StandinEventDeliveryUsage;
	setEventDeliveryUsage(usage: Partial<StandinEventDeliveryUsage>): void;
	/** The server forgets every CometD client (as after its timeout); held connects answer 403::Unknown client. */
	forgetStreamingClients(): void;
	/**
	 * A server restart: every connection drops (held connects included, no answer), every CometD client
	 * is forgotten; data, sessions and retained events survive.
	 */
	simulateRestart(): void;
	/**
	 * The whole stand-in becomes unreachable until bringOnline(): 'refuse' (default) stops listening
	 * (connection refused), 'reset' accepts and resets every connection. Open connections drop.
	 * Hooks keep working, so events published meanwhile are retained for replay.
	 */
	takeOffline(mode?: 'refuse' | 'reset'): Promise<void>;
	/** Listens again on the same port. */
	bringOnline(): Promise<void>;
	/** Also destroys hanging sockets so tests never leak handles. */
	close(): Promise<void>;
}
