/**
 * The n8n glue the credential, the client and the nodes share: the core's errors as n8n errors, the
 * per-item loop, once-per-execution parameter reads, the AI-tool guard, waits a signal cuts short.
 * The Salesforce core (../salesforce) knows nothing of n8n; this is where the two meet. It sends
 * nothing: ../client does.
 */
export * from './errors';
export * from './items';
export * from './parameters';
export * from './pause';
export * from './tools';
