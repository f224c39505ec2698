/**
 * An in-memory credential store and an `ICredentialsHelper` that behaves like the n8n CLI's
 * `CredentialsHelper` (n8n 2.41.1, `packages/cli/dist/credentials-helper.js`; read from
 * `/root/.cache/n8n-nodes-salesforce-integration/n8n-2.41.1/node_modules/n8n/dist/credentials-helper.js`).
 *
 * The methods below mirror that file line for line where it matters for a token credential —
 * when `preAuthentication` runs, what it persists and how, how `authenticate` is applied, what
 * `getDecrypted` returns — and leave out what needs the server (database, sharing, external
 * secrets, dynamic credentials, credential overwrites, the AI gateway). See "Differences" in
 * n8n-harness.ts.
 */
import { randomUUID } from 'node:crypto';

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
	IDataObject,
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
	NodeParameterValue,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** One write n8n made to a stored credential (a `credentialsRepository.update` in real n8n). */
export interface CredentialPersistence {
	id: string;
	type: string;
	/** The full data saved, as stored. */
	data: ICredentialDataDecryptedObject;
}

/**
 * Real n8n stores credential data as `encrypt(JSON.stringify(data))`, so whatever is persisted
 * comes back as its JSON round trip (Dates as strings, `undefined` keys gone). Copying through JSON
 * keeps that, and keeps test code from sharing objects with the store.
 */
function jsonCopy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

// Captured at load, so a test that installs jest fake timers later cannot stall the store.
const realSetImmediate = setImmediate;

/** The store answers asynchronously, like the database: concurrent executions interleave around it. */
async function databaseRoundTrip(): Promise<void> {
	await new Promise<void>((resolve) => realSetImmediate(resolve));
}

/**
 * What n8n's credentials table is for the harness: shared by every run given the same store, so a
 * second execution sees the token the first one persisted. Test code reads and edits it with the
 * synchronous methods; n8n's side (the helper) uses `load`/`persist`, which count and record.
 */
export class CredentialStore {
	private readonly credentials = new Map<string, StoredCredential>();

	/** Every write n8n made, in order. */
	readonly persisted: CredentialPersistence[] = [];

	/** How many times n8n wrote a credential (after preAuthentication, OAuth token updates). */
	get updates(): number {
		return this.persisted.length;
	}

	/** How many times n8n read a credential (each `getCredentials`, each persist's re-read). */
	reads = 0;

	constructor(credentials: StoredCredential[] = []) {
		for (const credential of credentials) this.add(credential);
	}

	add(credential: StoredCredential): void {
		if (this.credentials.has(credential.id)) {
			throw new Error(`CredentialStore already holds a credential with id "${credential.id}"`);
		}
		this.credentials.set(credential.id, jsonCopy(credential));
	}

	has(id: string): boolean {
		return this.credentials.has(id);
	}

	/** A copy of the stored credential; edit it with `patchData`/`replaceData`. */
	get(id: string): StoredCredential | undefined {
		const credential = this.credentials.get(id);
		return credential ? jsonCopy(credential) : undefined;
	}

	/** A copy of the stored data; throws when there is no such credential. */
	getData(id: string): ICredentialDataDecryptedObject {
		return this.require(id).data;
	}

	/** Test-side edit (e.g. to plant an expired token); not counted in `updates`. */
	patchData(id: string, changes: ICredentialDataDecryptedObject): void {
		const credential = this.credentials.get(id);
		if (!credential) throw new Error(`CredentialStore has no credential with id "${id}"`);
		credential.data = jsonCopy({ ...credential.data, ...changes });
	}

	/** Test-side edit; not counted in `updates`. */
	replaceData(id: string, data: ICredentialDataDecryptedObject): void {
		const credential = this.credentials.get(id);
		if (!credential) throw new Error(`CredentialStore has no credential with id "${id}"`);
		credential.data = jsonCopy(data);
	}

	private require(id: string): StoredCredential {
		const credential = this.get(id);
		if (!credential) throw new Error(`CredentialStore has no credential with id "${id}"`);
		return credential;
	}

	/**
	 * n8n's read (`CredentialsHelper.getCredentialsEntity`): errors as the CLI's
	 * `CredentialMissingIdError` / `CredentialNotFoundError` word them.
	 */
	async load(nodeCredential: INodeCredentialsDetails, type: string): Promise<StoredCredential> {
		await databaseRoundTrip();
		this.reads++;
		if (!nodeCredential.id) {
			throw new UserError('Found credential with no ID.', {
				extra: { credentialName: nodeCredential.name },
				tags: { credentialType: type },
			});
		}
		const credential = this.credentials.get(nodeCredential.id);
		if (!credential || credential.type !== type) {
			throw new UserError(
				`Credential with ID "${nodeCredential.id}" does not exist for type "${type}".`,
			);
		}
		return jsonCopy(credential);
	}

	/** n8n's write (`credentialsRepository.update`). */
	async persist(id: string, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		await databaseRoundTrip();
		const credential = this.credentials.get(id);
		if (!credential || credential.type !== type) {
			throw new UserError(`Credential with ID "${id}" does not exist for type "${type}".`);
		}
		credential.data = jsonCopy(data);
		this.persisted.push({ id, type, data: jsonCopy(data) });
	}
}

/** An id for a credential the harness saves on a test's behalf (as the editor saves before "Test"). */
export function newCredentialId(): string {
	return randomUUID();
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

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const updated = { ...(await this.getData()), ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete updated[key];
		await this.setData(updated);
	}
}

/** The CLI's `CredentialTypes` (packages/cli/dist/credential-types.js) over a fixed list. */
export class HarnessCredentialTypes {
	private readonly byName = new Map<string, ICredentialType>();

	constructor(
		credentialTypes: readonly ICredentialType[],
		/** Node types of the run, for `getSupportedNodes` (the CLI derives it from loaded nodes). */
		private readonly nodeTypesByName: ReadonlyMap<string, INodeType> = new Map(),
	) {
		for (const credentialType of credentialTypes)
			this.byName.set(credentialType.name, credentialType);
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

	getSupportedNodes(name: string): string[] {
		return [...this.nodeTypesByName.entries()]
			.filter(([, nodeType]) => nodeType.description.credentials?.some((c) => c.name === name))
			.map(([typeName]) => typeName);
	}

	getParentTypes(name: string): string[] {
		const extendsList = this.byName.get(name)?.extends ?? [];
		if (extendsList.length === 0) return [];
		const parents = [...extendsList];
		for (const parent of parents) parents.push(...this.getParentTypes(parent));
		return parents;
	}
}

/**
 * credentials-helper.js `restrictToCredentialDomains`: what `preAuthentication` gets as `this` —
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

/** credentials-helper.js `mockNode` / mock-node-types.js: a workflow to resolve credential expressions in. */
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

	/** credentials-helper.js `authenticate`: function form, or generic form with expressions resolved. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		if (credentialType.authenticate) {
			if (typeof credentialType.authenticate === 'function') {
				return await credentialType.authenticate(credentials, requestOptions);
			}
			if (typeof credentialType.authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError(
						'Workflow and node are required for declarative credential authentication',
					);
				}
				const { authenticate } = credentialType;
				if (requestOptions.headers === undefined) requestOptions.headers = {};
				if (authenticate.type === 'generic') {
					const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
					for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
						for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
							const keyResolved = this.resolveValue(
								key,
								{ $credentials: credentials },
								workflow,
								node,
							);
							const valueResolved = this.resolveValue(
								value as NodeParameterValue,
								{ $credentials: credentials },
								workflow,
								node,
							);
							if (!target[outerKey]) target[outerKey] = {};
							target[outerKey][String(keyResolved)] = valueResolved;
						}
					}
				}
			}
		}
		return requestOptions;
	}

	/**
	 * credentials-helper.js `preAuthentication`: runs the type's `preAuthentication` only if the type
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

	/** credentials-helper.js `runPreAuthentication` (used by n8n-core's OAuth2 path): no persistence. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	private resolveValue(
		parameterValue: NodeParameterValue,
		additionalKeys: IDataObject,
		workflow: Workflow,
		node: INode,
	): NodeParameterValue {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	getParentTypes(typeName: string): string[] {
		return this.credentialTypes.getParentTypes(typeName);
	}

	/** credentials-helper.js `isCredentialUsableByNode`. */
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const typeDefinition = this.credentialTypes.getByName(credentialType);
		if (!typeDefinition.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
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
	 * credentials-helper.js `getDecrypted`: the stored data (`raw`), or the stored data with the
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
	 * credentials-helper.js `applyDefaultsAndOverwrites`, without credential overwrites, OAuth/DCR
	 * pinned fields and JSON-leaf expressions (none of which a token credential uses).
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
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
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

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		await this.store.persist(credentials.id as string, type, await credentials.getData());
	}

	/** credentials-helper.js `getCredentialsProperties` (with `extends` merged). */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.credentialTypes.getByName(type);
		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialTypeData.properties;
		}
		const combineProperties: INodeProperties[] = [];
		for (const credentialsTypeName of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(
				combineProperties,
				this.getCredentialsProperties(credentialsTypeName),
			);
		}
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}
}
