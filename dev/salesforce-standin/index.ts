/**
 * A local stand-in for a Salesforce org's OAuth token endpoint (written to
 * /work/shared/reference/salesforce-oauth.md) and the REST API the package uses (written to
 * /work/shared/reference/salesforce-rest.md: query/queryAll, sObject rows, sObject Collections,
 * describe, limits, getUpdated/getDeleted, Composite and API request accounting; see rest/), with
 * the org's own clock (clock.ts) and transactions that commit late (rest/transactions.ts), and the
 * Streaming API at /cometd/<version> (§12: Change Data Capture and Platform Events over CometD long
 * polling; see streaming/). Tests,
 * the `npm start` demo and the benchmark use it so nothing ever reaches the real Salesforce.
 */
import type { SalesforceStandin, StandinOptions } from './types';
import { Standin } from './server';

export type {
	DemoCredentials,
	RecordedRequest,
	SalesforceStandin,
	StandinApiUsage,
	StandinApp,
	StandinEventDeliveryUsage,
	StandinFault,
	StandinGapChangeType,
	StandinOptions,
	StandinPublishedEvent,
	StandinRecord,
	StandinRestFault,
	StandinRestFaultOptions,
	StandinRetainedEvent,
	StandinStreamingClient,
	StandinStreamingCounts,
	StandinStreamingOptions,
	StandinTransaction,
	StandinUpdateOptions,
	StandinUser,
	StandinValidationRule,
} from './types';
export { DEMO_PASSWORD } from './demo';

export async function startSalesforceStandin(options: StandinOptions = {}): Promise<SalesforceStandin> {
	const standin = new Standin(options);
	await standin.listen();
	return standin;
}
