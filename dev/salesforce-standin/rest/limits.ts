import { RestError } from './errors';

/**
 * API request accounting (fact sheet §7): every REST request under /services/data/vXX.X/ counts
 * against the org's daily allocation (the version list does not); a Collections request is one
 * request however many records it carries. Each counted response says `Sforce-Limit-Info:
 * api-usage=N/MAX`; `GET limits` counts too (the docs are silent; the fact sheet says assume so).
 * Choices where the docs are silent: requests refused for their session (401) are not counted, nor
 * are requests refused because the allocation is used up; injected faults are (they reached the API).
 */

export const DEFAULT_DAILY_API_REQUESTS = 15000;

export class ApiUsage {
	/** The org's rolling 24-hour usage, as Sforce-Limit-Info and `limits` report it. */
	used = 0;
	/** Requests counted since start or the last resetRecords(): what tests assert on. */
	counted = 0;

	constructor(public max: number) {}

	/** Counts the request, or refuses it once the allocation is used up (never retried by clients). */
	count(): void {
		if (this.used >= this.max) {
			throw new RestError(
				403,
				[{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
				this.headers(),
			);
		}
		this.used++;
		this.counted++;
	}

	headers(): Record<string, string> {
		return { 'Sforce-Limit-Info': `api-usage=${this.used}/${this.max}` };
	}

	/** GET limits: the counters an org reports; only DailyApiRequests moves. */
	limitsBody(): Record<string, { Max: number; Remaining: number }> {
		return {
			ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
			DailyApiRequests: { Max: this.max, Remaining: Math.max(0, this.max - this.used) },
			DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
			DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
			DataStorageMB: { Max: 5, Remaining: 5 },
			FileStorageMB: { Max: 20, Remaining: 20 },
			HourlyPublishedPlatformEvents: { Max: 50000, Remaining: 50000 },
		};
	}
}
