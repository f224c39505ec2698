/**
 * A local stand-in for a Salesforce org's OAuth token endpoint and a slice of its REST API, written
 * to /work/shared/reference/salesforce-oauth.md. Tests, the `npm start` demo and the benchmark use it
 * so nothing ever reaches the real Salesforce.
 */
import type { SalesforceStandin, StandinOptions } from './types';
import { Standin } from './server';

export type {
	DemoCredentials,
	RecordedRequest,
	SalesforceStandin,
	StandinApp,
	StandinFault,
	StandinOptions,
	StandinUser,
} from './types';
export { DEMO_PASSWORD } from './demo';

export async function startSalesforceStandin(options: StandinOptions = {}): Promise<SalesforceStandin> {
	const standin = new Standin(options);
	await standin.listen();
	return standin;
}
