/** Runs Salesforce Action operations through n8n-core against a stand-in, and reads what it received. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../../dev/salesforce-standin';
import { CredentialStore } from '../../../support/n8n-harness';
import type { RunNodeResult } from '../../../support/n8n-harness';
import { runSalesforceAction, storedCredential } from '../../../support/fixtures';

export const API_PREFIX = '/services/data/v62.0/';

export async function runOperation(
	sf: SalesforceStandin,
	parameters: INodeParameters,
	options: {
		items?: INodeExecutionData[];
		continueOnFail?: boolean;
		store?: CredentialStore;
		typeVersion?: number;
		abortSignal?: AbortSignal;
	} = {},
): Promise<RunNodeResult & { json: IDataObject[] }> {
	const result = await runSalesforceAction({
		credential: storedCredential(sf),
		store: options.store ?? new CredentialStore(),
		parameters,
		items: options.items,
		continueOnFail: options.continueOnFail,
		typeVersion: options.typeVersion,
		abortSignal: options.abortSignal,
	});
	return { ...result, json: (result.output[0] ?? []).map((item) => item.json) };
}

/** REST requests the stand-in received (logins excluded), as "METHOD path". */
export function restRequests(sf: SalesforceStandin): string[] {
	return sf.requests
		.filter((request) => request.path.startsWith('/services/data/'))
		.map((request) => `${request.method} ${request.path}`);
}

export const object = (name: string) => ({ __rl: true, mode: 'name', value: name });

/** The error of the first item of a continue-on-fail run (the node's error item), as message + description. */
export function failureOf(result: { json: IDataObject[] }): {
	message: string;
	description?: string;
} {
	const failed = result.json.find((json) => json.error !== undefined);
	if (!failed) throw new Error(`No item failed: ${JSON.stringify(result.json).slice(0, 300)}`);
	return {
		message: String(failed.error),
		description: failed.errorDescription as string | undefined,
	};
}
