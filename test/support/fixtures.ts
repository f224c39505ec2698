/**
 * Shared set-up for tests that run the package's credential and nodes in-process against the
 * Salesforce stand-in: a credential pointing at a stand-in, and a node run with the usual wiring.
 */
import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { SalesforceIntegrationApi } from '../../credentials/SalesforceIntegrationApi.credentials';
import { SalesforceAction } from '../../nodes/SalesforceAction/SalesforceAction.node';
import { startSalesforceStandin } from '../../dev/salesforce-standin';
import type { SalesforceStandin, StandinOptions } from '../../dev/salesforce-standin';
import { CredentialStore, runNode } from './n8n-harness';
import type { RunNodeResult, StoredCredential } from './n8n-harness';

export const credentialType = new SalesforceIntegrationApi();

/** Credential data for the stand-in's demo org, as a user would fill in the form. */
export function credentialDataFor(standin: SalesforceStandin, changes: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		authFlow: 'password',
		domain: standin.url,
		consumerKey: standin.demo.consumerKey,
		consumerSecret: standin.demo.consumerSecret,
		username: standin.demo.username,
		password: standin.demo.password,
		securityToken: standin.demo.securityToken,
		timeout: 10,
		...changes,
	};
}

let credentialCounter = 0;

export function storedCredential(standin: SalesforceStandin, changes: ICredentialDataDecryptedObject = {}, name = 'UAT Env'): StoredCredential {
	return { id: `cred-${++credentialCounter}`, name, type: credentialType.name, data: credentialDataFor(standin, changes) };
}

export function itemsOf(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({ json: { row: index } }));
}

/** Runs the Salesforce Action node with the given parameters through n8n-core. */
export async function runSalesforceAction(options: {
	credential: StoredCredential;
	store: CredentialStore;
	parameters?: INodeParameters;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Default: what the nodes panel adds today (the node's defaultVersion). */
	typeVersion?: number;
}): Promise<RunNodeResult> {
	return await runNode({
		typeVersion: options.typeVersion,
		node: new SalesforceAction(),
		parameters: options.parameters ?? { operation: 'getAccessToken' },
		items: options.items,
		credential: options.credential,
		credentialTypes: [credentialType],
		store: options.store,
		continueOnFail: options.continueOnFail,
	});
}

/** A fresh stand-in per test: its own origin, so the in-process login guard never links two tests. */
export function useStandin(options: StandinOptions = {}): () => SalesforceStandin {
	let standin: SalesforceStandin | undefined;
	beforeEach(async () => {
		standin = await startSalesforceStandin(options);
	});
	afterEach(async () => {
		await standin?.close();
		standin = undefined;
	});
	return () => {
		if (!standin) throw new Error('the stand-in is only available inside a test');
		return standin;
	};
}

/** Every secret of a credential, to scan errors, logs and outputs for. */
export function secretsOf(data: ICredentialDataDecryptedObject): string[] {
	return ['consumerSecret', 'password', 'securityToken']
		.map((name) => data[name])
		.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
