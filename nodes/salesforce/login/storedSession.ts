/**
 * How a session is kept in the credential's hidden fields. preAuthentication returns these fields and
 * n8n saves them (encrypted) into the stored credential, where every execution and worker finds them.
 */
import { idsFromIdentityUrl, SalesforceSession } from './tokenResponse';

/** A credential's decrypted data, as n8n hands it over. */
export type CredentialFields = Record<string, unknown>;

export function toStoredFields(session: SalesforceSession): Record<string, string> {
	return {
		accessToken: session.accessToken,
		instanceUrl: session.instanceUrl,
		identityUrl: session.identityUrl,
		issuedAt: session.issuedAt,
	};
}

/** The stored session, or undefined when the credential holds none yet. */
export function fromStoredFields(data: CredentialFields): SalesforceSession | undefined {
	const text = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : '');
	if (text('accessToken') === '' || text('instanceUrl') === '') return undefined;
	return {
		accessToken: text('accessToken'),
		instanceUrl: text('instanceUrl'),
		identityUrl: text('identityUrl'),
		// Salesforce only issues Bearer sessions; the type is not worth a stored field.
		tokenType: 'Bearer',
		issuedAt: text('issuedAt'),
		...idsFromIdentityUrl(text('identityUrl')),
	};
}
