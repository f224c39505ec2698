/**
 * The end-to-end harness itself in real n8n (test/e2e/cases/harness.ts): publish, an activation
 * failure, unpublish, restart, executions in order, a running execution stopped — what every suite
 * built on test/e2e/support/n8n.ts relies on.
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeHarness } from './cases/harness';

jest.setTimeout(E2E_TIMEOUT_MS);

describeHarness();
