import type { StandinRecord, StandinUser } from '../types';
import type { StoredRecord } from './schema';
import { findObject } from './schema';
import { OBJECTS } from './objects';
import { RecordStore } from './records';
import { Dml } from './dml';
import { ApiUsage, DEFAULT_DAILY_API_REQUESTS } from './limits';
import { RestFaults } from './faults';
import { QueryCursors } from './query';
import { HookWrites } from './hookWrites';
import type { WriteObserver } from './transaction';
import { NO_OBSERVER } from './transaction';

/** Everything the REST API keeps per org: rows, rules, cursors, usage and injected faults. */

export interface RestStateOptions {
	label: string;
	/** The org's users as User rows (names come from org.ts's displayName). */
	userRows: () => StoredRecord[];
	/** Who owns seeded and test-inserted rows: the first user. */
	ownerId: () => string;
	dailyApiRequests?: number;
	seedData?: boolean;
	/** Told of every write and transaction (Change Data Capture, Platform Events). */
	observer?: WriteObserver;
}

/** Salesforce's sample accounts, tagged with the org's label (tests tell two orgs apart by it). */
const SAMPLE_ACCOUNTS = ['Edge Communications', 'Burlington Textiles Corp of America', 'Pyramid Construction Inc.'];

export class RestState {
	readonly store: RecordStore;
	readonly dml: Dml;
	readonly observer: WriteObserver;
	/** The test hooks' writes (insertRecords, updateRecords, ...). */
	readonly writes: HookWrites;
	readonly usage: ApiUsage;
	readonly faults = new RestFaults();
	readonly cursors = new QueryCursors();
	/** When the org's metadata last changed (If-Modified-Since on describe), to the second as HTTP dates go. */
	readonly metadataModifiedAt = Math.floor(Date.now() / 1000) * 1000;

	constructor(private readonly options: RestStateOptions) {
		this.store = new RecordStore(OBJECTS, { User: options.userRows });
		this.observer = options.observer ?? NO_OBSERVER;
		this.dml = new Dml(this.store, this.observer);
		this.writes = new HookWrites(this.store, this.dml, this.observer, options.ownerId);
		this.usage = new ApiUsage(options.dailyApiRequests ?? DEFAULT_DAILY_API_REQUESTS);
		this.seed();
	}

	/** Back to the seeded rows; validation rules and cursors go too. */
	reset(): void {
		this.store.clear();
		this.cursors.clear();
		this.dml.clearRules();
		this.seed();
	}

	/** All or none, with the API's rules; throws on the first refused row. */
	insert(sobject: string, records: Array<Record<string, unknown>>): string[] {
		return this.writes.insert(sobject, records);
	}

	rows(sobject: string): StandinRecord[] {
		const object = findObject(this.store.objects, sobject);
		if (!object) throw new Error(`records: the stand-in has no object '${sobject}'`);
		return this.store.all(object, true).map((row) => ({ ...row, Id: String(row.Id), IsDeleted: row.IsDeleted === true }));
	}

	private seed(): void {
		if (this.options.seedData === false) return;
		const label = this.options.label;
		const accounts = this.writes.seed(
			'Account',
			SAMPLE_ACCOUNTS.map((name, index) => ({
				Name: `${name} (${label})`,
				Type: 'Customer - Direct',
				Industry: ['Electronics', 'Apparel', 'Construction'][index],
				External_Id__c: `ACC-${index + 1}`,
			})),
		);
		this.writes.seed('Contact', [
			{ FirstName: 'Rose', LastName: 'Gonzalez', Email: 'rose.gonzalez@edge.example', AccountId: accounts[0] },
			{ FirstName: 'Jack', LastName: 'Rogers', Email: 'jack.rogers@burlington.example', AccountId: accounts[1] },
		]);
		this.writes.seed('Lead', [
			{ FirstName: 'Bertha', LastName: 'Boxer', Company: 'Farmers Coop. of Florida' },
			{ FirstName: 'Phyllis', LastName: 'Cotton', Company: 'Abbott Insurance', Status: 'Working - Contacted' },
		]);
		this.writes.seed('Invoice__c', [
			{ Name: 'INV-0001', Invoice_Number__c: 'INV-0001', Amount__c: 1200.5, Account__c: accounts[0], Due_Date__c: '2026-01-31' },
			{ Name: 'INV-0002', Invoice_Number__c: 'INV-0002', Amount__c: 89.99, Account__c: accounts[1], Paid__c: true, Due_Date__c: '2026-02-28' },
		]);
		// The org's data predates every subscriber: seeding raises no change events.
		this.observer.discard();
	}
}

/** A configured user as a User row. */
export function userRow(user: StandinUser, userId: string, name: { first: string; last: string; full: string }): StoredRecord {
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
