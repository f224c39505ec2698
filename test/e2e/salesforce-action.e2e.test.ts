/**
 * The Salesforce Action node in a real n8n (`n8n execute`, one process per run) against the
 * Salesforce stand-in: one login serves every item, the session n8n stored is reused by the next
 * process, and a session Salesforce ended is replaced by exactly one new login.
 *
 * The tests run in order and share one n8n and one org: each picks up the state the previous left.
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeSalesforceAction } from './cases/salesforce-action';

jest.setTimeout(E2E_TIMEOUT_MS);

describeSalesforceAction();
