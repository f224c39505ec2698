/**
 * Deletions Salesforce no longer reports. getDeleted answers for 15 days back at most, less once the
 * Recycle Bin is emptied or its deleted-records log purged ("If this value is less than endDate, the
 * call fails, and you must resync your data", SOAP API, GetDeletedResult): when the trigger's horizon
 * is older than what Salesforce still holds, the deletions in between cannot be recovered. The
 * trigger says so — which object, which window, what to do — and goes on from what is held: a gap is
 * reported, never silent.
 */
import type { CheckedWatch } from './changeWatch';
import type { LostWindow } from './changeState';
import { SalesforceRestError } from '../rest/restErrors';
import { readableUtc } from './salesforceTime';

export const LOST_DELETIONS_CODE = 'DELETIONS_NOT_RECOVERABLE';

export function errorFor(
	watch: CheckedWatch,
	window: LostWindow,
	resumedFrom: number,
): SalesforceRestError {
	const from = readableUtc(window.from);
	const to = readableUtc(window.to);
	return new SalesforceRestError(
		LOST_DELETIONS_CODE,
		`Deletions of ${watch.sobject} between ${from} and ${to} cannot be recovered: Salesforce no longer reports them.`,
		`Salesforce keeps the Ids of deleted records for 15 days at most, and for less once the Recycle Bin is emptied or its deleted-records log is purged; this trigger last read deletions before that (n8n or the workflow was stopped, or the Recycle Bin was emptied since) — or, rarely, more than 600,000 records were deleted within two minutes, more than Salesforce lists at once. ` +
			`The trigger goes on: the deletions from ${readableUtc(Math.max(resumedFrom, window.to))} on are emitted by the next polls. ` +
			`To find the ${watch.sobject} records deleted in the lost window, compare the Ids your other system holds with Salesforce's (e.g. Salesforce Action → Record → Get Many), or re-sync that object.`,
	);
}
