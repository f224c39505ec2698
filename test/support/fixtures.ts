/**
 * Shared set-up for tests that run the package's credential and nodes in-process against the
 * Salesforce stand-in: a credential pointing at a stand-in, and a node run with the usual wiring.
 */
import type {
	ICredentialDataDecryptedObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { SalesforceIntegrationApi } from '../../credentials/SalesforceIntegrationApi.credentials';
import { SalesforceAction } from '../../nodes/SalesforceAction/SalesforceAction.node';
import { startSalesforceStandin } from '../../dev/salesforce-standin';
import type { SalesforceStandin, StandinOptions } from '../../dev/salesforce-standin';
import { CredentialStore, runNode } from './n8n-harness';
import type { RunNodeResult, StoredCredential } from './n8n-harness';
import { pemBodyLines, type TestKeyPair } from './jwtKeys';

export const credentialType = new SalesforceIntegrationApi();

/** Credential data for the stand-in's demo org, as a user would fill in the form. */
export function credentialDataFor(
	standin: SalesforceStandin,
	changes: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
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

export function storedCredential(
	standin: SalesforceStandin,
	changes: ICredentialDataDecryptedObject = {},
	name = 'UAT Env',
): StoredCredential {
	return {
		id: `cred-${++credentialCounter}`,
		name,
		type: credentialType.name,
		data: credentialDataFor(standin, changes),
	};
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
	/** The execution's cancel signal (the user stopping it). */
	abortSignal?: AbortSignal;
}): Promise<RunNodeResult> {
	return await runNode({
		typeVersion: options.typeVersion,
		abortSignal: options.abortSignal,
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

/**
 * Every secret of a credential, to scan errors, logs and outputs for. A private key also by each line
 * of its body, so a key that leaked re-wrapped or cut off is found as well.
 */
export function secretsOf(data: ICredentialDataDecryptedObject): string[] {
	const secrets = ['consumerSecret', 'password', 'securityToken', 'privateKey', 'passphrase']
		.map((name) => data[name])
		.filter((value): value is string => typeof value === 'string' && value.length > 0);
	const privateKey = data.privateKey;
	return typeof privateKey === 'string' ? [...secrets, ...pemBodyLines(privateKey)] : secrets;
}

/**
 * Credential data for a JWT Bearer login to the stand-in's demo user, with an app (added to the
 * stand-in) that holds the key pair's certificate. Audience "My Domain" (the stand-in's own URL).
 */
export function jwtCredentialDataFor(
	standin: SalesforceStandin,
	keys: TestKeyPair,
	changes: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	if (!standin.apps.some((app) => app.consumerKey === JWT_CONSUMER_KEY)) {
		standin.apps.push({
			consumerKey: JWT_CONSUMER_KEY,
			consumerSecret: 'never-used-by-jwt',
			jwtCertificate: keys.certificate,
			externalClientApp: true,
		});
	}
	return {
		authFlow: 'jwtBearer',
		domain: standin.url,
		consumerKey: JWT_CONSUMER_KEY,
		username: standin.demo.username,
		privateKey: keys.pkcs8,
		passphrase: '',
		audience: 'myDomain',
		timeout: 10,
		...changes,
	};
}

export const JWT_CONSUMER_KEY = '3MVG9JwtBearerExternalClientApp.test';
