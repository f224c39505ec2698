import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type {
	DemoCredentials,
	RecordedRequest,
	SalesforceStandin,
	StandinApiUsage,
	StandinApp,
	StandinBulkJob,
	StandinBulkJobFault,
	StandinBulkOptions,
	StandinEventDeliveryUsage,
	StandinFault,
	StandinGapChangeType,
	StandinOptions,
	StandinPublishedEvent,
	StandinRecord,
	StandinRetainedEvent,
	StandinRestFault,
	StandinRestFaultOptions,
	StandinStoredFile,
	StandinStreamingClient,
	StandinStreamingCounts,
	StandinTransaction,
	StandinUpdateOptions,
	StandinUser,
	StandinValidationRule,
} from './types';
import type { Org } from './org';
import { displayName, userIdOf } from './org';
import { LoginRateLimiter, SessionStore } from './sessions';
import { salesforceId } from './ids';
import { demoApp, demoCredentials, demoUser } from './demo';
import {
	BodyTooLargeError,
	isFormBody,
	MAX_BODY_BYTES,
	parseForm,
	readBody,
	send,
	sendJson,
} from './http';
import { answerTokenRequest } from './token';
import { playFault, resetConnection } from './faults';
import { handleIdentity, handleUserinfo } from './identity';
import {
	handleVersioned,
	handleVersions,
	NOT_FOUND,
	requestBodyLimit,
	RestState,
	streamsRequestBody,
	userRow,
} from './rest';
import { DEFAULT_REPLICATION_ID_LIMIT } from './rest/replication';
import { OrgClock } from './clock';
import { Streaming } from './streaming';
import { readSnapshot, writeSnapshot, type OrgSnapshot } from './persistence';

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;
/** Owner of seeded rows in an org configured without users. */
const DEFAULT_OWNER_ID = salesforceId('005');
const TOKEN_PATH = '/services/oauth2/token';

/** Salesforce marks every token answer uncacheable. */
const TOKEN_HEADERS = {
	'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private',
	Pragma: 'no-cache',
};

interface PendingPause {
	timer: NodeJS.Timeout;
	resume: () => void;
}

function firstValues(params: URLSearchParams): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of params) if (!(name in values)) values[name] = value;
	return values;
}

function urlHost(host: string): string {
	if (host === '0.0.0.0') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

export class Standin implements SalesforceStandin, Org {
	readonly orgId: string;
	readonly label: string;
	readonly orgStatus: 'active' | 'inactive';
	readonly myDomain: boolean;
	readonly sandbox: boolean;
	readonly clock: OrgClock;
	readonly demo: DemoCredentials;
	readonly requests: RecordedRequest[] = [];
	readonly sessions: SessionStore;
	readonly loginLimiter: LoginRateLimiter;
	readonly rest: RestState;
	private readonly streaming: Streaming;
	users: StandinUser[];
	apps: StandinApp[];

	private baseUrl = '';
	private logins = 0;
	private failedLogins = 0;
	private fault: StandinFault | undefined;
	private faultRemaining: number | undefined;
	private readonly sockets = new Set<Socket>();
	private readonly pauses = new Set<PendingPause>();
	private readonly server: Server;
	private closing: Promise<void> | undefined;
	/** takeOffline(): refusing (not listening) or resetting every connection. */
	private offline: 'refuse' | 'reset' | undefined;

	constructor(private readonly options: StandinOptions) {
		this.label = options.label ?? 'demo';
		const kept = options.stateFile ? readSnapshot(options.stateFile, this.label) : undefined;
		this.orgId = options.orgId ?? kept?.orgId ?? salesforceId('00D');
		this.orgStatus = options.orgStatus ?? 'active';
		this.myDomain = options.myDomain ?? true;
		this.sandbox = options.sandbox ?? false;
		this.clock = new OrgClock(options.clockSkewMs ?? 0);
		this.sessions = new SessionStore(options.sessionTimeoutMs ?? TWO_HOURS_MS);
		this.loginLimiter = new LoginRateLimiter(options.loginRateLimitPerHour ?? 3600);
		const demo = demoCredentials(this.label);
		this.users = options.users ?? [demoUser(demo)];
		this.apps = options.apps ?? [demoApp(demo, this.users[0]?.username)];
		for (const user of this.users) {
			user.userId ??= kept?.userIds[user.username];
			userIdOf(user);
		}
		for (const session of kept?.sessions ?? []) this.sessions.add(session);
		// `demo` describes the first user and app, which are the demo ones unless the caller brought its own.
		const [user, app] = [this.users[0], this.apps[0]];
		this.demo = {
			consumerKey: app?.consumerKey ?? demo.consumerKey,
			consumerSecret: app?.consumerSecret ?? demo.consumerSecret,
			username: user?.username ?? demo.username,
			password: user?.password ?? demo.password,
			securityToken: user ? (user.securityToken ?? '') : demo.securityToken,
		};
		this.streaming = new Streaming(this, () => this.ownerId(), options.streaming);
		this.rest = new RestState({
			label: this.label,
			clock: this.clock,
			userRows: () =>
				this.users.map((user) => userRow(user, userIdOf(user), displayName(this, user))),
			ownerId: () => this.ownerId(),
			dailyApiRequests: options.dailyApiRequests,
			seedData: options.seedData,
			blobLimits: options.blobLimits,
			bulk: options.bulk,
			observer: this.streaming,
			restoredRows: kept?.records,
		});
		if (kept) this.rest.usage.used = kept.apiUsed;

		const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
		this.server = options.tls
			? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
			: createHttpServer(handler);
		this.server.on('connection', (socket: Socket) => {
			if (this.offline === 'reset') return resetConnection(socket);
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	get url(): string {
		return this.baseUrl;
	}

	get instanceUrl(): string {
		return this.options.instanceUrl ?? this.baseUrl;
	}

	get loginCount(): number {
		return this.logins;
	}

	get failedLoginCount(): number {
		return this.failedLogins;
	}

	async listen(): Promise<void> {
		await this.listenOn(this.options.port ?? 0);
		const { port } = this.server.address() as AddressInfo;
		this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${urlHost(this.options.host ?? '127.0.0.1')}:${port}`;
	}

	tokenRequests(): RecordedRequest[] {
		return this.requests.filter(
			(request) => request.method === 'POST' && request.path === TOKEN_PATH,
		);
	}

	activeSessions(): string[] {
		return this.sessions.liveTokens();
	}

	expireAllSessions(): void {
		this.sessions.endAll();
		this.streaming.checkSessions();
	}

	revoke(token: string): void {
		this.sessions.end(token);
		this.streaming.checkSessions();
	}

	setFault(fault: StandinFault | undefined, options?: { times?: number }): void {
		const times = options?.times;
		this.fault = times !== undefined && times <= 0 ? undefined : fault;
		this.faultRemaining = this.fault ? times : undefined;
	}

	resetRecords(): void {
		this.requests.length = 0;
		this.logins = 0;
		this.failedLogins = 0;
		this.rest.usage.counted = 0;
		this.streaming.resetCounts();
	}

	get clockSkewMs(): number {
		return this.clock.skewMs;
	}

	setClockSkew(ms: number): void {
		this.clock.skewMs = ms;
	}

	now(): Date {
		return new Date(this.clock.now());
	}

	get apiRequestCount(): number {
		return this.rest.usage.counted;
	}

	get apiUsage(): StandinApiUsage {
		return { used: this.rest.usage.used, max: this.rest.usage.max };
	}

	setApiUsage(usage: Partial<StandinApiUsage>): void {
		if (usage.used !== undefined) this.rest.usage.used = usage.used;
		if (usage.max !== undefined) this.rest.usage.max = usage.max;
	}

	setRestFault(fault: StandinRestFault | undefined, options?: StandinRestFaultOptions): void {
		this.rest.faults.set(fault, options);
	}

	expireSessionsAfterRequests(requests: number | undefined): void {
		this.rest.faults.expireSessionsAfter(requests);
	}

	expireQueryLocators(): void {
		this.rest.cursors.clear();
	}

	insertRecords(sobject: string, records: Array<Record<string, unknown>>): string[] {
		return this.rest.insert(sobject, records);
	}

	records(sobject: string): StandinRecord[] {
		return this.rest.rows(sobject);
	}

	updateRecords(
		sobject: string,
		records: Array<Record<string, unknown>>,
		options?: StandinUpdateOptions,
	): void {
		this.rest.update(sobject, records, options);
	}

	deleteRecords(sobject: string, ids: string[]): void {
		this.rest.delete(sobject, ids);
	}

	undeleteRecords(sobject: string, ids: string[]): void {
		this.rest.undelete(sobject, ids);
	}

	beginTransaction(): StandinTransaction {
		return this.rest.beginTransaction();
	}

	emptyRecycleBin(sobject: string, ids?: string[]): void {
		this.rest.emptyRecycleBin(sobject, ids);
	}

	setEarliestDateAvailable(sobject: string, at: Date | string): void {
		this.rest.setEarliestDateAvailable(sobject, at);
	}

	setReplicationIdLimit(limit: number | undefined): void {
		if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
			throw new Error(`setReplicationIdLimit: ${String(limit)} is not a whole number of ids`);
		this.rest.replication.idLimit = limit ?? DEFAULT_REPLICATION_ID_LIMIT;
	}

	resetData(): void {
		this.rest.reset();
	}

	addValidationRule(rule: StandinValidationRule): () => void {
		return this.rest.dml.addRule(rule);
	}

	seedSyntheticRecords(
		sobject: string,
		count: number,
		fields: (index: number) => Record<string, unknown> = () => ({}),
	): { idOf(index: number): string } {
		return this.rest.seedSynthetic(sobject, count, fields);
	}

	storedFiles(): StandinStoredFile[] {
		return this.rest.storedFiles();
	}

	fileBytes(recordId: string): Buffer | undefined {
		const file = this.rest.storedFiles().find((candidate) => candidate.recordId === recordId);
		return file && readFileSync(file.path);
	}

	resetUploadsAfterBytes(afterBytes: number | undefined, options?: { times?: number }): void {
		this.rest.uploadFaults.set(afterBytes, options);
	}

	bulkJobs(): StandinBulkJob[] {
		return this.rest.bulk.summaries();
	}

	setBulkOptions(options: Partial<StandinBulkOptions>): void {
		this.rest.bulk.options = { ...this.rest.bulk.options, ...options };
	}

	setBulkJobFault(fault: StandinBulkJobFault | undefined): void {
		this.rest.bulk.setFault(fault);
	}

	// ---- Streaming API (streaming/) ----

	get streamingCounts(): StandinStreamingCounts {
		return { ...this.streaming.counts };
	}

	streamingClients(): StandinStreamingClient[] {
		return this.streaming.clients();
	}

	get changeDataCaptureEntities(): string[] {
		return this.streaming.selectedEntities;
	}

	selectChangeDataCaptureEntities(entities: string[]): void {
		this.streaming.selectEntities(entities);
	}

	publishPlatformEvents(
		eventName: string,
		events: Array<Record<string, unknown>>,
	): StandinPublishedEvent[] {
		return this.streaming.publishPlatformEvents(eventName, events);
	}

	raiseGapEvent(sobject: string, changeType: StandinGapChangeType, recordIds: string[]): void {
		this.streaming.raiseGapEvent(sobject, changeType, recordIds);
	}

	raiseOverflowEvent(sobject: string): void {
		this.streaming.raiseOverflowEvent(sobject);
	}

	retainedEvents(channel: string): StandinRetainedEvent[] {
		return this.streaming.retainedEvents(channel);
	}

	dropRetainedEvents(olderThanMs?: number): number {
		return this.streaming.dropRetainedEvents(olderThanMs);
	}

	get eventDeliveryUsage(): StandinEventDeliveryUsage {
		const { used, max } = this.streaming.allocation;
		return max === undefined ? { used } : { used, max };
	}

	setEventDeliveryUsage(usage: Partial<StandinEventDeliveryUsage>): void {
		if (usage.used !== undefined) this.streaming.allocation.used = usage.used;
		if ('max' in usage) this.streaming.allocation.max = usage.max;
	}

	forgetStreamingClients(): void {
		this.streaming.forgetClients();
	}

	simulateRestart(): void {
		this.streaming.dropClients();
		this.dropConnections();
	}

	async takeOffline(mode: 'refuse' | 'reset' = 'refuse'): Promise<void> {
		if (this.offline)
			throw new Error(`takeOffline: the stand-in is already offline (${this.offline})`);
		this.offline = mode;
		// The server keeps its CometD clients: one that is back within the reconnect timeout carries on.
		const stopped =
			mode === 'refuse'
				? new Promise<void>((resolve) => this.server.close(() => resolve()))
				: Promise.resolve();
		this.dropConnections();
		await stopped;
	}

	async bringOnline(): Promise<void> {
		const mode = this.offline;
		this.offline = undefined;
		if (mode === 'refuse') await this.listenOn(new URL(this.baseUrl).port);
	}

	/** The org as the state file keeps it. */
	private snapshot(): OrgSnapshot {
		return {
			version: 1,
			label: this.label,
			orgId: this.orgId,
			userIds: Object.fromEntries(this.users.map((user) => [user.username, userIdOf(user)])),
			sessions: this.sessions.all(),
			records: this.rest.store.dump(),
			apiUsed: this.rest.usage.used,
		};
	}

	private persist(): void {
		if (this.options.stateFile) writeSnapshot(this.options.stateFile, this.snapshot());
	}

	close(): Promise<void> {
		if (!this.closing) this.persist();
		this.closing ??= new Promise<void>((resolve) => {
			for (const pause of this.pauses) {
				clearTimeout(pause.timer);
				pause.resume();
			}
			this.pauses.clear();
			this.rest.close();
			this.streaming.close();
			// Resolves even when takeOffline() already stopped listening.
			this.server.close(() => resolve());
			// Hanging and keep-alive connections would otherwise hold the server (and jest) open.
			this.dropConnections();
		});
		return this.closing;
	}

	private listenOn(port: number | string): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(Number(port), this.options.host ?? '127.0.0.1', () => {
				this.server.off('error', reject);
				resolve();
			});
		});
	}

	private dropConnections(): void {
		for (const socket of this.sockets) socket.destroy();
	}

	private ownerId(): string {
		return this.users[0] ? userIdOf(this.users[0]) : DEFAULT_OWNER_ID;
	}

	private takeFault(): StandinFault | undefined {
		const fault = this.fault;
		if (fault && this.faultRemaining !== undefined && --this.faultRemaining <= 0) {
			this.fault = undefined;
			this.faultRemaining = undefined;
		}
		return fault;
	}

	private pause(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const pause: PendingPause = {
				timer: setTimeout(() => {
					this.pauses.delete(pause);
					resolve();
				}, ms),
				resume: resolve,
			};
			this.pauses.add(pause);
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		try {
			await this.route(req, res);
			// Logins, writes and revocations change the org: kept at once (reads only touch session clocks;
			// the Streaming API's long polls change nothing kept).
			if (req.method !== 'GET' && req.method !== 'HEAD' && !(req.url ?? '').startsWith('/cometd'))
				this.persist();
		} catch (error) {
			if (error instanceof BodyTooLargeError) {
				send(res, 413, 'Request Entity Too Large', { 'Content-Type': 'text/plain;charset=UTF-8' });
				return;
			}
			sendJson(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: String(error) }]);
		}
	}

	/** The user of the live session a Bearer header carries (looked up without counting as a use). */
	private sessionUser(authorization: string | undefined): string | undefined {
		const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
		return token ? this.sessions.peek(token)?.username : undefined;
	}

	private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://standin.invalid');
		// Uploads of files and Bulk CSV go to their handler unread: it streams them to disk.
		const streamed = streamsRequestBody(this, req, url.pathname);
		const rawBody = streamed
			? ''
			: (await readBody(req, requestBodyLimit(this, req, url.pathname))).toString('utf8');
		const form = isFormBody(req.headers['content-type']) ? parseForm(rawBody) : undefined;
		const query = firstValues(url.searchParams);
		const method = req.method ?? 'GET';
		const { remotePort, localPort } = req.socket;
		const client =
			this.options.identifyClient && remotePort !== undefined && localPort !== undefined
				? this.options.identifyClient(remotePort, localPort)
				: undefined;
		// A body of megabytes (a base64 file) is not kept: `requests` lives as long as the stand-in.
		const kept = rawBody.length > MAX_BODY_BYTES ? '' : rawBody;
		const username = this.sessionUser(req.headers.authorization);
		this.requests.push({
			method,
			path: url.pathname,
			query,
			headers: { ...req.headers },
			rawBody: kept,
			form,
			at: Date.now(),
			...(client ? { client } : {}),
			...(streamed ? { streamed } : {}),
			...(username ? { username } : {}),
		});
		// Every answer's Date is the org's clock, not this machine's (Node would add its own).
		res.setHeader('Date', this.clock.httpDate());

		const path = url.pathname;
		if (path === TOKEN_PATH) return this.token(req, res, method, form, query);
		if (path === '/services/oauth2/userinfo') return handleUserinfo(this, req, res);
		if (path === '/services/oauth2/revoke') return this.revokeRequest(res, form ?? query);
		const identity = /^\/id\/([^/]+)\/([^/]+)\/?$/.exec(path);
		if (identity) return handleIdentity(this, req, res, identity[1], identity[2]);
		if (path === '/services/data' || path === '/services/data/') return handleVersions(res);
		if (path === '/cometd' || path.startsWith('/cometd/'))
			return this.streaming.handle(req, res, path, rawBody);
		const data = /^\/services\/data\/([^/]+)(?:\/(.*))?$/.exec(path);
		if (data)
			return handleVersioned(
				this,
				req,
				res,
				url,
				data[1],
				(data[2] ?? '').replace(/\/$/, ''),
				rawBody,
			);
		sendJson(res, 404, NOT_FOUND);
	}

	private async token(
		req: IncomingMessage,
		res: ServerResponse,
		method: string,
		form: Record<string, string> | undefined,
		query: Record<string, string>,
	): Promise<void> {
		if (method !== 'POST') {
			// What a client that turns a redirected POST into a GET meets.
			sendJson(
				res,
				400,
				{ error: 'invalid_request', error_description: 'must use HTTP POST' },
				TOKEN_HEADERS,
			);
			return;
		}
		// Salesforce reads parameters from the query string too (servlet rules: the query comes first).
		// Only form bodies are parsed, so a JSON body carries no grant_type at all.
		const fields = { ...(form ?? {}), ...query };
		const fault = this.takeFault();
		if (fault?.kind === 'delay') {
			await this.pause(fault.ms);
			if (this.closing) return;
		} else if (fault) {
			playFault(fault, this, fields, req, res);
			return;
		}
		const answer = answerTokenRequest(this, fields, req.headers.authorization);
		if (answer.issued) this.logins++;
		else this.failedLogins++;
		sendJson(res, answer.status, answer.body, TOKEN_HEADERS);
	}

	private revokeRequest(res: ServerResponse, fields: Record<string, string>): void {
		if (fields.token && this.sessions.end(fields.token)) {
			send(res, 200, '', {});
			return;
		}
		sendJson(res, 400, { error: 'invalid_token', error_description: 'invalid token' });
	}
}
