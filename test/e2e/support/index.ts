/** Shared helpers for the end-to-end tests that drive a real n8n (see n8n.ts). */
export {
	createN8n,
	E2E_TIMEOUT_MS,
	N8nUnderTest,
	type N8nOptions,
	type QueueMode,
	type WebhookAnswer,
	type WebhookWorkflow,
} from './n8n';
export { executionError, Executions, savedNodeOutput } from './executions';
export { ActivationError, type PublicationStatus, type TriggerStatus } from './publication';
export type { Sink, SinkAnswer, SinkRequest } from './sink';
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
