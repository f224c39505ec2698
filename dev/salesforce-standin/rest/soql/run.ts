import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from '../schema';
import { ID_TYPES, TEXT_TYPES } from '../schema';
import type { RecordStore } from '../records';
import { idKey } from '../values';
import { apiDateTime, dateTimeMs } from '../../clock';
import type { ComparisonOperator, Condition, FieldPath, Literal, Query } from './ast';

/**
 * Evaluating a parsed query against the store, with SOQL's semantics where they differ from SQL:
 * text compares case-insensitively, `!=` and NOT IN also match nulls, ASC sorts nulls first and
 * DESC nulls last (unless NULLS FIRST/LAST says otherwise).
 */


/** A live parent row, or undefined (a deleted parent reads as no parent). */
function parentOf(store: RecordStore, row: StoredRecord, reference: FieldDef): StoredRecord | undefined {
	const id = row[reference.name];
	if (typeof id !== 'string') return undefined;
	const parent = store.find(id)?.record;
	return parent && parent.IsDeleted !== true ? parent : undefined;
}

function valueAt(store: RecordStore, row: StoredRecord, path: FieldPath): StoredValue {
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
	if (TEXT_TYPES.has(field.type)) [left, right] = [String(a).toLowerCase(), String(b).toLowerCase()];
	else if (ID_TYPES.has(field.type)) [left, right] = [idKey(String(a)), idKey(String(b))];
	else if (field.type === 'datetime') [left, right] = [dateTimeMs(String(a)), dateTimeMs(String(b))];
	else if (field.type === 'boolean') [left, right] = [Number(a), Number(b)];
	return left < right ? -1 : left > right ? 1 : 0;
}

function literalValue(field: FieldDef, literal: Exclude<Literal, { kind: 'dateRange' }>): StoredValue {
	if (literal.kind === 'null') return null;
	if (literal.kind === 'datetime') return apiDateTime(literal.value);
	// An empty string matches an empty (null) text or lookup, as in Salesforce.
	if (literal.kind === 'string' && literal.value === '' && (TEXT_TYPES.has(field.type) || ID_TYPES.has(field.type))) return null;
	return literal.value;
}

/** A date or datetime value in milliseconds (a date is its day's 00:00:00 GMT). */
function instantOf(field: FieldDef, value: StoredValue): number {
	return field.type === 'date' ? Date.parse(`${String(value)}T00:00:00Z`) : dateTimeMs(String(value));
}

/** `value operator range`: = inside, < before, > after, <= before its end, >= from its start. */
function againstRange(field: FieldDef, value: StoredValue, operator: ComparisonOperator, range: { start: number; end: number }): boolean {
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

function matches(store: RecordStore, row: StoredRecord, condition: Condition): boolean {
	switch (condition.kind) {
		case 'and':
			return condition.parts.every((part) => matches(store, row, part));
		case 'or':
			return condition.parts.some((part) => matches(store, row, part));
		case 'not':
			return !matches(store, row, condition.part);
		case 'like': {
			const value = valueAt(store, row, condition.path);
			return value !== null && condition.pattern.test(String(value));
		}
		case 'in': {
			const value = valueAt(store, row, condition.path);
			const found = condition.values.some((literal) => equals(condition.path.field, value, literal));
			return condition.negated ? !found : found;
		}
		case 'compare': {
			const { field } = condition.path;
			const value = valueAt(store, row, condition.path);
			if (condition.value.kind === 'dateRange') return againstRange(field, value, condition.operator, condition.value);
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

/** The rows a query selects, in order, after OFFSET and LIMIT. */
export function selectRows(store: RecordStore, query: Query, includeDeleted: boolean): StoredRecord[] {
	let rows = store.all(query.object, includeDeleted).filter((row) => !query.where || matches(store, row, query.where));
	if (query.orderBy.length > 0) {
		rows = [...rows].sort((a, b) => {
			for (const item of query.orderBy) {
				const [left, right] = [valueAt(store, a, item.path), valueAt(store, b, item.path)];
				if (left === null && right === null) continue;
				if (left === null || right === null) return (left === null) === item.nullsLast ? 1 : -1;
				const order = compareValues(item.path.field, left, right);
				if (order !== 0) return item.descending ? -order : order;
			}
			return 0;
		});
	}
	const start = query.offset ?? 0;
	return rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
}

export function recordUrl(version: string, object: ObjectDef, id: StoredValue): string {
	return `/services/data/${version}/sobjects/${object.name}/${String(id)}`;
}

/** A row as the API returns it: `attributes`, then the selected fields; parents nest (or are null). */
export function renderRow(store: RecordStore, query: Query, row: StoredRecord, version: string): Record<string, unknown> {
	const out: Record<string, unknown> = { attributes: { type: query.object.name, url: recordUrl(version, query.object, row.Id) } };
	for (const path of query.fields) {
		let target = out;
		let current: StoredRecord | undefined = row;
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
				attributes: { type: objectName, url: `/services/data/${version}/sobjects/${objectName}/${String(parent.Id)}` },
			};
			target[key] = nested;
			target = nested;
			current = parent;
		}
		if (current) target[path.field.name] = current[path.field.name] ?? null;
	}
	return out;
}

