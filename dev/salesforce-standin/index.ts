/**
 * A local stand-in for a Salesforce org's OAuth token endpoint (written to
 * /work/shared/reference/salesforce-oauth.md) and the REST API the package uses (written to
 * /work/shared/reference/salesforce-rest.md: query/queryAll, sObject rows, sObject Collections,
 * describe, limits, getUpdated/getDeleted, Composite and API request accounting; see rest/), with
 * the org's own clock (clock.ts) and transactions that commit late (rest/transactions.ts), files
 * (ContentVersion uploads and blob downloads, streamed to and from disk: rest/files/), Bulk API 2.0
 * ingest and query jobs (rest/bulk/), and the Streaming API at /cometd/<version> (§12: Change Data
 * Capture and Platform Events over CometD long polling; see streaming/). Tests, the `npm start`
 * demo and the benchmark use it so nothing ever reaches the real Salesforce. types.ts documents its
 * options and test hooks.
 */
import type { SalesforceStandin, StandinOptions } from './types';
import { Standin } from './server';

export type {
	DemoCredentials,
	RecordedRequest,
	SalesforceStandin,
	StandinApiUsage,
	StandinApp,
	StandinBlobLimits,
	StandinBulkJob,
	StandinBulkJobFault,
	StandinBulkOptions,
	StandinEventDeliveryUsage,
	StandinFault,
	StandinGapChangeType,
	StandinOptions,
	StandinPublishedEvent,
	StandinRecord,
	StandinRestFault,
	StandinRestFaultOptions,
	StandinRetainedEvent,
	StandinStoredFile,
	StandinStreamingClient,
	StandinStreamingCounts,
	StandinStreamingOptions,
	StandinTransaction,
	StandinUpdateOptions,
	StandinUser,
	StandinValidationRule,
} from './types';
export { DEMO_PASSWORD } from './demo';

export async function startSalesforceStandin(
	options: StandinOptions = {},
): Promise<SalesforceStandin> {
	const standin = new Standin(options);
	await standin.listen();
	return standin;
}
