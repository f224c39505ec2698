/**
 * Reading an ingest job's results (Bulk API 2.0 Developer Guide, "Get Job Successful/Failed Record
 * Results"). Each result row repeats the uploaded row ("Field data for the row that was provided
 * in the original job data upload request") after Salesforce's columns — `sf__Id, sf__Created` or
 * `sf__Id, sf__Error` — and "the order of records in the response is not guaranteed to match the
 * ordering of records in the original job data". So results are matched to the input by content:
 * each uploaded row is remembered by a digest of its cells (not its text: no second copy of the
 * data), and each result takes the first unmatched input row with the same cells. Rows that are
 * the same cell for cell are interchangeable (the same write), so any pairing among them is right.
 */
import { createHash } from 'node:crypto';
import type { RecordError } from '../rest/restErrors';
import type { RecordResult } from '../rest/writes';

function digestOf(cells: readonly string[]): string {
	// A separator no cell can hold unescaped in a way that makes two rows collide: the cell count
	// and each cell's length go in too.
	const hash = createHash('sha1');
	hash.update(String(cells.length));
	for (const cell of cells) hash.update(`\u0000${cell.length}\u0000${cell}`);
	return hash.digest('base64');
}

/** Input rows by content, for pairing results with the items they came from. */
export class ResultMatcher {
	private readonly rows = new Map<string, number | number[]>();
	private count = 0;

	/** Remembers input row `index` (0-based in upload order) by its cells. */
	add(index: number, cells: readonly string[]): void {
		const key = digestOf(cells);
		const known = this.rows.get(key);
		if (known === undefined) this.rows.set(key, index);
		else if (typeof known === 'number') this.rows.set(key, [known, index]);
		else known.push(index);
		this.count++;
	}

	/** How many rows are remembered and not yet taken. */
	get unmatched(): number {
		return this.count;
	}

	/** The input row a result's cells belong to (each row once), or undefined when none is left. */
	take(cells: readonly string[]): number | undefined {
		const key = digestOf(cells);
		const known = this.rows.get(key);
		if (known === undefined) return undefined;
		this.count--;
		if (typeof known === 'number') {
			this.rows.delete(key);
			return known;
		}
		const index = known.shift() as number;
		if (known.length === 0) this.rows.delete(key);
		return index;
	}
}

/**
 * Which columns of a result row are Salesforce's and where the uploaded columns are: the result
 * header names the input columns as uploaded, in any case; they are put back in upload order.
 */
export interface ResultLayout {
	id: number;
	/** sf__Created (successful results) or sf__Error (failed results). */
	outcome: number;
	/** For each uploaded column, its position in the result row (-1: absent, read as empty). */
	inputs: number[];
}

export function resultLayout(
	header: readonly string[],
	uploadedColumns: readonly string[],
	outcomeColumn: 'sf__Created' | 'sf__Error',
): ResultLayout {
	const lower = header.map((name) => name.toLowerCase());
	const inputs = uploadedColumns.map((column) => {
		const position = lower.indexOf(column.toLowerCase());
		return position >= 0 && !header[position].startsWith('sf__') ? position : -1;
	});
	return {
		id: lower.indexOf('sf__id'),
		outcome: lower.indexOf(outcomeColumn.toLowerCase()),
		inputs,
	};
}

/** The uploaded cells of a result row, in upload order. */
export function uploadedCells(row: readonly string[], layout: ResultLayout): string[] {
	return layout.inputs.map((position) => (position >= 0 ? (row[position] ?? '') : ''));
}

/**
 * sf__Error as Salesforce writes it, `STATUS_CODE:message:Field1 Field2 --` (fields may be none,
 * the message may hold colons), as a record error like Collections give.
 */
export function parseBulkError(text: string): RecordError {
	const trimmed = text.replace(/\s*--\s*$/, '');
	const first = trimmed.indexOf(':');
	if (first < 0)
		return { statusCode: trimmed || 'UNKNOWN_EXCEPTION', message: trimmed, fields: [] };
	const statusCode = trimmed.slice(0, first);
	const rest = trimmed.slice(first + 1);
	const last = rest.lastIndexOf(':');
	if (last < 0) return { statusCode, message: rest, fields: [] };
	const fieldsText = rest.slice(last + 1).trim();
	// A last segment with anything but field names is part of the message.
	if (
		fieldsText !== '' &&
		!/^[A-Za-z][A-Za-z0-9_.]*(?:\s+[A-Za-z][A-Za-z0-9_.]*)*$/.test(fieldsText)
	)
		return { statusCode, message: rest, fields: [] };
	return {
		statusCode,
		message: rest.slice(0, last),
		fields: fieldsText === '' ? [] : fieldsText.split(/\s+/),
	};
}

/** A successful result row as Collections would have answered for the record. */
export function successResult(row: readonly string[], layout: ResultLayout): RecordResult {
	const created = row[layout.outcome];
	return {
		id: row[layout.id] || undefined,
		success: true,
		created: created === 'true' || created === '1',
		errors: [],
	};
}

/** A failed result row as Collections would have answered for the record. */
export function failureResult(row: readonly string[], layout: ResultLayout): RecordResult {
	return {
		id: row[layout.id] || undefined,
		success: false,
		errors: [parseBulkError(row[layout.outcome] ?? '')],
	};
}
