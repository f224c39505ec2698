/**
 * The Salesforce core: what the package knows about Salesforce, free of n8n.
 * - login/: hosts, the three login flows, token responses, the login guard, session checks.
 * - rest/: SOQL building and escaping, record batches, REST error translation, API paths.
 * The credential and the nodes are thin n8n adapters over it (their shared glue is in ../n8n).
 */
export * from './errors';
export * from './login/cooldowns';
export * from './login/domain';
export * from './login/jwtAssertion';
export * from './login/loginDetails';
export * from './login/loginGuard';
export * from './login/outputMapping';
export * from './login/session';
export * from './login/sessionCheck';
export * from './login/sessionFields';
export * from './login/storedSession';
export * from './login/tokenRequest';
export * from './login/tokenResponse';
export * from './rest/apiPath';
export * from './rest/batches';
export * from './rest/records';
export * from './rest/repeatedRecords';
export * from './rest/restErrors';
export * from './rest/soql';
export * from './rest/writes';
