/**
 * The JWT Bearer flow end to end in a real n8n: the credential holds the consumer key, the API user's
 * username and the private key of the certificate uploaded to an External Client App (no secret, no
 * password); each login posts an RS256 assertion the stand-in verifies with that certificate, and n8n
 * keeps the session for the next execution. A key of another certificate fails with the package's
 * explanation — and the private key is nowhere n8n prints or keeps things.
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeJwtBearer } from './cases/jwt-bearer';

jest.setTimeout(E2E_TIMEOUT_MS);

describeJwtBearer();
