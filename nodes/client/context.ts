/** What every transport function runs in: a node's execution, or the editor loading options. */
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'salesforceIntegrationApi';

export type TransportContext = IExecuteFunctions | ILoadOptionsFunctions;
