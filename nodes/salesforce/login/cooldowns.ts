/**
 * How long the nodes hold back after Salesforce refused a login. Its own module because both the
 * login guard (which enforces them) and the failure texts (which tell the user) need them.
 */

/** After an authentication failure: long enough to stop a per-minute schedule, short enough to recover unattended. */
export const AUTH_FAILURE_COOLDOWN_MS = 5 * 60_000;
/** After `login rate exceeded`: Salesforce counts over a rolling hour, so back off longer. */
export const RATE_LIMIT_COOLDOWN_MS = 15 * 60_000;
