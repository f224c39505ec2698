/**
 * The stand-in's test hooks for records: seeding the records the query scenario reads and counting
 * those the create scenario writes, without a request (so nothing of it counts as an API request).
 */
import type { SalesforceStandin } from '../salesforce-standin';

export interface StandinRecords {
	/** Puts records of `sobject` into the org, with the API's rules (ids are the stand-in's). */
	seed(sobject: string, records: Array<Record<string, unknown>>): void;
	/** Live records of `sobject` the org holds now (the Recycle Bin not counted). */
	count(sobject: string): number;
}

export function standinRecords(standin: SalesforceStandin): StandinRecords {
	if (typeof standin.insertRecords !== 'function' || typeof standin.records !== 'function') {
		throw new Error(
			'The Salesforce stand-in has no test hooks for records (insertRecords, records in dev/salesforce-standin/types.ts): ' +
				'the query scenario seeds its records through them, and the create scenario counts what was written. Nothing was measured.',
		);
	}
	return {
		seed: (sobject, records) => {
			// In slices, so one refused row names itself without a 10,000-row message.
			for (let start = 0; start < records.length; start += 2000)
				standin.insertRecords(sobject, records.slice(start, start + 2000));
		},
		count: (sobject) => standin.records(sobject).filter((record) => !record.IsDeleted).length,
	};
}
