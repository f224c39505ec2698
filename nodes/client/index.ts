/**
 * The only place the Salesforce Action node talks to Salesforce. Every request goes through n8n's
 * `httpRequestWithAuthentication` with the credential, so the session is applied (and renewed after
 * a 401) by n8n and never passes through the node's parameters or output.
 * - request: one REST request — path checks, retries of locks and 503, error translation;
 * - query: SOQL with paging; collections: batched writes; session: Get Access Token's live session;
 * - liveSessions: which sessions Salesforce accepted in the last minute (by hash).
 */
export { CREDENTIAL_TYPE } from './context';
export type { TransportContext } from './context';
export { lastApiUsage, restRequest, restRequestsSent, RETRY_DELAYS_MS } from './connection';
export type { ResponseHeaders, RestMethod, RestRequest, RestRequestFunction, RestResponse } from './connection';
export { queryRecords } from './query';
export type { QueryOptions } from './query';
export { writeRecords } from './collections';
export type { WriteRequest } from './collections';
export type { RecordResult, WriteOperation, WriteResult } from '../salesforce';
export { getLiveSession } from './session';
export { forgetAllSessions, markSessionAlive, PROVEN_ALIVE_MS, provenAliveRecently } from './liveSessions';
export { describeGlobal, describeObject, fieldTypesOf, requiredOnCreate } from './describe';
export type { FieldDescribe, ObjectSummary } from './describe';
export { N8N_RETRY_POLICY, sendThroughN8n } from './login';
