/**
 * A workflow saved with the deprecated Salesforce Authentication node (connected app and user typed
 * into the node itself) keeps running in a real n8n, while the editor no longer offers the node.
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeLegacyNode } from './cases/legacy-node';

jest.setTimeout(E2E_TIMEOUT_MS);

describeLegacyNode();
