/**
 * What a change trigger remembers between polls, and its stored (JSON) form.
 *
 * - `horizon` H, on Salesforce's clock, to the second: every matching change stamped before H has
 *   been emitted, or happened before the trigger started.
 * - `seen`: the keys (record Id + stamp, to the second) of the changes already emitted (or present
 *   when the trigger started) stamped at or after H — the only ones a later poll can read again.
 * - `lostDeletions`: a window of deletions Salesforce no longer reports, found but not reported yet.
 *
 * n8n keeps this in the workflow's static data, which it saves as JSON in its database, and only when
 * a poll emits (and at activation): after a restart the trigger resumes from the state of the last
 * poll that emitted. Resuming from an older state is safe — it re-reads from an older horizon, and
 * the keys it holds are exactly the changes emitted up to then — so the stored form is kept small:
 * Ids are stored as their 15-character form (the 18-character form only adds a case checksum), grouped
 * by second, the seconds as offsets from H. A 5,000-record burst in one minute stores about 80 KB.
 */
import { floorToSecond, parseSalesforceDateTime, SECOND_MS } from './salesforceTime';

export const CHANGE_STATE_VERSION = 1;

/** The part of an Id that identifies the record: the 15-character, case-sensitive form. */
function keyId(id: string): string {
	return id.slice(0, 15);
}

/** The keys (Id + stamp to the second) of changes: a set, grouped by second. */
export class ChangeKeys {
	private readonly bySecond = new Map<number, Set<string>>();

	has(id: string, stamp: number): boolean {
		return this.bySecond.get(floorToSecond(stamp))?.has(keyId(id)) ?? false;
	}

	add(id: string, stamp: number): void {
		const second = floorToSecond(stamp);
		let ids = this.bySecond.get(second);
		if (!ids) {
			ids = new Set();
			this.bySecond.set(second, ids);
		}
		ids.add(keyId(id));
	}

	/** A copy holding only the keys stamped at or after `horizon`. */
	from(horizon: number): ChangeKeys {
		const copy = new ChangeKeys();
		for (const [second, ids] of this.bySecond) {
			if (second >= horizon) copy.bySecond.set(second, new Set(ids));
		}
		return copy;
	}

	get size(): number {
		let size = 0;
		for (const ids of this.bySecond.values()) size += ids.size;
		return size;
	}

	/** Seconds in increasing order, each with its Ids in increasing order. */
	entries(): Array<[number, string[]]> {
		return [...this.bySecond.entries()]
			.sort(([a], [b]) => a - b)
			.map(([second, ids]) => [second, [...ids].sort()]);
	}
}

export interface LostWindow {
	from: number;
	to: number;
}

export interface ChangeState {
	readonly key: string;
	readonly horizon: number;
	readonly seen: ChangeKeys;
	readonly lostDeletions?: LostWindow;
}

export interface StoredChangeState {
	version: typeof CHANGE_STATE_VERSION;
	key: string;
	horizon: string;
	/** Seconds after the horizon → the 15-character Ids of that second, concatenated. */
	seen: Record<string, string>;
	lostDeletions?: { from: string; to: string };
}

export function storeChangeState(state: ChangeState): StoredChangeState {
	const seen: Record<string, string> = {};
	for (const [second, ids] of state.seen.entries()) {
		if (second >= state.horizon) seen[String((second - state.horizon) / SECOND_MS)] = ids.join('');
	}
	const stored: StoredChangeState = {
		version: CHANGE_STATE_VERSION,
		key: state.key,
		horizon: new Date(state.horizon).toISOString(),
		seen,
	};
	if (state.lostDeletions) {
		stored.lostDeletions = {
			from: new Date(state.lostDeletions.from).toISOString(),
			to: new Date(state.lostDeletions.to).toISOString(),
		};
	}
	return stored;
}

/** Why a poll starts afresh: nothing stored yet, a state of other parameters, or one this version cannot read. */
export type FreshStart = 'nothing-stored' | 'other-parameters' | 'unreadable';

export type LoadedState =
	| { state: ChangeState; fresh?: undefined }
	| { state?: undefined; fresh: FreshStart };

const ID_RUN = /^(?:[A-Za-z0-9]{15})+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The state stored for `key`, or why there is none to use. Never throws: an unreadable state starts afresh. */
export function loadChangeState(stored: unknown, key: string): LoadedState {
	if (stored === undefined || stored === null) return { fresh: 'nothing-stored' };
	if (!isPlainObject(stored) || stored.version !== CHANGE_STATE_VERSION)
		return { fresh: 'unreadable' };
	if (stored.key !== key)
		return typeof stored.key === 'string' ? { fresh: 'other-parameters' } : { fresh: 'unreadable' };
	const horizon = parseSalesforceDateTime(stored.horizon);
	if (horizon === undefined || !isPlainObject(stored.seen)) return { fresh: 'unreadable' };
	const seen = new ChangeKeys();
	for (const [offset, ids] of Object.entries(stored.seen)) {
		if (!/^\d{1,9}$/.test(offset) || typeof ids !== 'string' || !ID_RUN.test(ids))
			return { fresh: 'unreadable' };
		const second = floorToSecond(horizon) + Number(offset) * SECOND_MS;
		for (let start = 0; start < ids.length; start += 15)
			seen.add(ids.slice(start, start + 15), second);
	}
	let lostDeletions: LostWindow | undefined;
	if (stored.lostDeletions !== undefined) {
		const lost = stored.lostDeletions;
		const from = isPlainObject(lost) ? parseSalesforceDateTime(lost.from) : undefined;
		const to = isPlainObject(lost) ? parseSalesforceDateTime(lost.to) : undefined;
		if (from === undefined || to === undefined) return { fresh: 'unreadable' };
		lostDeletions = { from, to };
	}
	return { state: { key, horizon: floorToSecond(horizon), seen, lostDeletions } };
}
