/**
 * A local stand-in for a Salesforce org's OAuth token endpoint (written to
 * /work/shared/reference/salesforce-oauth.md) and the REST API the package uses (written to
 * /work/shared/reference/salesforce-rest.md: query/queryAll, sObject rows, sObject Collections,
 * describe, limits and API request accounting; files: ContentVersion uploads and blob downloads,
 * streamed to and from disk (rest/files/); Bulk API 2.0 ingest and query jobs (rest/bulk/); see
 * rest/). Tests, the `npm start` demo and the benchmark use it so nothing ever reaches the real
 * Salesforce. types.ts documents its options and test hooks.
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
	StandinFault,
	StandinOptions,
	StandinRecord,
	StandinRestFault,
	StandinRestFaultOptions,
	StandinStoredFile,
	StandinUser,
	StandinValidationRule,
} from './types';
export { DEMO_PASSWORD } from './demo';

export async function startSalesforceStandin(options: StandinOptions = {}): Promise<SalesforceStandin> {
	const standin = new Standin(options);
	await standin.listen();
	return standin;
}
