/**
 * The Client Credentials flow end to end in a real n8n: the credential holds only the connected
 * app's key and secret, Salesforce issues the session for the app's Run-As user, and n8n keeps it
 * for the next execution like any other session.
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeClientCredentials } from './cases/client-credentials';

jest.setTimeout(E2E_TIMEOUT_MS);

describeClientCredentials();
