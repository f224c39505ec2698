import type { ServerResponse } from 'node:http';
import { sendJson } from '../http';

/** The version list (fact sheet §1): no authentication, not counted against the API allocation. */

export const OLDEST_VERSION = 20;
export const LATEST_VERSION = 68;
const SEASONS = ['Winter', 'Spring', 'Summer'];

/** v62.0 is Winter '25; three releases a year. */
function releaseLabel(major: number): string {
	const offset = major - 62;
	const year = 25 + Math.floor(offset / 3);
	return `${SEASONS[((offset % 3) + 3) % 3]} '${String(year).padStart(2, '0')}`;
}

export function handleVersions(res: ServerResponse): void {
	const versions = [];
	for (let major = OLDEST_VERSION; major <= LATEST_VERSION; major++) {
		versions.push({
			label: releaseLabel(major),
			url: `/services/data/v${major}.0`,
			version: `${major}.0`,
		});
	}
	sendJson(res, 200, versions);
}

/** The major number of a served version ('v62.0' -> 62), or undefined. */
export function versionMajor(version: string): number | undefined {
	const match = /^v(\d+)\.0$/.exec(version);
	if (!match) return undefined;
	const major = Number(match[1]);
	return major >= OLDEST_VERSION && major <= LATEST_VERSION ? major : undefined;
}
