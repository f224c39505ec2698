/**
 * What of a session can be written into an item: the "Object Path" choices of the response mapping.
 * Paths are the token response's own field names (what the product page's mapping table used), plus
 * the org and user ids users ask for next.
 */
import type { SalesforceSession } from './tokenResponse';

export interface SessionField {
	path: string;
	label: string;
	description: string;
	read: (session: SalesforceSession) => string;
}

export const SESSION_FIELDS: readonly SessionField[] = [
	{
		path: 'access_token',
		label: 'Access Token (access_token)',
		description: 'The session id, for an "Authorization: Bearer" header',
		read: (s) => s.accessToken,
	},
	{
		path: 'instance_url',
		label: 'Instance URL (instance_url)',
		description: 'Base URL for REST calls, e.g. https://acme.my.salesforce.com',
		read: (s) => s.instanceUrl,
	},
	{
		path: 'id',
		label: 'Identity URL (id)',
		description: 'The identity URL of the API user',
		read: (s) => s.identityUrl,
	},
	{
		path: 'token_type',
		label: 'Token Type (token_type)',
		description: 'Always "Bearer"',
		read: (s) => s.tokenType,
	},
	{
		path: 'issued_at',
		label: 'Issued At (issued_at)',
		description: 'When Salesforce issued the session, in milliseconds since 1970',
		read: (s) => s.issuedAt,
	},
	{
		path: 'org_id',
		label: 'Org ID',
		description: 'The 18-character organization id, from the identity URL',
		read: (s) => s.orgId,
	},
	{
		path: 'user_id',
		label: 'User ID',
		description: 'The 18-character id of the API user, from the identity URL',
		read: (s) => s.userId,
	},
];

export function findSessionField(path: string): SessionField | undefined {
	return SESSION_FIELDS.find((field) => field.path === path);
}

export const DEFAULT_OUTPUT_FIELD = 'SF_ACCESS_TOKEN';
