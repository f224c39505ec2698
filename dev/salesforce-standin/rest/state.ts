import type {
	StandinBlobLimits,
	StandinBulkOptions,
	StandinRecord,
	StandinStoredFile,
	StandinUpdateOptions,
	StandinUser,
} from '../types';
import type { ObjectDef, StoredRecord, WriteContext } from './schema';
import { findObject } from './schema';
import { idKey } from './values';
import { OBJECTS } from './objects';
import { RecordStore } from './records';
import { Dml, parseFields } from './dml';
import { ApiUsage, DEFAULT_DAILY_API_REQUESTS } from './limits';
import { RestFaults } from './faults';
import { QueryCursors } from './query';
import { ReplicationState } from './replication';
import type { TransactionHost } from './transactions';
import { Transaction } from './transactions';
import type { EventPublisher, WriteObserver } from './writeObserver';
import { HOOK_ORIGIN, NO_OBSERVER } from './writeObserver';
import type { OrgClock } from '../clock';
import { auditDateTime, dateTimeMs, floorToSecond } from '../clock';
import { BlobStore } from './files/blobs';
import { DEFAULT_BLOB_LIMITS } from './files/upload';
import { UploadFaults } from './uploadFaults';
import { BulkJobs } from './bulk/jobs';
import type { SyntheticFields } from './synthetic';
import { syntheticRows, syntheticTag } from './synthetic';

/**
 * Everything the REST API keeps per org: rows, rules, cursors, usage, injected faults, open
 * transactions, what the replication resources remember, stored files and Bulk API jobs.
 */

export interface RestStateOptions {
	label: string;
	clock: OrgClock;
	/** The org's users as User rows (names come from org.ts's displayName). */
	userRows: () => StoredRecord[];
	/** Who owns seeded and test-inserted rows: the first user. */
	ownerId: () => string;
	dailyApiRequests?: number;
	seedData?: boolean;
	/** Told of every committed write and published platform event (the Streaming API's events). */
	observer?: WriteObserver & EventPublisher;
	blobLimits?: Partial<StandinBlobLimits>;
	bulk?: Partial<StandinBulkOptions>;
	/** Rows kept from an earlier run (instead of the seeded ones). */
	restoredRows?: Record<string, StoredRecord[]>;
}

/** Salesforce's sample accounts, tagged with the org's label (tests tell two orgs apart by it). */
const SAMPLE_ACCOUNTS = [
	'Edge Communications',
	'Burlington Textiles Corp of America',
	'Pyramid Construction Inc.',
];

export class RestState implements TransactionHost {
	readonly store: RecordStore;
	readonly dml: Dml;
	readonly usage: ApiUsage;
	readonly faults = new RestFaults();
	readonly cursors = new QueryCursors();
	readonly replication = new ReplicationState();
	/** When the org's metadata last changed (If-Modified-Since on describe), to the second as HTTP dates go. */
	readonly metadataModifiedAt: number;
	private readonly open = new Set<Transaction>();
	readonly observer: WriteObserver & EventPublisher;
	private seeding = false;
	/** Blob bytes, as files (files/blobs.ts). */
	readonly blobs = new BlobStore();
	readonly blobLimits: StandinBlobLimits;
	readonly uploadFaults = new UploadFaults();
	/** Bulk API 2.0 jobs and their data on disk. */
	readonly bulk: BulkJobs;
	/** How many synthetic seeds each object has had (their ids carry the count as a tag). */
	private readonly syntheticSeeds = new Map<string, number>();

	constructor(private readonly options: RestStateOptions) {
		this.metadataModifiedAt = floorToSecond(options.clock.now());
		this.store = new RecordStore(OBJECTS, { User: options.userRows });
		this.observer = options.observer ?? NO_OBSERVER;
		this.store.observer = this.observer;
		this.dml = new Dml(this.store, [], this.observer);
		this.usage = new ApiUsage(options.dailyApiRequests ?? DEFAULT_DAILY_API_REQUESTS);
		this.blobLimits = { ...DEFAULT_BLOB_LIMITS, ...options.blobLimits };
		this.bulk = new BulkJobs(options.clock, options.bulk);
		if (options.restoredRows) this.store.load(options.restoredRows);
		else this.seed();
	}

	/**
	 * Back to the seeded rows; validation rules, cursors, open transactions, purge marks, stored
	 * files, Bulk jobs and synthetic rows go too.
	 */
	reset(): void {
		for (const transaction of [...this.open]) transaction.abandon();
		this.store.clear();
		this.cursors.clear();
		this.dml.clearRules();
		this.replication.clear();
		this.blobs.clear();
		this.bulk.clear();
		this.syntheticSeeds.clear();
		this.seed();
	}

	/** Every blob file on disk, with the record that owns it (see StandinStoredFile). */
	storedFiles(): StandinStoredFile[] {
		const owners = new Map<string, { sobject: string; recordId: string; field: string }>();
		for (const object of this.store.objects) {
			const blobs = object.fields.filter((field) => field.type === 'base64');
			if (blobs.length === 0) continue;
			for (const row of this.store.all(object, true)) {
				for (const field of blobs) {
					const key = row[field.name];
					if (typeof key === 'string')
						owners.set(key, { sobject: object.name, recordId: String(row.Id), field: field.name });
				}
			}
		}
		return this.blobs.onDisk().map((file) => ({
			...owners.get(file.key),
			bytes: file.bytes,
			md5: file.md5,
			sha256: file.sha256,
			path: file.path,
		}));
	}

	/** Frees what outlives the server: stored files, Bulk job data and the jobs' timers. */
	close(): void {
		this.blobs.clear();
		this.bulk.clear();
	}

	/**
	 * `count` synthetic rows (synthetic.ts) behind the stored ones, checked like an insert with the
	 * first row's fields. Returns how to name them. Seeding is no change: no change events.
	 */
	seedSynthetic(
		sobject: string,
		count: number,
		fields: SyntheticFields,
	): { idOf(index: number): string } {
		const object = findObject(this.store.objects, sobject);
		if (!object || object.name === 'User' || object.platformEvent)
			throw new Error(`seedSyntheticRecords: the stand-in has no writable object '${sobject}'`);
		if (!Number.isSafeInteger(count) || count < 0)
			throw new Error(`seedSyntheticRecords: count must be a whole number, got ${count}`);
		const context: WriteContext = {
			userId: this.options.ownerId(),
			now: auditDateTime(this.options.clock.now()),
		};
		const seed = this.syntheticSeeds.get(object.name) ?? 0;
		const rows = syntheticRows(object, count, syntheticTag(seed), fields, context);
		if (count > 0) {
			// The first row must pass the API's rules; the others are built the same way.
			const check = this.dml.create(object, parseFields(object, fields(0)), context);
			if (check.ok) check.undo();
			this.observer.discard();
			if (!check.ok)
				throw new Error(
					`seedSyntheticRecords(${object.name}): ${check.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`,
				);
			rows.row(0);
		}
		this.syntheticSeeds.set(object.name, seed + 1);
		this.store.addSynthetic(object, rows);
		return { idOf: (index) => rows.idOf(index) };
	}

	// ---- TransactionHost ----

	ownerId(): string {
		return this.options.ownerId();
	}

	now(): number {
		return this.options.clock.now();
	}

	opened(transaction: Transaction): void {
		this.open.add(transaction);
	}

	closed(transaction: Transaction): void {
		this.open.delete(transaction);
		// A committed transaction put its rows into the org's store just now: they are its changes.
		// The org's seeded data predates every subscriber: no change events for it.
		if (this.seeding) this.observer.discard();
		else this.observer.commit(HOOK_ORIGIN);
	}

	/** The start of the oldest open transaction, in milliseconds: what holds latestDateCovered back. */
	oldestOpenTransactionStart(): number | undefined {
		const starts = [...this.open].map((transaction) => transaction.startedAtMs);
		return starts.length > 0 ? Math.min(...starts) : undefined;
	}

	// ---- test hooks ----

	beginTransaction(): Transaction {
		return new Transaction(this);
	}

	/** All or none, with the API's rules; throws on the first refused row. */
	insert(sobject: string, records: Array<Record<string, unknown>>): string[] {
		return this.atOnce((transaction) => transaction.insert(sobject, records));
	}

	update(
		sobject: string,
		records: Array<Record<string, unknown>>,
		options?: StandinUpdateOptions,
	): void {
		this.atOnce((transaction) => transaction.update(sobject, records, options));
	}

	delete(sobject: string, ids: string[]): void {
		this.atOnce((transaction) => transaction.delete(sobject, ids));
	}

	undelete(sobject: string, ids: string[]): void {
		this.atOnce((transaction) => transaction.undelete(sobject, ids));
	}

	/**
	 * Empties the object's Recycle Bin (only the given ids, when any): the rows are gone for good,
	 * queryAll no longer finds them, and getDeleted can no longer answer for anything before the
	 * latest of their deletions.
	 */
	emptyRecycleBin(sobject: string, ids?: string[]): void {
		const object = this.object('emptyRecycleBin', sobject);
		const wanted = ids && new Set(ids.map(idKey));
		const purged = this.store
			.all(object, true)
			.filter((row) => row.IsDeleted === true && (!wanted || wanted.has(idKey(String(row.Id)))));
		for (const row of purged) this.store.remove(object, String(row.Id));
		this.replication.purged(
			object,
			purged.map((row) => dateTimeMs(String(row.SystemModstamp))),
		);
	}

	setEarliestDateAvailable(sobject: string, at: Date | string): void {
		const ms = typeof at === 'string' ? dateTimeMs(at) : at.getTime();
		if (Number.isNaN(ms))
			throw new Error(`setEarliestDateAvailable: '${String(at)}' is not a date`);
		this.replication.setEarliestDateAvailable(this.object('setEarliestDateAvailable', sobject), ms);
	}

	rows(sobject: string): StandinRecord[] {
		const object = this.object('records', sobject);
		return this.store
			.all(object, true)
			.map((row) => ({ ...row, Id: String(row.Id), IsDeleted: row.IsDeleted === true }));
	}

	private object(action: string, sobject: string): ObjectDef {
		const object = findObject(this.store.objects, sobject);
		if (!object) throw new Error(`${action}: the stand-in has no object '${sobject}'`);
		return object;
	}

	/** A transaction committed at once: the hooks that write now. */
	private atOnce<T>(work: (transaction: Transaction) => T): T {
		const transaction = this.beginTransaction();
		try {
			const result = work(transaction);
			transaction.commit();
			return result;
		} catch (error) {
			transaction.abandon();
			throw error;
		}
	}

	private seed(): void {
		if (this.options.seedData === false) return;
		this.seeding = true;
		try {
			this.seedRows();
		} finally {
			this.seeding = false;
		}
	}

	private seedRows(): void {
		const label = this.options.label;
		const accounts = this.insert(
			'Account',
			SAMPLE_ACCOUNTS.map((name, index) => ({
				Name: `${name} (${label})`,
				Type: 'Customer - Direct',
				Industry: ['Electronics', 'Apparel', 'Construction'][index],
				External_Id__c: `ACC-${index + 1}`,
			})),
		);
		this.insert('Contact', [
			{
				FirstName: 'Rose',
				LastName: 'Gonzalez',
				Email: 'rose.gonzalez@edge.example',
				AccountId: accounts[0],
			},
			{
				FirstName: 'Jack',
				LastName: 'Rogers',
				Email: 'jack.rogers@burlington.example',
				AccountId: accounts[1],
			},
		]);
		this.insert('Lead', [
			{ FirstName: 'Bertha', LastName: 'Boxer', Company: 'Farmers Coop. of Florida' },
			{
				FirstName: 'Phyllis',
				LastName: 'Cotton',
				Company: 'Abbott Insurance',
				Status: 'Working - Contacted',
			},
		]);
		this.insert('Invoice__c', [
			{
				Name: 'INV-0001',
				Invoice_Number__c: 'INV-0001',
				Amount__c: 1200.5,
				Account__c: accounts[0],
				Due_Date__c: '2026-01-31',
			},
			{
				Name: 'INV-0002',
				Invoice_Number__c: 'INV-0002',
				Amount__c: 89.99,
				Account__c: accounts[1],
				Paid__c: true,
				Due_Date__c: '2026-02-28',
			},
		]);
	}
}

/** A configured user as a User row. */
export function userRow(
	user: StandinUser,
	userId: string,
	name: { first: string; last: string; full: string },
): StoredRecord {
	return {
		Id: userId,
		Username: user.username,
		Name: name.full,
		FirstName: name.first,
		LastName: name.last,
		Email: user.username,
		IsActive: user.status !== 'inactive',
	};
}
