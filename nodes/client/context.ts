/**
 * What the client needs of an n8n function context. A node's execution, the editor loading options,
 * a poll and a trigger all have it — so one client serves every kind of node, and a new kind of
 * context that has these three works without touching the client.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INode } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'salesforceIntegrationApi';

export interface ClientContext {
	getNode(): INode;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
	helpers: {
		/** n8n-core's: preAuthentication when needed, the credential's authenticate, the request; called with the context as `this`. */
		httpRequestWithAuthentication(
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
		): Promise<unknown>;
	};
}
