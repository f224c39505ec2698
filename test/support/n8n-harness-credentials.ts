/**
 * The slice of n8n's credentials helper that the unit tests run n8n-core on: an `ICredentialsHelper`
 * that behaves as n8n 2.41.1's does (package `n8n`, file `dist/credentials-helper.js`, class
 * `CredentialsHelper`; its source is packages/cli/src/credentials-helper.ts in n8n's repository)
 * for a token credential — when `preAuthentication` runs, what it persists and how, how
 * `authenticate` is applied, what `getDecrypted` returns — over the harness's in-memory store
 * (n8n-harness-credential-store.ts).
 *
 * A copy, because the unit tests run without downloads: the n8n CLI is only in the cached runtime the
 * end-to-end tests install. It copies what the package's credentials go through and refuses the rest
 * loudly (see HarnessCredentialTypes): OAuth, declarative `authenticate`, credential types that
 * extend others or restrict themselves to some nodes; the server's database, sharing, credential
 * overwrites, external secrets, dynamic credentials and the AI gateway are left out. See
 * "Differences" in n8n-harness.ts.
 *
 * COPIED_FROM_N8N records a fingerprint of each n8n function copied here. test/e2e/n8n-copies.e2e.test.ts
 * compares them with the n8n the end-to-end tests install, and test/unit/dev/n8nCopies.test.ts
 * fails when the pinned n8n (dev/n8n/runtime.ts) is not the version named here: on either failure,
 * re-read those functions in the new n8n, bring this file in line, and record the new fingerprints.
 */
import { getAdditionalKeys } from 'n8n-core';
import {
	getCredentialOwnRequestAllowedDomains,
	ICredentials,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import type { CredentialStore } from './n8n-harness-credential-store';

/** What this file copies, from which n8n: fingerprints as test/support/n8n-source-fingerprints.ts takes them. */
export const COPIED_FROM_N8N = {
	n8nVersion: '2.41.1',
	/** In the `n8n` package (n8n's CLI). */
	file: 'dist/credentials-helper.js',
	fingerprints: {
		restrictToCredentialDomains: 'fe86b7f4ad18fffd',
		'CredentialsHelper.authenticate': '7248b5782488004c',
		'CredentialsHelper.preAuthentication': '7e0f35864888c314',
		'CredentialsHelper.getParentTypes': '38601619ba2afb94',
		'CredentialsHelper.getCredentials': 'a9af8185f2443c82',
		'CredentialsHelper.getCredentialsEntity': 'fc09eac14fff331a',
		'CredentialsHelper.isCredentialUsableByNode': 'fd9773ccc553abbe',
		'CredentialsHelper.getCredentialsProperties': '1b16334caeb06a56',
		'CredentialsHelper.getDecrypted': 'c7cf702cf24dd2c5',
		'CredentialsHelper.applyDefaultsAndOverwrites': 'fd7f6e6a76d17f0b',
		'CredentialsHelper.resolveCredentialExpressions': 'e8828deb06655d17',
		'CredentialsHelper.updateCredentials': '7bf738f7afeaae98',
	} as Record<string, string>,
};

function notInTheHarness(feature: string): never {
	throw new UnexpectedError(
		`The n8n harness does not support ${feature} (see test/support/n8n-harness-credentials.ts)`,
	);
}

/**
 * The `ICredentials` `getCredentials()` hands out. Real n8n returns n8n-core's `Credentials`, whose
 * `data` is the encrypted string; here it is the plain JSON string (no cipher involved).
 */
class StoredCredentialHandle extends ICredentials {
	async getData(): Promise<ICredentialDataDecryptedObject> {
		if (this.data === undefined)
			throw new UnexpectedError('No data is set so nothing can be returned.');
		return JSON.parse(this.data) as ICredentialDataDecryptedObject;
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	/** Only n8n's OAuth token updates call it. */
	async updateData(): Promise<void> {
		notInTheHarness('OAuth token updates');
	}
}

/**
 * The CLI's `CredentialTypes` over a fixed list, refusing the credential types whose handling this
 * copy leaves out: it would otherwise model them wrongly without a word.
 */
export class HarnessCredentialTypes {
	private readonly byName = new Map<string, ICredentialType>();

	constructor(credentialTypes: readonly ICredentialType[]) {
		for (const credentialType of credentialTypes) {
			const { name } = credentialType;
			if (credentialType.extends?.length)
				notInTheHarness(`credential types that extend others (${name})`);
			if (credentialType.restrictToSupportedNodes) {
				notInTheHarness(`credential types restricted to some nodes (${name})`);
			}
			if (typeof credentialType.authenticate === 'object') {
				notInTheHarness(`declarative (generic) authenticate (${name})`);
			}
			if (['oAuth1Api', 'oAuth2Api'].includes(name)) notInTheHarness(`OAuth credentials (${name})`);
			this.byName.set(name, credentialType);
		}
	}

	recognizes(name: string): boolean {
		return this.byName.has(name);
	}

	getByName(name: string): ICredentialType {
		const credentialType = this.byName.get(name);
		// Worded like the CLI's UnrecognizedCredentialTypeError.
		if (!credentialType) throw new UnexpectedError(`Unrecognized credential type: ${name}`);
		return credentialType;
	}
}

/**
 * `restrictToCredentialDomains`: what `preAuthentication` gets as `this` —
 * the execution's `httpRequest`, limited to the credential's allowed domains if it sets any.
 */
export function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) {
					return await helpers.helpers.httpRequest(requestOptions);
				}
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}

/** `mockNode` and the mock node types (n8n/dist/credentials/mock-node-types.js): a workflow to resolve credential expressions in. */
const credentialMockNode: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const credentialMockNodeType = { description: { properties: [] } } as unknown as INodeType;

const credentialMockNodeTypes: INodeTypes = {
	getKnownTypes: () => ({}),
	getByName: () => credentialMockNodeType,
	getByNameAndVersion: () => credentialMockNodeType,
};

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		readonly credentialTypes: HarnessCredentialTypes,
		readonly store: CredentialStore,
	) {
		super();
	}

	/** `authenticate`, function form (the only one HarnessCredentialTypes lets in). */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.authenticate === 'function') {
			return await credentialType.authenticate(credentials, requestOptions);
		}
		return requestOptions;
	}

	/**
	 * `preAuthentication`: runs the type's `preAuthentication` only if the type
	 * has a hidden expirable property and that property is empty, or the caller says the credential
	 * expired (the 401 retry), or the node is a NoOp whose `temp` parameter is '' (n8n's check for a
	 * credential test — which in 2.41.1 never holds, since the tester's node has `parameters: {}`).
	 * Persists the output into the stored credential — the expirable property
	 * always, other keys only where the stored value is not an expression — and merges it into
	 * `credentials`. Returns undefined (nothing persisted) when the output lacks the expirable
	 * property or the node has no credentials.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication === 'function') {
			if (
				credentials[expirableProperty.name] === '' ||
				credentialsExpired ||
				isTestingCredentials
			) {
				const output = await credentialType.preAuthentication.call(
					restrictToCredentialDomains(helpers, credentials),
					credentials,
				);
				if (output[expirableProperty.name] === undefined) return undefined;

				if (node.credentials) {
					const nodeCredentials = node.credentials[credentialType.name];
					const storedData = await (
						await this.getCredentials(nodeCredentials, credentialType.name)
					).getData();
					const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
					for (const [key, value] of Object.entries(output)) {
						if (key === expirableProperty.name || !isExpression(storedData[key])) {
							dataToPersist[key] = value as ICredentialDataDecryptedObject[string];
						}
					}
					await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
					return Object.assign(credentials, output);
				}
			}
		}
		return undefined;
	}

	/** Called by n8n-core for OAuth1/OAuth2 credentials only. */
	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		notInTheHarness('OAuth credentials');
	}

	/** `getParentTypes`: none, since no harness credential type extends another. */
	getParentTypes(): string[] {
		return [];
	}

	/** `isCredentialUsableByNode`: always, since no harness credential type restricts itself to some nodes. */
	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getCredentials(
		nodeCredential: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const credential = await this.store.load(nodeCredential, type);
		return new StoredCredentialHandle(
			{ id: credential.id, name: credential.name },
			credential.type,
			JSON.stringify(credential.data),
		);
	}

	/**
	 * `getDecrypted` (without dynamic credentials, policies, external secrets, AI gateway): the stored data (`raw`), or the stored data with the
	 * type's defaults applied and expressions resolved.
	 */
	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credential = await this.store.load(nodeCredentials, type);
		if (raw === true) return credential.data;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			credential.data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * `applyDefaultsAndOverwrites` (and `resolveCredentialExpressions`, whose by-property fallback only
	 * matters when an expression fails), without credential overwrites, OAuth/DCR fields and JSON-leaf
	 * expressions (none of which a token credential uses).
	 */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);
		const storedData = { ...decryptedDataOriginal };
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			storedData as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		// Kept even though no property declares them, as the CLI does.
		for (const domainsKey of ['allowedHttpRequestDomains', 'allowedDomains']) {
			if (
				decryptedData[domainsKey] === undefined &&
				decryptedDataOriginal[domainsKey] !== undefined
			) {
				decryptedData[domainsKey] = decryptedDataOriginal[domainsKey];
			}
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INode['parameters'],
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			const workflow = new Workflow({
				nodes: [credentialMockNode],
				connections: {},
				active: false,
				nodeTypes: credentialMockNodeTypes,
			});
			// With n8n-workflow's default (legacy) expression engine there is no isolate to acquire;
			// kept so that a harness run with the VM engine behaves like the CLI.
			await workflow.expression.acquireIsolate();
			try {
				decryptedData = workflow.expression.getComplexParameterValue(
					credentialMockNode,
					decryptedData as INode['parameters'],
					mode,
					additionalKeys,
					undefined,
					undefined,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} finally {
				await workflow.expression.releaseIsolate();
			}
		}
		return decryptedData;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		// Like the CLI: re-read the entity (it must still exist), then write the full data.
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
		await this.store.persist(credentials.id as string, type, data);
	}

	/** Called by n8n-core for OAuth1/OAuth2 credentials only. */
	async updateCredentialsOauthTokenData(): Promise<void> {
		notInTheHarness('OAuth token updates');
	}

	/** `getCredentialsProperties`, for types that extend none and are not OAuth. */
	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getByName(type).properties;
	}
}
