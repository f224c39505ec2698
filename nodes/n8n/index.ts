/**
 * The n8n glue the credential and both nodes share: n8n's HTTP helper as the core's transport, the
 * core's errors as n8n errors, the per-item loop and once-per-execution parameter reads. The
 * Salesforce core (../salesforce) knows nothing of n8n; this is where the two meet.
 */
export * from './errors';
export * from './items';
export * from './parameters';
export * from './tools';
