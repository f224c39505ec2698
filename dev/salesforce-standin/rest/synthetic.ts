import type { FieldDef, ObjectDef, StoredRecord, WriteContext } from './schema';
import { findField } from './schema';
import type { Entries } from './dml';
import { buildRecord } from './dml';
import { deserialize, idKey } from './values';
import { checksumSuffix } from '../ids';

/**
 * Synthetic rows: N rows of one object that exist only as a function of their index, so the
 * benchmark can query a million records without the stand-in holding a million objects. Their
 * ids are deterministic: key prefix, 'zz', a one-letter seed tag, the index in base 62 (a random
 * id always has '0' at that position, so the two never collide). Reading a row builds it the way
 * a create would (buildRecord), with the fields the caller's function gives for its index.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const INDEX_DIGITS = 9;
const TAGS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface SyntheticRows {
	readonly count: number;
	idOf(index: number): string;
	/** The index of an id of these rows, or undefined. */
	indexOf(id: string): number | undefined;
	row(index: number): StoredRecord;
}

export type SyntheticFields = (index: number) => Record<string, unknown>;

function base62(value: number): string {
	let text = '';
	for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) text = BASE62[rest % 62] + text;
	return text.padStart(INDEX_DIGITS, '0');
}

/** The tag for the n-th synthetic seed of an object (26 per object are plenty for tests). */
export function syntheticTag(seed: number): string {
	const tag = TAGS[seed];
	if (tag === undefined) throw new Error(`synthetic rows: at most ${TAGS.length} seeds per object`);
	return tag;
}

/**
 * `fields` must give the same field names for every index (they are resolved once) and no unique
 * or external-id field (synthetic values are not indexed, so no lookup or duplicate check would see them).
 */
export function syntheticRows(
	object: ObjectDef,
	count: number,
	tag: string,
	fields: SyntheticFields,
	context: WriteContext,
): SyntheticRows {
	const head = `${object.keyPrefix}zz${tag}`;
	const resolved = new Map<string, FieldDef>();
	const fieldOf = (name: string): FieldDef => {
		let field = resolved.get(name);
		if (!field) {
			field = findField(object, name);
			if (!field) throw new Error(`synthetic ${object.name}: no field '${name}'`);
			if (field.unique || field.externalId)
				throw new Error(
					`synthetic ${object.name}: ${field.name} is indexed (unique or external id); synthetic values are not`,
				);
			if (!field.createable || field.type === 'base64')
				throw new Error(`synthetic ${object.name}: ${field.name} cannot be set`);
			resolved.set(name, field);
		}
		return field;
	};
	const idOf = (index: number) => {
		const id15 = head + base62(index);
		return id15 + checksumSuffix(id15);
	};
	return {
		count,
		idOf,
		indexOf(id: string) {
			if (idKey(id).slice(0, head.length) !== head || id.length < 15) return undefined;
			let index = 0;
			for (const char of id.slice(head.length, 15)) {
				const digit = BASE62.indexOf(char);
				if (digit < 0) return undefined;
				index = index * 62 + digit;
			}
			return index < count && idOf(index).slice(0, 15) === id.slice(0, 15) ? index : undefined;
		},
		row(index: number) {
			const entries: Entries = [];
			for (const [name, raw] of Object.entries(fields(index))) {
				const field = fieldOf(name);
				const value = deserialize(field, raw);
				if ('error' in value)
					throw new Error(`synthetic ${object.name} row ${index}: ${value.error.message}`);
				entries.push([field, value.value]);
			}
			return buildRecord(object, idOf(index), entries, context);
		},
	};
}
