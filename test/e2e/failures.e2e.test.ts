/**
 * A wrong password in a real n8n: the execution fails with the package's explanation (what is wrong,
 * where to look), Salesforce is asked once, and no secret of the credential ends up anywhere n8n
 * prints or keeps things — CLI output, the saved execution, exports, or any file of its user folder.
 */
import { E2E_TIMEOUT_MS } from './support';
import { describeWrongPassword } from './cases/failures';

jest.setTimeout(E2E_TIMEOUT_MS);

describeWrongPassword();
