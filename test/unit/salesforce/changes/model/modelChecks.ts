/**
 * What "exactly once" means, checked on a model run — against the model's history, never against
 * what the core says about itself.
 *
 * Created / updated (a change = a committed version of a record; its key = Id + stamp to the second):
 * - no key is emitted twice, and none that was there when the trigger started;
 * - each emitted record equals a version of that record that was current while the poll ran, and
 *   is one the event and conditions ask for (updated: not stamped in its creation's second);
 * - after every poll that read everything (its query cursors drained), every version that was
 *   current throughout that poll, matches and is new (its key not emitted, not there at the start)
 *   has been emitted. A version made while the first poll ran may go either way; so may a key that
 *   failed the conditions at some point (they are checked when a change is read, and an edit that
 *   keeps the stamp can make it match later: any edit for created, an automation's for
 *   LastModifiedDate); and, for created, a record restored from the Recycle Bin (its CreatedDate is
 *   behind the horizon: created and deleted between two polls, it was never read alive).
 * That leaves exactly the documented limit: a change in the same second as a state the trigger has
 * already seen (emitted, or present at the start) has that state's key, and is not told apart.
 *
 * Deleted (a deletion = an entry of the deleted-records log; key = Id + deletedDate):
 * - no key twice, none there at the start; each emitted deletion is a log entry readable while the
 *   poll ran; `inRecycleBin: true` carries the record's Recycle Bin row (matching the conditions; a
 *   record restored and deleted again shows its latest deletion's row), `false` only when the
 *   Recycle Bin did not hold this deletion's row throughout the poll;
 * - (a deletion made in the minute the trigger started, of a record the Recycle Bin no longer held
 *   then, may go either way: the log lists a minute only once it is over);
 * - at the end, every deletion made after the start was emitted — unless it does not match the
 *   conditions, or its time lies in a lost window the trigger reported; every reported window follows
 *   a real purge of the log.
 */
import type { ChangeEvent, TimestampField } from '../../../../../nodes/salesforce';
import type { LogEntry, ModelOrg, Version } from './modelOrg';
import type { PollRecord } from './modelPoller';

export interface RunWatch {
	event: ChangeEvent;
	timestampField?: TimestampField;
	/** The run's only condition: Rating = this. */
	rating?: string;
	fields: string[];
}

const parse = (text: unknown) => Date.parse(String(text).replace(/\+0000$/, 'Z'));

function stampField(watch: RunWatch): 'CreatedDate' | TimestampField {
	return watch.event === 'created' ? 'CreatedDate' : (watch.timestampField ?? 'SystemModstamp');
}

function fail(message: string, details: unknown): never {
	throw new Error(`${message}\n${JSON.stringify(details, null, 1)}`);
}

export function checkRequests(org: ModelOrg, polls: readonly PollRecord[]): void {
	for (const poll of polls) {
		if (poll.outcome.requests !== poll.requests)
			fail(
				`poll ${poll.index} says it cost ${poll.outcome.requests} requests; the org counted ${poll.requests}`,
				poll,
			);
		if (poll.outcome.started) continue;
		if (poll.requests === 0) continue; // it reported a lost window found earlier
		if (poll.refusals === 0 && poll.composites !== 1)
			fail(`poll ${poll.index} sent ${poll.composites} Composite requests`, poll);
		if (poll.refusals === 0 && poll.largestCursor <= org.pageSize && poll.requests !== 1)
			fail(
				`poll ${poll.index} read at most one page per query yet cost ${poll.requests} requests`,
				poll,
			);
	}
}

export function checkChanges(
	org: ModelOrg,
	polls: readonly PollRecord[],
	watch: RunWatch,
): { emitted: number } {
	const field = stampField(watch);
	const keyOf = (version: Version) => `${version.id}@${version[field]}`;
	const relevant = (version: Version) =>
		!version.IsDeleted &&
		(watch.event !== 'updated' || version[field] !== version.CreatedDate) &&
		(watch.rating === undefined || version.Rating === watch.rating);
	const [first] = polls;
	if (!first?.outcome.started) fail('the first poll did not start the trigger', first);
	const atStart = new Set<string>();
	const exempt = new Set<string>();
	for (const version of org.versions) {
		const currentAtStart =
			version.committedTick <= first.startTick && version.endedTick > first.startTick;
		if (currentAtStart && !version.IsDeleted) atStart.add(keyOf(version));
		if (version.committedTick > first.startTick && version.committedTick <= first.endTick)
			exempt.add(keyOf(version));
	}
	if (first.emitted.length > 0) fail('the first poll emitted', first.emitted);
	// Conditions are checked when a change is read: a key (Id + stamp) that failed them at some point may
	// be read while it fails, and come to match only through an edit that keeps its stamp (any edit, for
	// created; an automation's, for LastModifiedDate). Such keys need not be emitted.
	const failedConditions = new Set(
		org.versions
			.filter((version) => watch.rating !== undefined && version.Rating !== watch.rating)
			.map(keyOf),
	);
	// created: a record restored from the Recycle Bin keeps its CreatedDate, so a creation the trigger
	// did not read before the deletion (created and deleted between two polls) stays behind the horizon.
	const restored = new Set(
		org.versions
			.filter(
				(version) =>
					watch.event === 'created' &&
					org.versions.some(
						(earlier) =>
							earlier.id === version.id && earlier.seq < version.seq && earlier.IsDeleted,
					),
			)
			.map((version) => version.seq),
	);
	const emitted = new Set<string>();
	for (const poll of polls.slice(1)) {
		for (const record of poll.emitted) {
			const key = `${String(record.Id)}@${parse(record[field])}`;
			if (emitted.has(key)) fail(`poll ${poll.index} emitted ${key} again`, record);
			if (atStart.has(key))
				fail(`poll ${poll.index} emitted ${key}, which was there when the trigger started`, record);
			const source = org.versions.find(
				(version) =>
					keyOf(version) === key &&
					version.committedTick <= poll.endTick &&
					version.endedTick > poll.startTick &&
					relevant(version) &&
					Object.entries(org.render(version, Object.keys(record))).every(
						([name, value]) => name === 'attributes' || record[name] === value,
					),
			);
			if (!source)
				fail(
					`poll ${poll.index} emitted ${key}, which is no matching version current while it ran`,
					record,
				);
			if (Object.keys(record).includes('attributes')) fail('a record kept its attributes', record);
			for (const name of watch.fields)
				if (!(name in record)) fail(`a record lacks the field ${name}`, record);
			emitted.add(key);
		}
		if (!poll.drained || poll.outcome.lostDeletions) continue;
		for (const version of org.versions) {
			if (
				version.committedTick > poll.startTick ||
				version.endedTick <= poll.endTick ||
				!relevant(version)
			)
				continue;
			const key = keyOf(version);
			if (failedConditions.has(key) || restored.has(version.seq)) continue;
			if (!emitted.has(key) && !atStart.has(key) && !exempt.has(key))
				fail(`after poll ${poll.index} read everything, ${key} was never emitted`, {
					version,
					poll: { ...poll, outcome: { ...poll.outcome, records: poll.outcome.records.length } },
				});
		}
	}
	return { emitted: emitted.size };
}

const LOST =
	/between (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC and (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC/;

export function checkDeletions(
	org: ModelOrg,
	polls: readonly PollRecord[],
	watch: RunWatch,
): { emitted: number; lostWindows: number } {
	const keyOf = (entry: { id: string; deletedDate: number }) => `${entry.id}@${entry.deletedDate}`;
	const [first] = polls;
	if (!first?.outcome.started) fail('the first poll did not start the trigger', first);
	if (first.emitted.length > 0) fail('the first poll emitted', first.emitted);
	// The log lists a minute once it is over, so the start sees the current minute's deletions through
	// the Recycle Bin only: one made in that minute, of a record no longer in the Recycle Bin when the
	// trigger started (restored, emptied, hard-deleted), is not told from one made after the start.
	const startMinute = Math.floor((first.startNow - 3000) / 60_000) * 60_000;
	const unseenAtStart = (e: LogEntry) =>
		e.deletedDate >= startMinute &&
		!org.versions.some(
			(v) =>
				v.id === e.id &&
				v.IsDeleted &&
				v.SystemModstamp === e.deletedDate &&
				v.committedTick <= first.startTick &&
				v.endedTick > first.startTick,
		);
	const atStart = new Set(
		org.log
			.filter(
				(e) =>
					e.committedTick <= first.startTick && e.purgedTick > first.startTick && !unseenAtStart(e),
			)
			.map(keyOf),
	);
	const exempt = new Set(
		org.log
			.filter((e) => e.committedTick > first.startTick && e.committedTick <= first.endTick)
			.map(keyOf),
	);
	const deletedVersion = (entry: { id: string; deletedDate: number }) =>
		org.versions.filter(
			(v) => v.id === entry.id && v.IsDeleted && v.SystemModstamp === entry.deletedDate,
		);
	const emitted = new Set<string>();
	const windows: Array<{ from: number; to: number }> = [];
	for (const poll of polls.slice(1)) {
		const lost = poll.outcome.lostDeletions ? LOST.exec(poll.outcome.lostDeletions.message) : null;
		if (poll.outcome.lostDeletions) {
			if (!lost) fail('a lost window the checker cannot read', poll.outcome.lostDeletions.message);
			const window = {
				from: Date.parse(`${lost[1].replace(' ', 'T')}Z`),
				to: Date.parse(`${lost[2].replace(' ', 'T')}Z`),
			};
			const purged = org.purges.some(
				(purge) => purge.tick <= poll.endTick && purge.upTo >= window.from,
			);
			const tooMany = polls.slice(0, poll.index + 1).some((earlier) => earlier.idLimitRefusals > 0);
			if (!purged && !tooMany)
				fail(`poll ${poll.index} reported a lost window no purge (nor Id limit) explains`, window);
			windows.push(window);
		}
		for (const record of poll.emitted) {
			const entry = { id: String(record.Id), deletedDate: parse(record.deletedDate) };
			const key = keyOf(entry);
			if (emitted.has(key)) fail(`poll ${poll.index} emitted the deletion ${key} again`, record);
			if (atStart.has(key))
				fail(
					`poll ${poll.index} emitted the deletion ${key}, there when the trigger started`,
					record,
				);
			const logged = org.log.some(
				(e) => keyOf(e) === key && e.committedTick <= poll.endTick && e.purgedTick > poll.startTick,
			);
			if (!logged)
				fail(`poll ${poll.index} emitted ${key}, which the log did not hold while it ran`, record);
			const versions = deletedVersion(entry);
			if (record.inRecycleBin === true) {
				// The record's Recycle Bin row: this deletion's, or a later one's (restored and deleted again since).
				const rows = org.versions.filter(
					(v) => v.id === entry.id && v.IsDeleted && v.SystemModstamp >= entry.deletedDate,
				);
				const source = rows.find(
					(v) =>
						v.committedTick <= poll.endTick &&
						v.endedTick > poll.startTick &&
						(watch.rating === undefined || v.Rating === watch.rating) &&
						Object.entries(org.render(v, watch.fields)).every(
							([name, value]) => name === 'attributes' || record[name] === value,
						),
				);
				if (!source)
					fail(
						`poll ${poll.index} emitted ${key} with fields no matching Recycle Bin row had`,
						record,
					);
			} else if (record.inRecycleBin === false) {
				const heldThroughout = versions.some(
					(v) => v.committedTick <= poll.startTick && v.endedTick > poll.endTick,
				);
				if (heldThroughout)
					fail(`poll ${poll.index} said the Recycle Bin no longer held ${key}, but it did`, record);
			} else {
				fail('a deletion without inRecycleBin', record);
			}
			emitted.add(key);
		}
	}
	// A record deleted several times in one second (restored in between) has one key: only the state
	// the trigger reads counts — the documented limit, for deletions.
	const sharedKeys = new Set(
		org.log.map(keyOf).filter((key, index, keys) => keys.indexOf(key) !== index),
	);
	for (const entry of org.log) {
		if (entry.committedTick <= first.endTick) continue;
		const key = keyOf(entry);
		if (emitted.has(key) || atStart.has(key) || exempt.has(key) || sharedKeys.has(key)) continue;
		const matching =
			watch.rating === undefined || deletedVersion(entry).some((v) => v.Rating === watch.rating);
		if (!matching) continue;
		if (
			windows.some((window) => entry.deletedDate >= window.from && entry.deletedDate <= window.to)
		)
			continue;
		fail(`the deletion ${key} was never emitted, and no reported lost window covers it`, {
			entry,
			windows,
		});
	}
	return { emitted: emitted.size, lostWindows: windows.length };
}
