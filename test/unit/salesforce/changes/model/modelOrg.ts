/**
 * An in-memory Salesforce org, as Salesforce documents it — the model the change trigger's core is
 * proven against. It answers the requests a poll asks for (Composite, query pages, the versions list)
 * and keeps the history a checker needs.
 *
 * - Audit stamps (CreatedDate, SystemModstamp, LastModifiedDate, deletion) are to the second, and a
 *   change is stamped when its transaction STARTS but visible only once it COMMITS. An automation's
 *   change moves SystemModstamp only. A deletion moves SystemModstamp (and LastModifiedDate), puts
 *   the row in the Recycle Bin (queryAll, IsDeleted = true) and an entry in the deleted-records log.
 * - getUpdated / getDeleted: seconds of start and end ignored; start before end (getDeleted: by more
 *   than a minute); 30 / 15 days back; EXCEEDED_ID_LIMIT past `idLimit` Ids; latestDateCovered =
 *   min(end, the start of the oldest open transaction floored to the minute) — and, when
 *   `coveredClampedToNow`, not after now either (the REST guide's example shows that clamp, its
 *   reference does not promise it: the model runs both ways). getDeleted's earliestDateAvailable is
 *   the purge point; a start before it is refused with INVALID_REPLICATION_DATE, or answered with
 *   earliestDateAvailable after the start (`refuseStartBeforePurge`: the documents say both).
 * - Queries: a snapshot at the moment they run, in pages of `pageSize` with `nextRecordsUrl`, a
 *   stable order (ORDER BY, then Id); datetime literals only as SOQL documents them.
 * - Composite: subrequests run in order, the whole counts as ONE API request; `between` runs
 *   between subrequests and before each page (other users' work while a poll is under way).
 * - The `Date` header of every answer is the org's clock, floored to the second.
 */
import type { SalesforceAnswer, SalesforceRequest } from '../../../../../nodes/salesforce';
import { matches, type ModelValue, parseModelQuery } from './modelSoql';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const floorMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/** `2026-12-04T10:00:07.000+0000`, as the REST API writes datetimes. */
export function apiDateTime(ms: number): string {
	return new Date(ms).toISOString().replace('Z', '+0000');
}

export interface Version {
	/** Global order of commits. */
	seq: number;
	id: string;
	Name: string;
	Rating: string;
	CreatedDate: number;
	SystemModstamp: number;
	LastModifiedDate: number;
	IsDeleted: boolean;
	/** Tick of the commit that made it current, and of the one that replaced it (or purged it). */
	committedTick: number;
	endedTick: number;
}

export interface LogEntry {
	id: string;
	deletedDate: number;
	committedTick: number;
	purgedTick: number;
}

type Operation =
	| { kind: 'create'; id: string; rating: string }
	| { kind: 'update'; id: string; rating: string; automation: boolean }
	| { kind: 'delete'; id: string }
	| { kind: 'undelete'; id: string };

interface Transaction {
	start: number;
	operations: Operation[];
}

export interface ModelOptions {
	start: number;
	pageSize?: number;
	coveredClampedToNow?: boolean;
	refuseStartBeforePurge?: boolean;
}

const FIELDS = [
	'Id',
	'Name',
	'Rating',
	'CreatedDate',
	'SystemModstamp',
	'LastModifiedDate',
	'IsDeleted',
];

export class ModelOrg {
	now: number;
	tick = 0;
	pageSize: number;
	idLimit = 600_000;
	readonly coveredClampedToNow: boolean;
	readonly refuseStartBeforePurge: boolean;
	/** Committed current versions: live records and the Recycle Bin's rows. */
	readonly current = new Map<string, Version>();
	readonly versions: Version[] = [];
	readonly log: LogEntry[] = [];
	/** Purge points of the deleted-records log, with their tick. */
	readonly purges: Array<{ upTo: number; tick: number }> = [];
	readonly open = new Map<number, Transaction>();
	/** Counted API requests (the versions list is not counted). */
	requests = 0;
	composites = 0;
	pages = 0;
	/** Answers a poll handles itself (EXCEEDED_ID_LIMIT, INVALID_REPLICATION_DATE), counted; the first alone too. */
	refusals = 0;
	idLimitRefusals = 0;
	/** Rows each query cursor holds, and how many pages of it were asked for. */
	readonly cursors = new Map<string, { rows: object[]; served: number }>();
	between: () => void = () => undefined;
	private nextId = 1;
	private nextTransaction = 1;
	private nextCursor = 1;
	private seq = 0;

	constructor(options: ModelOptions) {
		this.now = options.start;
		this.pageSize = options.pageSize ?? 2000;
		this.coveredClampedToNow = options.coveredClampedToNow ?? true;
		this.refuseStartBeforePurge = options.refuseStartBeforePurge ?? false;
	}

	// ---------------------------------------------------------------------------------------------
	// What users and automation do

	newId(): string {
		return `001${String(this.nextId++).padStart(12, '0')}AAA`;
	}

	begin(): number {
		const id = this.nextTransaction++;
		this.open.set(id, { start: this.now, operations: [] });
		this.tick++;
		return id;
	}

	/** One operation, in an open transaction or committed at once. */
	run(operation: Operation, transaction?: number): void {
		const target = transaction === undefined ? undefined : this.open.get(transaction);
		if (target) {
			target.operations.push(operation);
			return;
		}
		this.apply({ start: this.now, operations: [operation] });
	}

	commit(transaction: number): void {
		const open = this.open.get(transaction);
		if (!open) return;
		this.open.delete(transaction);
		this.apply(open);
	}

	private apply(transaction: Transaction): void {
		this.tick++;
		const stamp = floorSecond(transaction.start);
		for (const operation of transaction.operations) {
			const before = this.current.get(operation.id);
			let next: Omit<Version, 'seq' | 'committedTick' | 'endedTick'> | undefined;
			if (operation.kind === 'create' && !before) {
				next = {
					id: operation.id,
					Name: `Record ${operation.id.slice(3, 15).replace(/^0+/, '')}`,
					Rating: operation.rating,
					CreatedDate: stamp,
					SystemModstamp: stamp,
					LastModifiedDate: stamp,
					IsDeleted: false,
				};
			} else if (operation.kind === 'update' && before && !before.IsDeleted) {
				next = {
					...before,
					Rating: operation.rating,
					SystemModstamp: stamp,
					LastModifiedDate: operation.automation ? before.LastModifiedDate : stamp,
				};
			} else if (operation.kind === 'delete' && before && !before.IsDeleted) {
				next = { ...before, IsDeleted: true, SystemModstamp: stamp, LastModifiedDate: stamp };
				this.log.push({
					id: before.id,
					deletedDate: stamp,
					committedTick: this.tick,
					purgedTick: Infinity,
				});
			} else if (operation.kind === 'undelete' && before && before.IsDeleted) {
				next = { ...before, IsDeleted: false, SystemModstamp: stamp, LastModifiedDate: stamp };
			}
			if (!next) continue;
			if (before) before.endedTick = this.tick;
			const version: Version = {
				...next,
				seq: this.seq++,
				committedTick: this.tick,
				endedTick: Infinity,
			};
			this.current.set(version.id, version);
			this.versions.push(version);
		}
	}

	/** Empties the Recycle Bin (of some records): queryAll no longer returns them; the log keeps its entries. */
	emptyRecycleBin(ids?: readonly string[]): void {
		this.tick++;
		for (const version of [...this.current.values()]) {
			if (!version.IsDeleted || (ids && !ids.includes(version.id))) continue;
			version.endedTick = this.tick;
			this.current.delete(version.id);
		}
	}

	/** Purges the deleted-records log up to a time: getDeleted no longer reports those deletions. */
	purgeLog(upTo: number): void {
		this.tick++;
		for (const entry of this.log)
			if (entry.deletedDate <= upTo && entry.purgedTick === Infinity) entry.purgedTick = this.tick;
		this.purges.push({ upTo, tick: this.tick });
	}

	get earliestDateAvailable(): number {
		return Math.max(floorMinute(this.now - 15 * DAY), ...this.purges.map((purge) => purge.upTo));
	}

	advance(ms: number): void {
		this.now += ms;
		this.tick++;
	}

	// ---------------------------------------------------------------------------------------------
	// What the API answers

	private date(): string {
		return new Date(floorSecond(this.now)).toUTCString();
	}

	versionsList(): SalesforceAnswer {
		return { body: [{ version: '62.0', url: '/services/data/v62.0' }], date: this.date() };
	}

	handle(request: SalesforceRequest): SalesforceAnswer {
		this.requests++;
		this.tick++;
		if (request.method === 'POST' && request.path === '/services/data/v62.0/composite') {
			this.composites++;
			const body = request.body as {
				allOrNone: boolean;
				compositeRequest: Array<{ method: string; url: string; referenceId: string }>;
			};
			if (body.allOrNone !== false || body.compositeRequest.length > 25)
				throw new Error('a Composite request the model does not expect');
			const compositeResponse = body.compositeRequest.map((subrequest, index) => {
				if (index > 0) this.between();
				this.tick++;
				const { status, body: answer } = this.subrequest(subrequest.method, subrequest.url);
				return {
					body: answer,
					httpHeaders: {},
					httpStatusCode: status,
					referenceId: subrequest.referenceId,
				};
			});
			return { body: { compositeResponse }, date: this.date() };
		}
		const page = /^\/services\/data\/v62\.0\/query\/(01gMODEL\d+)-(\d+)$/.exec(request.path);
		if (request.method === 'GET' && page) {
			this.pages++;
			this.between();
			const cursor = this.cursors.get(page[1]);
			if (!cursor) throw new Error(`no cursor ${page[1]}`);
			return { body: this.page(page[1], Number(page[2])), date: this.date() };
		}
		throw new Error(`the model has no ${request.method} ${request.path}`);
	}

	private subrequest(method: string, url: string): { status: number; body: unknown } {
		if (method !== 'GET') throw new Error(`subrequest ${method} ${url}`);
		const parsed = new URL(url, 'https://model.example');
		const window = /^\/services\/data\/v62\.0\/sobjects\/Account\/(updated|deleted)\/$/.exec(
			parsed.pathname,
		);
		if (window) {
			const start = Date.parse(parsed.searchParams.get('start') ?? '');
			const end = Date.parse(parsed.searchParams.get('end') ?? '');
			return window[1] === 'updated'
				? this.getUpdated(floorMinute(start), floorMinute(end))
				: this.getDeleted(floorMinute(start), floorMinute(end));
		}
		if (/^\/services\/data\/v62\.0\/sobjects\/[^/]+\/(updated|deleted)\/$/.test(parsed.pathname)) {
			return {
				status: 404,
				body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
			};
		}
		const query = /^\/services\/data\/v62\.0\/(query|queryAll)\/$/.exec(parsed.pathname);
		if (query) return this.query(parsed.searchParams.get('q') ?? '', query[1] === 'queryAll');
		throw new Error(`the model has no subrequest ${url}`);
	}

	private refuse(errorCode: string, message: string): { status: number; body: unknown } {
		if (errorCode === 'EXCEEDED_ID_LIMIT' || errorCode === 'INVALID_REPLICATION_DATE')
			this.refusals++;
		if (errorCode === 'EXCEEDED_ID_LIMIT') this.idLimitRefusals++;
		return { status: 400, body: [{ errorCode, message }] };
	}

	private covered(end: number): number {
		let covered = end;
		if (this.coveredClampedToNow) covered = Math.min(covered, floorMinute(this.now));
		for (const transaction of this.open.values())
			covered = Math.min(covered, floorMinute(transaction.start));
		return covered;
	}

	private getUpdated(start: number, end: number): { status: number; body: unknown } {
		if (!(start < end))
			return this.refuse(
				'INVALID_REPLICATION_DATE',
				'startDate must chronologically precede endDate',
			);
		if (start < this.now - 30 * DAY)
			return this.refuse('INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
		const ids = [...this.current.values()]
			.filter((v) => !v.IsDeleted && v.SystemModstamp >= start && v.SystemModstamp < end)
			.map((v) => v.id);
		if (ids.length > this.idLimit) return this.refuse('EXCEEDED_ID_LIMIT', 'too many ids');
		return { status: 200, body: { ids, latestDateCovered: apiDateTime(this.covered(end)) } };
	}

	private getDeleted(start: number, end: number): { status: number; body: unknown } {
		if (!(end - start > MINUTE))
			return this.refuse(
				'INVALID_REPLICATION_DATE',
				'startDate must precede endDate by more than one minute',
			);
		if (start < this.now - 15 * DAY)
			return this.refuse('INVALID_REPLICATION_DATE', 'startDate cannot be more than 15 days ago');
		const earliest = this.earliestDateAvailable;
		if (start < earliest && this.refuseStartBeforePurge)
			return this.refuse('INVALID_REPLICATION_DATE', 'the Recycle Bin was purged after startDate');
		const entries = this.log.filter(
			(entry) =>
				entry.purgedTick === Infinity && entry.deletedDate >= start && entry.deletedDate < end,
		);
		if (entries.length > this.idLimit) return this.refuse('EXCEEDED_ID_LIMIT', 'too many ids');
		return {
			status: 200,
			body: {
				deletedRecords: entries.map((entry) => ({
					id: entry.id,
					deletedDate: apiDateTime(entry.deletedDate),
				})),
				earliestDateAvailable: apiDateTime(earliest),
				latestDateCovered: apiDateTime(this.covered(end)),
			},
		};
	}

	render(version: Version, fields: readonly string[]): Record<string, unknown> {
		const row: Record<string, unknown> = {
			attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${version.id}` },
		};
		for (const field of fields) row[field] = this.valueOf(version, field, 'text');
		return row;
	}

	private valueOf(version: Version, field: string, form: 'text' | 'compare'): ModelValue {
		if (field === 'Id') return version.id;
		const value = version[field as keyof Version];
		if (field === 'CreatedDate' || field === 'SystemModstamp' || field === 'LastModifiedDate')
			return form === 'text' ? apiDateTime(value as number) : (value as number);
		return value as ModelValue;
	}

	private query(soql: string, all: boolean): { status: number; body: unknown } {
		let parsed;
		try {
			parsed = parseModelQuery(soql);
		} catch (error) {
			return {
				status: 400,
				body: [{ errorCode: 'MALFORMED_QUERY', message: (error as Error).message }],
			};
		}
		if (parsed.sobject !== 'Account')
			return {
				status: 400,
				body: [
					{
						errorCode: 'INVALID_TYPE',
						message: `sObject type '${parsed.sobject}' is not supported.`,
					},
				],
			};
		const unknown = [
			...parsed.fields,
			...parsed.where.map((w) => w.field),
			...parsed.orderBy.map((o) => o.field),
		].find((field) => !FIELDS.includes(field));
		if (unknown)
			return {
				status: 400,
				body: [
					{
						errorCode: 'INVALID_FIELD',
						message: `No such column '${unknown}' on entity 'Account'.`,
						fields: [unknown],
					},
				],
			};
		let rows = [...this.current.values()].filter((v) => all || !v.IsDeleted);
		try {
			rows = rows.filter((v) =>
				matches((field) => this.valueOf(v, field, 'compare'), parsed.where),
			);
		} catch (error) {
			return {
				status: 400,
				body: [{ errorCode: 'MALFORMED_QUERY', message: (error as Error).message }],
			};
		}
		const keys = [
			...parsed.orderBy,
			...(parsed.orderBy.some((o) => o.field === 'Id') ? [] : [{ field: 'Id', descending: false }]),
		];
		rows.sort((a, b) => {
			for (const key of keys) {
				const left = this.valueOf(a, key.field, 'compare') as string | number;
				const right = this.valueOf(b, key.field, 'compare') as string | number;
				if (left !== right) return (left < right ? -1 : 1) * (key.descending ? -1 : 1);
			}
			return 0;
		});
		if (parsed.limit !== undefined) rows = rows.slice(0, parsed.limit);
		const locator = `01gMODEL${this.nextCursor++}`;
		this.cursors.set(locator, { rows: rows.map((v) => this.render(v, parsed.fields)), served: 0 });
		return { status: 200, body: this.page(locator, 0) };
	}

	private page(locator: string, offset: number): unknown {
		const cursor = this.cursors.get(locator)!;
		const records = cursor.rows.slice(offset, offset + this.pageSize);
		cursor.served = Math.max(cursor.served, offset + records.length);
		const done = offset + records.length >= cursor.rows.length;
		return {
			totalSize: cursor.rows.length,
			done,
			...(done
				? {}
				: { nextRecordsUrl: `/services/data/v62.0/query/${locator}-${offset + records.length}` }),
			records,
		};
	}
}
