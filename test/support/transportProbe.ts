/**
 * A tiny node for the client's tests: its execute runs the given function in n8n-core's real
 * ExecuteContext (with the package's credential selected) and outputs what it returns, so the
 * client is tested exactly as the Salesforce Action node uses it.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import type { SalesforceStandin } from '../../dev/salesforce-standin';
import { credentialType, storedCredential } from './fixtures';
import { CredentialStore, runNode } from './n8n-harness';
import type { RunNodeResult, StoredCredential } from './n8n-harness';

export type ProbeBody = (this: IExecuteFunctions) => Promise<unknown>;

export function transportProbe(body: ProbeBody): INodeType {
	return {
		description: {
			displayName: 'Transport Probe',
			name: 'transportProbe',
			group: ['transform'],
			version: 1,
			description: 'Runs a client function in a real execution context',
			defaults: { name: 'Transport Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const result = await body.call(this);
			return [[{ json: { result: result as never } }]];
		},
	};
}

export interface ProbeRun<T> {
	result: T;
	run: RunNodeResult;
}

/** Runs `body` as one node execution against the stand-in, sharing `store` (and so the stored session) between runs. */
export async function runProbe<T>(
	standin: SalesforceStandin,
	body: (this: IExecuteFunctions) => Promise<T>,
	options: { store?: CredentialStore; credential?: StoredCredential } = {},
): Promise<ProbeRun<T>> {
	const run = await runNode({
		node: transportProbe(body),
		parameters: {},
		credential: options.credential ?? storedCredential(standin),
		credentialTypes: [credentialType],
		store: options.store ?? new CredentialStore(),
	});
	return { result: run.output[0][0].json.result as T, run };
}
