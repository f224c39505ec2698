/**
 * One credential per Salesforce environment, both used in one workflow in a real n8n: a sandbox
 * ("UAT Env") and production ("Production Env"), each a separate org. Every Salesforce Action node
 * must get the session of its own credential's org, with one login per org — also when a later node
 * uses an environment again.
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeTwoEnvironments } from './cases/environments';

jest.setTimeout(E2E_TIMEOUT_MS);

describeTwoEnvironments();
