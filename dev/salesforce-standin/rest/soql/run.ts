import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from '../schema';
import { ID_TYPES, TEXT_TYPES } from '../schema';
import type { RecordStore, RowHandle } from '../records';
import { idKey } from '../values';
import { apiDateTime, dateTimeMs } from '../../clock';
import type { ComparisonOperator, Condition, FieldPath, Literal, Query } from './ast';

/** Per query run: the ids each semi-join's subquery selects (15-character keys). */
type Joins = Map<Query, Set<string>>;

/**
 * Evaluating a parsed query against the store, with SOQL's semantics where they differ from SQL:
 * text compares case-insensitively, `!=` and NOT IN also match nulls, ASC sorts nulls first and
 * DESC nulls last (unless NULLS FIRST/LAST says otherwise), semi-joins compare ids by their
 * 15-character form.
 */

/** A live parent row, or undefined (a deleted parent reads as no parent). */
function parentOf(
	store: RecordStore,
	row: StoredRecord,
	reference: FieldDef,
): StoredRecord | undefined {
	const id = row[reference.name];
	if (typeof id !== 'string') return undefined;
	const parent = store.find(id)?.record;
	return parent && parent.IsDeleted !== true ? parent : undefined;
}

/** The value a field path reads from a row (null when a lookup on the way is empty). */
export function valueAt(store: RecordStore, row: StoredRecord, path: FieldPath): StoredValue {
	let current: StoredRecord | undefined = row;
	for (const reference of path.via) {
		current = parentOf(store, current, reference);
		if (!current) return null;
	}
	return current[path.field.name] ?? null;
}

/** Orders two non-null values of one field; text ignores case, ids compare in their 15-char form. */
function compareValues(field: FieldDef, a: StoredValue, b: StoredValue): number {
	let left: string | number | boolean = a as string | number | boolean;
	let right: string | number | boolean = b as string | number | boolean;
	if (TEXT_TYPES.has(field.type))
		[left, right] = [String(a).toLowerCase(), String(b).toLowerCase()];
	else if (ID_TYPES.has(field.type)) [left, right] = [idKey(String(a)), idKey(String(b))];
	else if (field.type === 'datetime')
		[left, right] = [dateTimeMs(String(a)), dateTimeMs(String(b))];
	else if (field.type === 'boolean') [left, right] = [Number(a), Number(b)];
	return left < right ? -1 : left > right ? 1 : 0;
}

function literalValue(
	field: FieldDef,
	literal: Exclude<Literal, { kind: 'dateRange' }>,
): StoredValue {
	if (literal.kind === 'null') return null;
	if (literal.kind === 'datetime') return apiDateTime(literal.value);
	// An empty string matches an empty (null) text or lookup, as in Salesforce.
	if (
		literal.kind === 'string' &&
		literal.value === '' &&
		(TEXT_TYPES.has(field.type) || ID_TYPES.has(field.type))
	)
		return null;
	return literal.value;
}

/** A date or datetime value in milliseconds (a date is its day's 00:00:00 GMT). */
function instantOf(field: FieldDef, value: StoredValue): number {
	return field.type === 'date'
		? Date.parse(`${String(value)}T00:00:00Z`)
		: dateTimeMs(String(value));
}

/** `value operator range`: = inside, < before, > after, <= before its end, >= from its start. */
function againstRange(
	field: FieldDef,
	value: StoredValue,
	operator: ComparisonOperator,
	range: { start: number; end: number },
): boolean {
	if (value === null) return operator === '!=';
	const at = instantOf(field, value);
	const inside = at >= range.start && at < range.end;
	if (operator === '=') return inside;
	if (operator === '!=') return !inside;
	if (operator === '<') return at < range.start;
	if (operator === '<=') return at < range.end;
	if (operator === '>') return at >= range.end;
	return at >= range.start;
}

function equals(field: FieldDef, value: StoredValue, literal: Literal): boolean {
	if (literal.kind === 'dateRange') return againstRange(field, value, '=', literal);
	const wanted = literalValue(field, literal);
	if (value === null || wanted === null) return value === wanted;
	return compareValues(field, value, wanted) === 0;
}

function matches(
	store: RecordStore,
	row: StoredRecord,
	condition: Condition,
	joins: Joins,
): boolean {
	switch (condition.kind) {
		case 'and':
			return condition.parts.every((part) => matches(store, row, part, joins));
		case 'or':
			return condition.parts.some((part) => matches(store, row, part, joins));
		case 'not':
			return !matches(store, row, condition.part, joins);
		case 'semiJoin': {
			const value = valueAt(store, row, condition.path);
			const found =
				value !== null && (joins.get(condition.query)?.has(idKey(String(value))) ?? false);
			// Like NOT IN with literals, an anti-join also keeps rows whose field is empty.
			return condition.negated ? !found : found;
		}
		case 'like': {
			const value = valueAt(store, row, condition.path);
			return value !== null && condition.pattern.test(String(value));
		}
		case 'in': {
			const value = valueAt(store, row, condition.path);
			const found = condition.values.some((literal) =>
				equals(condition.path.field, value, literal),
			);
			return condition.negated ? !found : found;
		}
		case 'compare': {
			const { field } = condition.path;
			const value = valueAt(store, row, condition.path);
			if (condition.value.kind === 'dateRange')
				return againstRange(field, value, condition.operator, condition.value);
			if (condition.operator === '=') return equals(field, value, condition.value);
			if (condition.operator === '!=') return !equals(field, value, condition.value);
			const wanted = literalValue(field, condition.value);
			if (value === null || wanted === null) return false;
			const order = compareValues(field, value, wanted);
			if (condition.operator === '<') return order < 0;
			if (condition.operator === '<=') return order <= 0;
			if (condition.operator === '>') return order > 0;
			return order >= 0;
		}
	}
}

/** Runs every semi-join's subquery once, before the rows are filtered. */
function joinSets(
	store: RecordStore,
	condition: Condition | undefined,
	joins: Joins = new Map(),
): Joins {
	if (!condition) return joins;
	if (condition.kind === 'and' || condition.kind === 'or')
		condition.parts.forEach((part) => joinSets(store, part, joins));
	if (condition.kind === 'not') joinSets(store, condition.part, joins);
	if (condition.kind === 'semiJoin') {
		const [selected] = condition.query.fields;
		const ids = new Set<string>();
		for (const row of selectRows(store, condition.query, false)) {
			const value = valueAt(store, row, selected);
			if (value !== null) ids.add(idKey(String(value)));
		}
		joins.set(condition.query, ids);
	}
	return joins;
}

/**
 * Handles (see RecordStore.scan) of the rows a query selects, in order, after OFFSET and LIMIT:
 * what a cursor or a Bulk query job keeps, so a million synthetic rows cost a number each.
 * Without ORDER BY the rows are scanned lazily and the scan stops at the LIMIT.
 */
export function selectHandles(
	store: RecordStore,
	query: Query,
	includeDeleted: boolean,
): RowHandle[] {
	const joins = joinSets(store, query.where);
	const start = query.offset ?? 0;
	const wanted = query.limit ?? Infinity;
	const selects = (row: StoredRecord) => !query.where || matches(store, row, query.where, joins);
	if (query.orderBy.length === 0) {
		const handles: RowHandle[] = [];
		let skipped = 0;
		for (const handle of store.scan(query.object, includeDeleted)) {
			if (handles.length >= wanted) break;
			// Without WHERE a synthetic row is not even built.
			if (query.where && !selects(store.rowAt(query.object, handle))) continue;
			if (skipped < start) skipped++;
			else handles.push(handle);
		}
		return handles;
	}
	const rows: Array<[RowHandle, StoredRecord]> = [];
	for (const handle of store.scan(query.object, includeDeleted)) {
		const row = store.rowAt(query.object, handle);
		if (selects(row)) rows.push([handle, row]);
	}
	rows.sort(([, a], [, b]) => {
		for (const item of query.orderBy) {
			const [left, right] = [valueAt(store, a, item.path), valueAt(store, b, item.path)];
			if (left === null && right === null) continue;
			if (left === null || right === null) return (left === null) === item.nullsLast ? 1 : -1;
			const order = compareValues(item.path.field, left, right);
			if (order !== 0) return item.descending ? -order : order;
		}
		return 0;
	});
	return rows.slice(start, start + wanted).map(([handle]) => handle);
}

/** The rows a query selects, in order, after OFFSET and LIMIT. */
export function selectRows(
	store: RecordStore,
	query: Query,
	includeDeleted: boolean,
): StoredRecord[] {
	return selectHandles(store, query, includeDeleted).map((handle) =>
		store.rowAt(query.object, handle),
	);
}

export function recordUrl(version: string, object: ObjectDef, id: StoredValue): string {
	return `/services/data/${version}/sobjects/${object.name}/${String(id)}`;
}

/** A row as the API returns it: `attributes`, then the selected fields; parents nest (or are null). */
export function renderRow(
	store: RecordStore,
	query: Query,
	row: StoredRecord,
	version: string,
): Record<string, unknown> {
	const out: Record<string, unknown> = {
		attributes: { type: query.object.name, url: recordUrl(version, query.object, row.Id) },
	};
	for (const path of query.fields) {
		let target = out;
		let current: StoredRecord | undefined = row;
		let currentType = query.object.name;
		for (const reference of path.via) {
			const key = reference.relationshipName ?? reference.name;
			const parent: StoredRecord | undefined = current && parentOf(store, current, reference);
			if (!parent) {
				if (!(key in target)) target[key] = null;
				current = undefined;
				break;
			}
			const objectName = store.objectOfId(String(parent.Id))?.name ?? reference.referenceTo[0];
			const nested = (target[key] as Record<string, unknown> | null | undefined) ?? {
				attributes: {
					type: objectName,
					url: `/services/data/${version}/sobjects/${objectName}/${String(parent.Id)}`,
				},
			};
			target[key] = nested;
			target = nested;
			current = parent;
			currentType = objectName;
		}
		if (!current) continue;
		const value = current[path.field.name] ?? null;
		// A blob field reads as the URL of its bytes (sObject Blob Retrieve).
		target[path.field.name] =
			path.field.type === 'base64' && value !== null
				? `/services/data/${version}/sobjects/${currentType}/${String(current.Id)}/${path.field.name}`
				: value;
	}
	return out;
}
