/** Shared helpers for the end-to-end tests that drive a real n8n (see n8n-fixture.ts). */
export { createN8nFixture, E2E_TIMEOUT_MS, type N8nFixture, type N8nFixtureOptions } from './n8n-fixture';
export { N8N_1X_VERSION, N8N_VERSION } from '../../../dev/n8n/runtime';
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
	SALESFORCE_EVENT_TRIGGER_TYPE,
	salesforceCredential,
	type SalesforceLogin,
} from '../../../dev/demo-workflow';
