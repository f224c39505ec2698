/**
 * Change detection for the Salesforce Trigger, free of n8n and of HTTP: every new, changed and
 * deleted record of an object, exactly once, on Salesforce's clock (see changePoll.ts for the loop a
 * node runs, readChanges.ts and readDeletions.ts for how a poll reads, changeState.ts for what it
 * keeps).
 */
export {
	DEFAULT_MAX_RECORDS_PER_POLL,
	type PollInput,
	type SampleInput,
	startPoll,
	startSample,
} from './changePoll';
export {
	CHANGE_EVENTS,
	type ChangeEvent,
	type ChangeWatch,
	type CheckedWatch,
	checkChangeWatch,
	TIMESTAMP_FIELDS,
	type TimestampField,
	type WatchLabels,
} from './changeWatch';
export {
	CHANGE_STATE_VERSION,
	ChangeKeys,
	type ChangeState,
	type FreshStart,
	loadChangeState,
	storeChangeState,
	type StoredChangeState,
} from './changeState';
export { LOST_DELETIONS_CODE } from './lostDeletions';
export type { PollOutcome, PollStep, SalesforceAnswer, SalesforceRequest } from './pollSteps';
export {
	dateHeaderTime,
	parseSalesforceDateTime,
	readableUtc,
	SalesforceClock,
} from './salesforceTime';
