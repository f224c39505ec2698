/**
 * The package's one Salesforce client: every node and the credential reach Salesforce through it.
 * - connection: made from any n8n function context (execute, load options, poll, trigger) with
 *   `connect(this)`: the credential's session through n8n, THE send loop (one re-login, the retry
 *   schedule, the core's error translation), the kinds of request and answer (requests.ts: JSON,
 *   text, streams), and what the connection sent.
 * - API modules, each a set of functions taking the connection: query (SOQL, every page),
 *   collections (batched writes), describe (objects and fields, a minute's memory per credential),
 *   session (Get Access Token's live session; liveSessions: which sessions were just accepted),
 *   bulk (Bulk API 2.0 ingest and query jobs), files (upload, download, a record's files),
 *   changes (the polling trigger's requests, on Salesforce's clock), streaming (the Streaming API's
 *   POSTs and cookie, its re-login, the changed records);
 *   streams: request bodies produced as they are sent.
 * - login: the token request's sender, for the credential and the legacy node.
 *
 * Adding an API (bulk, files, streaming, changes …): a new module here whose functions take a
 * `SalesforceConnection` and send through `connection.send` (the answer, or an n8n error) or
 * `connection.attempt` (the failure as a value, to judge it yourself), with a request's `body`,
 * `answer`, `headers`, `timeoutMs` and `signal` as it needs them. Request shapes and answer parsing
 * go into the core (../salesforce/rest) with their tests. Export below exactly what nodes use (the
 * request kinds' types are in requests.ts). The connection does not change.
 */
export { connect } from './connection';
export type { SalesforceConnection } from './connection';
export { CREDENTIAL_TYPE } from './context';
export type { HttpMethod } from './requests';
export { queryRecords } from './query';
export { writeRecords } from './collections';
export { describeGlobal, describeObject, fieldTypesOf, forgetObjectDescribe } from './describe';
export { changeSession, runChangeSteps } from './changes';
export { getLiveSession } from './session';
export { runIngestJobs, runQueryJob } from './bulk';
export type { IngestResult } from './bulk';
export { downloadFile, listFilesOf, uploadFile } from './files';
export type { FileContent } from './files';
export { postBayeux, readChangedRecords, renewStreamingSession } from './streaming';
export type { BayeuxOutcome } from './streaming';
export { N8N_RETRY_POLICY, sendThroughN8n } from './login';
