/**
 * The Salesforce Trigger in real n8n 2.41: each change once over polls on n8n's schedule, with a
 * skewed org clock, a late commit, a burst and a restart (see cases/salesforce-trigger.ts).
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeSalesforceTrigger } from './cases/salesforce-trigger';

jest.setTimeout(E2E_TIMEOUT_MS);

describeSalesforceTrigger();
