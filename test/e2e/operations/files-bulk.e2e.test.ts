/** Files and Bulk API 2.0 in real n8n 2.41.1 (binary data on disk): the full set (test/e2e/cases/files-bulk.ts). */
import { describeFilesAndBulk } from '../cases/files-bulk';
import { E2E_TIMEOUT_MS } from '../support';

jest.setTimeout(E2E_TIMEOUT_MS);

describeFilesAndBulk();
