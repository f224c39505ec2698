/**
 * One schedule for everything the package sends again: a login that never reached Salesforce's
 * login logic (a reset connection, a gateway's 502/503/504), a record Salesforce could not lock, an
 * unavailable Salesforce. Twice, after half a second and then a second: enough to ride out a lock or
 * a blip, short enough that a real outage is reported while the user still waits for the run. An
 * authentication failure and the daily API limit are never sent again.
 */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1000];

export interface RetryPolicy {
	/** The pause before each retry; as many retries as pauses. */
	delaysMs: readonly number[];
	wait: (milliseconds: number) => Promise<void>;
}

export const NO_RETRY: RetryPolicy = { delaysMs: [], wait: async () => undefined };
