/**
 * The org's clock: this machine's clock plus a settable skew (minutes ahead or behind, changeable
 * while running). Everything the org stamps or says about time comes from it: audit fields
 * (CreatedDate, LastModifiedDate, SystemModstamp), the replication resources' dates, the `Date`
 * header of every answer, `issued_at`, and the JWT `exp` check. Durations (session inactivity,
 * the login-rate window, query cursor life) are measured on this machine's clock instead: changing
 * the skew models a clock that disagrees with n8n's, not time passing.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

export class OrgClock {
	constructor(private skew = 0) {}

	/** The org's clock minus this machine's, in milliseconds. */
	get skewMs(): number {
		return this.skew;
	}

	set skewMs(ms: number) {
		if (!Number.isFinite(ms))
			throw new Error(`clock skew must be a number of milliseconds, got ${String(ms)}`);
		this.skew = ms;
	}

	/** The org's time, in milliseconds since the epoch. */
	now(): number {
		return Date.now() + this.skew;
	}

	/** The org's time as an audit field stores it: to the second. */
	auditNow(): string {
		return auditDateTime(this.now());
	}

	/** The `Date` header of an answer (RFC 7231: seconds, GMT). */
	httpDate(): string {
		return new Date(this.now()).toUTCString();
	}
}

/** Salesforce's API datetime format: UTC, milliseconds, offset without a colon (fact sheet, traps). */
export function apiDateTime(ms: number): string {
	return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * Audit fields are stored to the second (fact sheet §9: `2026-12-04T10:00:07.000+0000`), so many
 * records written in one second share one value.
 */
export function auditDateTime(ms: number): string {
	return apiDateTime(floorToSecond(ms));
}

export function floorToSecond(ms: number): number {
	return Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/** getUpdated and getDeleted ignore seconds: 12:30:15 is read as 12:30:00. */
export function floorToMinute(ms: number): number {
	return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** A stored API datetime ('…+0000') in milliseconds. */
export function dateTimeMs(value: string): number {
	return Date.parse(value.replace(/\+0000$/, 'Z'));
}
