/**
 * The Salesforce core: what the package knows about Salesforce, free of n8n.
 * - login/: hosts, the three login flows, token responses, the login guard, session checks.
 * - rest/: SOQL building and escaping, API paths, query pages, record shaping, sObject Collections
 *   requests and answers, Composite requests and answers, describe shapes, REST error translation,
 *   the API usage header.
 * - changes/: change detection for the polling trigger (polls planned as requests, their answers read,
 *   the state kept).
 * - bulk/: Bulk API 2.0 jobs: the CSV both ways, matching results to input rows, typing query
 *   results from the describe as the REST query has them, poll backoff, job errors.
 * - files/: Salesforce Files: multipart upload framing, what a download reads, a record's files.
 * - streaming/: the Streaming API (CometD) client of the event trigger: channels, Bayeux messages,
 *   the session state machine, replay bookkeeping, event items.
 * - causes, retries, text: the error-cause walk, the one retry schedule, small string helpers.
 * The credential and the nodes are thin n8n adapters over it: ../client sends, ../n8n is the glue.
 */
export * from './causes';
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
export * from './rest/apiUsage';
export * from './rest/batches';
export * from './rest/collections';
export * from './rest/describe';
export * from './rest/queryPages';
export * from './rest/records';
export * from './rest/repeatedRecords';
export * from './rest/restErrors';
export * from './rest/soql';
export * from './rest/writes';
export * from './retries';
export * from './streaming';
export * from './text';
export * from './changes';
export * from './rest/composite';
export * from './bulk/csv';
export * from './bulk/ingestCsv';
export * from './bulk/ingestResults';
export * from './bulk/jobs';
export * from './bulk/queryRecords';
export * from './files/files';
