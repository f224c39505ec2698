import type { StandinRecord, StandinUser } from '../types';
import type { StoredRecord, WriteContext } from './schema';
import { apiDateTime, findObject } from './schema';
import { OBJECTS } from './objects';
import { RecordStore } from './records';
import { Dml, parseFields } from './dml';
import type { Undo } from './records';
import { ApiUsage, DEFAULT_DAILY_API_REQUESTS } from './limits';
import { RestFaults } from './faults';
import { QueryCursors } from './query';
import { RestError } from './errors';

/** Everything the REST API keeps per org: rows, rules, cursors, usage and injected faults. */

export interface RestStateOptions {
	label: string;
	/** The org's users as User rows (names come from org.ts's displayName). */
	userRows: () => StoredRecord[];
	/** Who owns seeded and test-inserted rows: the first user. */
	ownerId: () => string;
	dailyApiRequests?: number;
	seedData?: boolean;
	/** Rows kept from an earlier run (instead of the seeded ones). */
	restoredRows?: Record<string, StoredRecord[]>;
}

/** Salesforce's sample accounts, tagged with the org's label (tests tell two orgs apart by it). */
const SAMPLE_ACCOUNTS = ['Edge Communications', 'Burlington Textiles Corp of America', 'Pyramid Construction Inc.'];

export class RestState {
	readonly store: RecordStore;
	readonly dml: Dml;
	readonly usage: ApiUsage;
	readonly faults = new RestFaults();
	readonly cursors = new QueryCursors();
	/** When the org's metadata last changed (If-Modified-Since on describe), to the second as HTTP dates go. */
	readonly metadataModifiedAt = Math.floor(Date.now() / 1000) * 1000;

	constructor(private readonly options: RestStateOptions) {
		this.store = new RecordStore(OBJECTS, { User: options.userRows });
		this.dml = new Dml(this.store);
		this.usage = new ApiUsage(options.dailyApiRequests ?? DEFAULT_DAILY_API_REQUESTS);
		if (options.restoredRows) this.store.load(options.restoredRows);
		else this.seed();
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
		const object = findObject(this.store.objects, sobject);
		if (!object) throw new Error(`insertRecords: the stand-in has no object '${sobject}'`);
		const context: WriteContext = { userId: this.options.ownerId(), now: apiDateTime(new Date()) };
		const undos: Undo[] = [];
		const ids: string[] = [];
		try {
			records.forEach((record, index) => {
				const result = this.dml.create(object, parseFields(object, record), context);
				if (!result.ok) throw new Error(`insertRecords(${object.name}) row ${index}: ${result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`);
				undos.push(result.undo);
				ids.push(result.id);
			});
		} catch (error) {
			for (const undo of undos.reverse()) undo();
			if (error instanceof RestError) throw new Error(`insertRecords(${object.name}): ${error.message}`);
			throw error;
		}
		return ids;
	}

	rows(sobject: string): StandinRecord[] {
		const object = findObject(this.store.objects, sobject);
		if (!object) throw new Error(`records: the stand-in has no object '${sobject}'`);
		return this.store.all(object, true).map((row) => ({ ...row, Id: String(row.Id), IsDeleted: row.IsDeleted === true }));
	}

	private seed(): void {
		if (this.options.seedData === false) return;
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
			{ FirstName: 'Rose', LastName: 'Gonzalez', Email: 'rose.gonzalez@edge.example', AccountId: accounts[0] },
			{ FirstName: 'Jack', LastName: 'Rogers', Email: 'jack.rogers@burlington.example', AccountId: accounts[1] },
		]);
		this.insert('Lead', [
			{ FirstName: 'Bertha', LastName: 'Boxer', Company: 'Farmers Coop. of Florida' },
			{ FirstName: 'Phyllis', LastName: 'Cotton', Company: 'Abbott Insurance', Status: 'Working - Contacted' },
		]);
		this.insert('Invoice__c', [
			{ Name: 'INV-0001', Invoice_Number__c: 'INV-0001', Amount__c: 1200.5, Account__c: accounts[0], Due_Date__c: '2026-01-31' },
			{ Name: 'INV-0002', Invoice_Number__c: 'INV-0002', Amount__c: 89.99, Account__c: accounts[1], Paid__c: true, Due_Date__c: '2026-02-28' },
		]);
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
