/**
 * A Bulk API 2.0 query's CSV rows made into the records the REST query returns for the same SOQL,
 * so switching a node between the two changes nothing downstream. CSV carries only text; the
 * object's describe says what each column is:
 * - numbers (int, double, currency, percent, long) as JSON numbers, booleans as true/false, an
 *   empty value as null (Salesforce stores an empty text as null, so REST says null too);
 * - datetimes as the REST API writes them, `2026-01-31T09:30:00.000+0000` (Bulk writes `…000Z`);
 *   dates `YYYY-MM-DD` and everything else as the text it is;
 * - relationship columns (`Account.Name`, `Owner.Profile.Name`) nested as REST nests parents:
 *   `{ Account: { Name } }`, and `null` when every column of that parent is empty (REST: no parent);
 * - with attributes, each level gets `{ type, url }` as REST gives it; the url needs the record's
 *   Id, so it is there when the query selects that level's Id (REST always has it).
 * Bulk queries have no subqueries (parent-to-child), aggregates or OFFSET: Salesforce refuses them.
 * Column names keep the describe's spelling, as REST's keys do, whatever the SOQL's case.
 */
import type { FieldDescribe } from '../rest/describe';

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

/** A column, resolved: its key at each level, the field's type, and the object of each parent level. */
interface PlannedColumn {
	/** Where the value goes: ['Account', 'Name']. */
	keys: string[];
	/** The field's type ('' when the describe does not know it: the text is kept). */
	type: string;
	/** The object at each parent level (for `attributes.type`): ['Account']. */
	parents: string[];
}

export interface QueryColumns {
	root: string;
	columns: PlannedColumn[];
}

/** An object's fields by lower-case name, as the describe gives them (with relationships). */
export type DescribeLookup = (objectName: string) => readonly FieldDescribe[] | undefined;

function fieldNamed(fields: readonly FieldDescribe[], name: string): FieldDescribe | undefined {
	const lower = name.toLowerCase();
	return fields.find((field) => field.name.toLowerCase() === lower);
}

function relationshipNamed(
	fields: readonly FieldDescribe[],
	name: string,
): FieldDescribe | undefined {
	const lower = name.toLowerCase();
	return fields.find(
		(field) => field.type === 'reference' && (field.relationshipName ?? '').toLowerCase() === lower,
	);
}

/**
 * The header's columns resolved against the describes, or the objects whose describe is still
 * needed (the caller describes them and asks again: parents are known only level by level).
 */
export function planQueryColumns(
	header: readonly string[],
	root: string,
	describe: DescribeLookup,
): { plan: QueryColumns } | { missing: string[] } {
	const missing = new Set<string>();
	const columns: PlannedColumn[] = [];
	for (const column of header) {
		const parts = column.split('.');
		const keys: string[] = [];
		const parents: string[] = [];
		let objectName = root;
		let type = '';
		for (let index = 0; index < parts.length; index++) {
			const fields = describe(objectName);
			if (!fields) {
				missing.add(objectName);
				break;
			}
			const last = index === parts.length - 1;
			if (last) {
				const field = fieldNamed(fields, parts[index]);
				keys.push(field?.name ?? parts[index]);
				type = field?.type ?? '';
				break;
			}
			const reference = relationshipNamed(fields, parts[index]);
			keys.push(reference?.relationshipName ?? parts[index]);
			// A polymorphic lookup (Owner: User or Group) names the first object; the fields read through it are common to all.
			const target =
				reference?.referenceTo?.find(
					(name) =>
						describe(name) === undefined || fieldNamed(describe(name) ?? [], parts[index + 1]),
				) ?? reference?.referenceTo?.[0];
			if (!target) {
				keys.push(...parts.slice(index + 1));
				parents.push(parts[index]);
				break;
			}
			parents.push(target);
			objectName = target;
		}
		columns.push({ keys, type, parents });
	}
	if (missing.size > 0) return { missing: [...missing] };
	return { plan: { root, columns } };
}

/** A datetime as the REST API writes it: milliseconds and `+0000`. */
function restDateTime(text: string): string {
	const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?(?:Z|[+-]00:?00)$/.exec(
		text,
	);
	if (!match) return text;
	return `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}+0000`;
}

/** One CSV value as the REST query's JSON has it. */
export function restValueOf(text: string, type: string): unknown {
	if (text === '') return null;
	if (NUMBER_TYPES.has(type)) {
		const number = Number(text);
		return Number.isFinite(number) ? number : text;
	}
	if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
	if (type === 'datetime') return restDateTime(text);
	return text;
}

type Level = Record<string, unknown>;

/**
 * The record of one CSV row, shaped as the REST query returns it. `apiVersion` ('62.0') makes the
 * attributes' url; without `includeAttributes` there are none (as the node's REST path strips them).
 */
export function recordOfRow(
	row: readonly string[],
	plan: QueryColumns,
	options: { includeAttributes: boolean; apiVersion: string },
): Record<string, unknown> {
	const record: Level = {};
	const attributesFor = (level: Level, type: string) => {
		if (options.includeAttributes) level.attributes = { type, url: undefined };
	};
	attributesFor(record, plan.root);
	/** Parent levels whose columns so far were all empty: null unless a later column has a value. */
	const emptyParents = new Set<Level>();
	plan.columns.forEach((column, index) => {
		const value = restValueOf(row[index] ?? '', column.type);
		let level = record;
		for (let depth = 0; depth < column.keys.length - 1; depth++) {
			const key = column.keys[depth];
			let next = level[key] as Level | undefined;
			if (next === undefined || next === null) {
				next = {};
				attributesFor(next, column.parents[depth]);
				level[key] = next;
				emptyParents.add(next);
			}
			if (value !== null) emptyParents.delete(next);
			level = next;
		}
		level[column.keys[column.keys.length - 1]] = value;
	});
	finish(record, emptyParents, options);
	return record;
}

/** Parents with no value become null; each level's url is set from its Id (or left out when unknown). */
function finish(
	level: Level,
	emptyParents: ReadonlySet<Level>,
	options: { includeAttributes: boolean; apiVersion: string },
): void {
	for (const [key, value] of Object.entries(level)) {
		if (key === 'attributes' || value === null || typeof value !== 'object') continue;
		if (emptyParents.has(value as Level)) level[key] = null;
		else finish(value as Level, emptyParents, options);
	}
	if (!options.includeAttributes) return;
	const attributes = level.attributes as { type: string; url?: string };
	const id = level.Id;
	if (typeof id === 'string' && id !== '')
		attributes.url = `/services/data/v${options.apiVersion}/sobjects/${attributes.type}/${id}`;
	else delete attributes.url;
}
