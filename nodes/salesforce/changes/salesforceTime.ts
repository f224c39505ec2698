/**
 * Time on Salesforce's terms. Every instant here is epoch milliseconds on the org's clock, never this
 * machine's: audit fields (CreatedDate, SystemModstamp, LastModifiedDate), deletion times and
 * `latestDateCovered` all come from Salesforce, and "now" is estimated from the `Date` header of
 * Salesforce's own answers.
 *
 * Salesforce stores audit times to the second and writes them as `2026-12-04T10:00:07.000+0000`;
 * getUpdated / getDeleted ignore the seconds of their window ("12:30:15 is truncated to 12:30:00").
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** The forms Salesforce writes (`…07.000+0000`) and ISO 8601 (`…07Z`, `…07+01:00`). */
const DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** `2026-12-04T10:00:07.000+0000` (or any ISO 8601 date-time with a zone) → epoch ms; anything else → undefined. */
export function parseSalesforceDateTime(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const match = DATE_TIME.exec(value.trim());
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
	if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
		return undefined;
	const utc = Date.UTC(year, month - 1, day, hour, minute, second);
	if (new Date(utc).getUTCDate() !== day) return undefined;
	const milliseconds = match[7] ? Number(match[7].padEnd(3, '0').slice(0, 3)) : 0;
	const zone = match[8];
	const offsetMinutes =
		zone === 'Z'
			? 0
			: (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
	return utc + milliseconds - offsetMinutes * MINUTE_MS;
}

export function floorToSecond(instant: number): number {
	return Math.floor(instant / SECOND_MS) * SECOND_MS;
}

export function floorToMinute(instant: number): number {
	return Math.floor(instant / MINUTE_MS) * MINUTE_MS;
}

export function ceilToMinute(instant: number): number {
	return Math.ceil(instant / MINUTE_MS) * MINUTE_MS;
}

/** Audit times are stored to the second: two changes in one second carry the same stamp. */
export function sameSecond(a: number, b: number): boolean {
	return floorToSecond(a) === floorToSecond(b);
}

/** A getUpdated / getDeleted window bound, to the minute, as the REST guide's example writes it: `2026-12-04T10:00:00+00:00`. */
export function replicationDateTime(instant: number): string {
	return `${new Date(floorToMinute(instant)).toISOString().slice(0, 19)}+00:00`;
}

/** For people: `2026-12-04 10:00:07 UTC`. */
export function readableUtc(instant: number): string {
	return `${new Date(floorToSecond(instant)).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** An HTTP `Date` header (`Fri, 04 Dec 2026 10:00:07 GMT`) → epoch ms; a missing or unreadable one → undefined. */
export function dateHeaderTime(header: unknown): number | undefined {
	const text = Array.isArray(header) ? header[0] : header;
	if (typeof text !== 'string' || !/\bGMT$/.test(text.trim())) return undefined;
	const instant = Date.parse(text);
	return Number.isFinite(instant) ? instant : undefined;
}

/**
 * Salesforce's clock as seen from this machine, remembered in memory per org (`scope`, e.g. the
 * credential's instance URL). The offset comes from the `Date` header of an answer minus the moment
 * it arrived: the header is written before the answer leaves Salesforce and is floored to the second,
 * so the estimate lags Salesforce's true time (by up to a second plus the network delay) and never
 * runs ahead of it — an end of window in Salesforce's future could let a change that starts later
 * carry a stamp the trigger has already passed.
 */
export class SalesforceClock {
	private readonly offsets = new Map<string, number>();

	/** Remembers the offset an answer shows; an answer without a readable `Date` header changes nothing. */
	observe(scope: string, dateHeader: unknown, receivedAtLocalMs: number): void {
		const salesforceTime = dateHeaderTime(dateHeader);
		if (salesforceTime !== undefined) this.offsets.set(scope, salesforceTime - receivedAtLocalMs);
	}

	/** Salesforce's estimated "now"; undefined until an answer was observed (then ask for one: `GET /services/data/` is not counted). */
	now(scope: string, localNowMs: number): number | undefined {
		const offset = this.offsets.get(scope);
		return offset === undefined ? undefined : localNowMs + offset;
	}

	forget(scope: string): void {
		this.offsets.delete(scope);
	}
}
