/**
 * The records of a write as a Bulk API 2.0 upload: the columns (every field any record sets, in
 * first-seen order; a parent given as `{ Account: { External_Id__c: 'x' } }` becomes the column
 * `Account.External_Id__c`, Bulk's way to name a parent by an external id) and each record as one
 * CSV row. JSON values keep their meaning from sObject Collections: null (and an empty text,
 * which Salesforce stores as null) clears a field (`#N/A`), a field a record does not set is left
 * alone (an empty value).
 */
import { invalidParameter } from '../rest/restErrors';
import { CSV_NULL, csvLine } from './csv';

export type BulkRecord = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return (
		typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
	);
}

/** The record's values by column name: a parent's fields as `Parent.Field`; `attributes` never. */
function flatten(record: BulkRecord, visit: (column: string, value: unknown) => void): void {
	for (const [name, value] of Object.entries(record)) {
		if (name === 'attributes' || value === undefined) continue;
		if (isPlainObject(value)) {
			for (const [inner, innerValue] of Object.entries(value)) {
				if (inner === 'attributes' || innerValue === undefined) continue;
				visit(`${name}.${inner}`, innerValue);
			}
		} else {
			visit(name, value);
		}
	}
}

/** Every column any record sets, in the order they first appear. */
export function ingestColumns(records: Iterable<BulkRecord>): string[] {
	const columns = new Map<string, string>();
	for (const record of records) {
		flatten(record, (column) => {
			// Salesforce's field names are case-insensitive: one column per field.
			const key = column.toLowerCase();
			if (!columns.has(key)) columns.set(key, column);
		});
	}
	return [...columns.values()];
}

/** One JSON value as Bulk's CSV text. */
export function csvValueOf(value: unknown, column: string): string {
	if (value === null || value === '') return CSV_NULL;
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') {
		if (!Number.isFinite(value))
			throw invalidParameter(
				'Fields',
				`"${column}" is ${String(value)}, which Salesforce cannot store`,
				'Give a finite number, or null to clear the field.',
			);
		// Plain digits, never 1e+21: Salesforce's CSV reader takes no exponent.
		return Math.abs(value) >= 1e21 ? BigInt(Math.trunc(value)).toString() : String(value);
	}
	if (value instanceof Date) return value.toISOString();
	throw invalidParameter(
		'Fields',
		`"${column}" holds ${Array.isArray(value) ? 'a list' : 'an object'}, which a Salesforce field cannot take`,
		'Map a text, number, boolean or date to it (a multi-select picklist takes its values joined with ";").',
	);
}

/** The values of one record in the columns' order, as CSV cells (refuses values no field takes). */
export function ingestCells(
	record: BulkRecord,
	columns: readonly string[],
	columnIndex: ReadonlyMap<string, number>,
): string[] {
	const cells = new Array<string>(columns.length).fill('');
	flatten(record, (column, value) => {
		const index = columnIndex.get(column.toLowerCase());
		if (index !== undefined) cells[index] = csvValueOf(value, column);
	});
	return cells;
}

/** A column name → position lookup for ingestCells (case-insensitive, as Salesforce reads names). */
export function columnPositions(columns: readonly string[]): Map<string, number> {
	return new Map(columns.map((column, index) => [column.toLowerCase(), index]));
}

/** The upload's header row. */
export function ingestHeader(columns: readonly string[]): string {
	return csvLine(columns);
}
