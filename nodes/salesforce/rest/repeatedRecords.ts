/**
 * Items that name the same Salesforce record in one write: the same Id to update or delete (Get Many
 * run once per input item hands the same records on again and again), the same external ID value to
 * upsert. Salesforce takes a repeated Id badly: an update writes it at most 12 times per request and
 * fails the rest (DUPLICATE_VALUE), a delete meets the record it has just deleted in the Recycle Bin
 * (ENTITY_IS_DELETED), an upsert fails every repeat (DUPLICATE_EXTERNAL_ID).
 *
 * So no request names a record twice. Repeats that would write the same thing share one write and
 * its result. A repeat that writes something else goes in a later round of requests, in item order,
 * so the record ends as the items applied one after another would leave it — each item still gets
 * its own result.
 */

export interface WriteRound<T> {
	/** The records to send in this round, each record named once. */
	records: T[];
	/** For each record sent: the input positions it stands for (its own, and its identical repeats'). */
	positions: number[][];
}

/** A record named by more than one input. */
export interface RepeatedRecord {
	/** The Id or external ID value, as its first input gave it. */
	key: string;
	/** The input positions naming it, in order. */
	positions: number[];
	/** How many writes it takes: 1 when every repeat writes the same, more when they differ. */
	writes: number;
}

export interface WritePlan<T> {
	/** Round after round; a round only starts once the one before is written. */
	rounds: Array<WriteRound<T>>;
	repeated: RepeatedRecord[];
}

/**
 * Plans the rounds. `keyOf`: what names the record (undefined: nothing, e.g. a record to create);
 * `sameWrite`: whether two inputs naming one record would write the same.
 */
export function planWriteRounds<T>(
	records: readonly T[],
	keyOf: (record: T) => { key: string; shown: string } | undefined,
	sameWrite: (a: T, b: T) => boolean,
): WritePlan<T> {
	const rounds: Array<WriteRound<T>> = [];
	const roundAt = (index: number): WriteRound<T> =>
		(rounds[index] ??= { records: [], positions: [] });
	/** Per key: where its latest write sits, and every position naming it. */
	const byKey = new Map<
		string,
		{ round: number; slot: number; record: T; shown: string; positions: number[]; writes: number }
	>();

	records.forEach((record, position) => {
		const named = keyOf(record);
		const latest = named && byKey.get(named.key);
		if (!named || !latest) {
			const round = roundAt(0);
			round.records.push(record);
			round.positions.push([position]);
			if (named)
				byKey.set(named.key, {
					round: 0,
					slot: round.records.length - 1,
					record,
					shown: named.shown,
					positions: [position],
					writes: 1,
				});
			return;
		}
		latest.positions.push(position);
		// Only the latest write of the record may take a repeat: an earlier one would be undone by it.
		if (sameWrite(latest.record, record)) {
			rounds[latest.round].positions[latest.slot].push(position);
			return;
		}
		const round = roundAt(latest.round + 1);
		round.records.push(record);
		round.positions.push([position]);
		Object.assign(latest, {
			round: latest.round + 1,
			slot: round.records.length - 1,
			record,
			writes: latest.writes + 1,
		});
	});

	const repeated = [...byKey.values()]
		.filter((entry) => entry.positions.length > 1)
		.map(({ shown, positions, writes }) => ({ key: shown, positions, writes }));
	return { rounds, repeated };
}

/** Whether two JSON values are the same, whatever the order of their keys. */
export function sameValues(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) || Array.isArray(b)) {
		return (
			Array.isArray(a) &&
			Array.isArray(b) &&
			a.length === b.length &&
			a.every((value, index) => sameValues(value, b[index]))
		);
	}
	const aKeys = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
	const bKeys = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
	return (
		aKeys.length === bKeys.length &&
		aKeys.every((key) =>
			sameValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
		)
	);
}

/** What a note on a repeated record says: "items 0, 6 and 12 name 001…: deleted once for all of them". */
export function describeRepeat(
	repeat: RepeatedRecord,
	itemIndexes: readonly number[],
	done: string,
): string {
	const items = repeat.positions.map((position) => itemIndexes[position]);
	const list =
		items.length > 1
			? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
			: String(items[0]);
	const how =
		repeat.writes === 1
			? `${done} once for all of them`
			: `${done} in item order, ${repeat.writes} times (their values differ)`;
	return `items ${list} name ${repeat.key}: ${how}`;
}
