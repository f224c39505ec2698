/**
 * The Salesforce core: hosts, token requests, response checks, error translation and the login guard.
 * It knows nothing of n8n's UI; the credential and the nodes are thin adapters over it.
 */
export * from './domain';
export * from './errors';
export * from './jwtAssertion';
export * from './loginDetails';
export * from './loginGuard';
export * from './n8nHttp';
export * from './outputMapping';
export * from './session';
export * from './sessionCheck';
export * from './sessionFields';
export * from './storedSession';
export * from './tokenRequest';
export * from './tokenResponse';
export * from './n8nErrors';
export * from './n8nItems';
export * from './n8nParameters';
