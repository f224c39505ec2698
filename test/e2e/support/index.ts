/** Shared helpers for the end-to-end tests that drive a real n8n (see n8n-fixture.ts). */
export { createN8nFixture, E2E_TIMEOUT_MS, type N8nFixture } from './n8n-fixture';
export { buildAndPackOnce, REPO_ROOT } from '../../../dev/n8n/packed-package';
export {
	N8nInstance,
	newId,
	nodeOutputItems,
	type CredentialToImport,
	type ExecutionSummary,
	type ExecuteResult,
	type N8nServer,
	type SavedExecution,
	type WorkflowRun,
	type WorkflowToImport,
} from '../../../dev/n8n/cli';
export {
	CREDENTIAL_TYPE,
	demoWorkflow,
	LEGACY_AUTH_TYPE,
	PACKAGE_NAME,
	SALESFORCE_ACTION_TYPE,
	salesforceCredential,
	type SalesforceLogin,
} from '../../../dev/demo-workflow';
