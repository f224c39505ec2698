/**
 * Salesforce reports the org's API usage on every REST answer (but the versions list), in the
 * header `Sforce-Limit-Info: api-usage=10018/100000`: requests in the last 24 hours, and the limit.
 */
export interface ApiUsage {
	used: number;
	max: number;
}

/** The usage a Sforce-Limit-Info header reports; undefined when it reports none. */
export function parseLimitInfo(header: string | string[] | undefined): ApiUsage | undefined {
	const text = Array.isArray(header) ? header.join(',') : header;
	if (typeof text !== 'string') return undefined;
	const match = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/.exec(text);
	if (!match) return undefined;
	return { used: Number(match[1]), max: Number(match[2]) };
}
