/**
 * The SOQL a change trigger runs, built like Record → Get Many's (same field checks, same condition
 * escaping) plus its own filters: a time window on the audit field, written as SOQL documents
 * datetime literals (`2026-12-04T10:00:07Z`), and `IsDeleted = true` for the Recycle Bin. Rows come
 * ordered by (stamp, Id), so many records sharing one second stay in one order across pages.
 */
import {
	buildSelectQuery,
	soqlBooleanLiteral,
	soqlDateTimeLiteral,
	type SelectQuery,
	type SoqlFilter,
} from '../rest/soql';
import type { CheckedWatch } from './changeWatch';

function since(field: string, instant: number): SoqlFilter {
	return { field, operator: '>=', value: soqlDateTimeLiteral(instant) };
}

const IN_RECYCLE_BIN: SoqlFilter = {
	field: 'IsDeleted',
	operator: '=',
	value: soqlBooleanLiteral(true),
};

/** Id and the audit fields the poll needs, then the fields chosen (duplicates dropped by the builder). */
function returnedFields(watch: CheckedWatch): string[] {
	const needed = ['Id', watch.stampField];
	if (watch.event === 'updated') needed.push('CreatedDate');
	return [...needed, ...watch.fields];
}

function select(
	watch: CheckedWatch,
	query: Omit<SelectQuery, 'sobject' | 'fieldTypes' | 'labels'>,
): string {
	const { sobject, fields, conditions } = watch.labels;
	return buildSelectQuery({
		sobject: watch.sobject,
		fieldTypes: watch.fieldTypes,
		labels: { sobject, fields, conditions },
		...query,
	});
}

const BY_STAMP = (watch: CheckedWatch) => [{ field: watch.stampField }, { field: 'Id' }];

/** A poll's read: every matching record stamped at or after the horizon, in its latest state. */
export function changesQuery(watch: CheckedWatch, horizon: number): string {
	return select(watch, {
		fields: returnedFields(watch),
		conditions: watch.conditions,
		filters: [since(watch.stampField, horizon)],
		orderBy: BY_STAMP(watch),
	});
}

/**
 * The first poll's read: the keys of every record stamped since `from`, matching or not — a record
 * that does not match now can come to match without a change of its key (a LastModifiedDate trigger
 * and an automation's edit, a condition on a parent's field), and it still changed before the start.
 */
export function startKeysQuery(watch: CheckedWatch, from: number): string {
	return select(watch, {
		fields: ['Id', watch.stampField],
		filters: [since(watch.stampField, from)],
		orderBy: BY_STAMP(watch),
	});
}

/**
 * The first poll's check of the fields and conditions: the poll's own query limited to one row, so a
 * field the user cannot read or a condition Salesforce refuses fails the activation, naming it.
 */
export function probeQuery(watch: CheckedWatch, from: number): string {
	const deleted = watch.event === 'deleted';
	return select(watch, {
		fields: returnedFields(watch),
		conditions: watch.conditions,
		filters: deleted
			? [IN_RECYCLE_BIN, since('SystemModstamp', from)]
			: [since(watch.stampField, from)],
		limit: 1,
	});
}

/**
 * The Recycle Bin's rows deleted since `from` (a `queryAll`): with the fields and conditions, or only
 * their Ids and without the conditions — together they tell a deleted record that does not match
 * from one the Recycle Bin no longer holds.
 */
export function recycleBinQuery(
	watch: CheckedWatch,
	from: number,
	options: { idsOnly?: boolean } = {},
): string {
	return select(watch, {
		fields: options.idsOnly ? ['Id', 'SystemModstamp'] : returnedFields(watch),
		conditions: options.idsOnly ? [] : watch.conditions,
		filters: [IN_RECYCLE_BIN, since('SystemModstamp', from)],
		orderBy: BY_STAMP(watch),
	});
}

/** The editor's "Fetch Test Event": the latest matching records (deleted: from the Recycle Bin, a `queryAll`). */
export function sampleQuery(watch: CheckedWatch, limit: number): string {
	return select(watch, {
		fields: returnedFields(watch),
		conditions: watch.conditions,
		filters: watch.event === 'deleted' ? [IN_RECYCLE_BIN] : [],
		orderBy: [
			{ field: watch.stampField, descending: true },
			{ field: 'Id', descending: true },
		],
		limit,
	});
}
