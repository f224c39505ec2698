/**
 * CSV as Bulk API 2.0 reads and writes it (Bulk API 2.0 Developer Guide, "Prepare CSV Files"):
 * comma-separated, LF line endings (the job's defaults), UTF-8; a value holding a comma, a quote
 * or a line break is enclosed in double quotes, a quote inside one doubled; values are never
 * trimmed. In an upload an empty value leaves a field unchanged and `#N/A` sets it to null.
 *
 * Both directions work a line at a time: an upload is written row by row as it is sent, and a
 * result is read chunk by chunk as it arrives, so neither is ever one string.
 */

/** The value that sets a field to null in an upload (an empty value leaves it unchanged). */
export const CSV_NULL = '#N/A';

const NEEDS_QUOTES = /[",\r\n]/;

/** One value as a CSV field: quoted (quotes doubled) only when it must be. */
export function csvField(text: string): string {
	return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, LF-terminated. */
export function csvLine(values: readonly string[]): string {
	let line = '';
	for (let index = 0; index < values.length; index++)
		line += (index === 0 ? '' : ',') + csvField(values[index]);
	return `${line}\n`;
}

/**
 * Reads CSV pushed in pieces of text (as a response arrives), handing back each complete row.
 * Quoted values may span pieces and lines; CRLF and LF both end a row; a BOM at the start is
 * dropped. Malformed quoting is taken as Salesforce's readers take it: the text as it stands.
 */
export class CsvRowReader {
	private field = '';
	private row: string[] = [];
	private inQuotes = false;
	/** The previous piece ended on a quote inside a quoted value: an escaped quote or the closing one. */
	private pendingQuote = false;
	/** The previous piece ended on a CR outside quotes. */
	private pendingCr = false;
	private started = false;
	/** Whether the row being read has any content yet (a blank line is no row). */
	private rowStarted = false;

	/** The rows completed by this piece of text. */
	push(text: string): string[][] {
		const rows: string[][] = [];
		let start = 0;
		let index = 0;
		if (!this.started && text.length > 0) {
			this.started = true;
			if (text.charCodeAt(0) === 0xfeff) start = index = 1;
		}
		if (this.pendingQuote && text.length > 0) {
			this.pendingQuote = false;
			if (text[0] === '"') {
				this.field += '"';
				start = index = 1;
			} else {
				this.inQuotes = false;
			}
		}
		if (this.pendingCr && text.length > 0) {
			this.pendingCr = false;
			if (text[0] === '\n') start = index = index + 1;
		}
		const length = text.length;
		while (index < length) {
			const character = text[index];
			if (this.inQuotes) {
				if (character !== '"') {
					index++;
					continue;
				}
				this.field += text.slice(start, index);
				if (index + 1 === length) {
					this.pendingQuote = true;
					return rows;
				}
				if (text[index + 1] === '"') {
					this.field += '"';
					index += 2;
				} else {
					this.inQuotes = false;
					index++;
				}
				start = index;
				continue;
			}
			if (character === '"' && index === start && this.field === '') {
				this.inQuotes = true;
				this.rowStarted = true;
				start = ++index;
				continue;
			}
			if (character === ',') {
				this.row.push(this.field + text.slice(start, index));
				this.field = '';
				this.rowStarted = true;
				start = ++index;
				continue;
			}
			if (character === '\n' || character === '\r') {
				this.field += text.slice(start, index);
				this.endRow(rows);
				if (character === '\r') {
					if (index + 1 === length) this.pendingCr = true;
					else if (text[index + 1] === '\n') index++;
				}
				start = ++index;
				continue;
			}
			this.rowStarted = true;
			index++;
		}
		this.field += text.slice(start, index);
		return rows;
	}

	/** The last row, when the text did not end with a line break. */
	end(): string[][] {
		const rows: string[][] = [];
		this.pendingCr = false;
		if (this.pendingQuote) {
			this.pendingQuote = false;
			this.inQuotes = false;
		}
		this.endRow(rows);
		return rows;
	}

	private endRow(rows: string[][]): void {
		if (this.rowStarted || this.field !== '' || this.row.length > 0) {
			this.row.push(this.field);
			rows.push(this.row);
		}
		this.row = [];
		this.field = '';
		this.rowStarted = false;
	}
}

/**
 * Reads a CSV answer stream (chunks of bytes or text) row by row: `onHeader` gets the first row
 * (and may take its time: rows wait for it), `onRow` each data row. Returning false from `onRow`
 * stops reading (the caller then drops the stream). Returns the header.
 */
export async function readCsvRows(
	chunks: AsyncIterable<unknown>,
	handlers: {
		onHeader?: (header: string[]) => void | Promise<void>;
		onRow: (row: string[], header: readonly string[]) => boolean | void;
	},
): Promise<string[]> {
	const decoder = new TextDecoder('utf-8');
	const reader = new CsvRowReader();
	let header: string[] | undefined;
	let stopped = false;
	const take = async (rows: string[][]) => {
		for (const row of rows) {
			if (stopped) return;
			if (!header) {
				header = row;
				await handlers.onHeader?.(row);
			} else if (handlers.onRow(row, header) === false) {
				stopped = true;
			}
		}
	};
	for await (const chunk of chunks) {
		await take(
			reader.push(
				typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }),
			),
		);
		if (stopped) return header ?? [];
	}
	await take(reader.push(decoder.decode()));
	await take(reader.end());
	return header ?? [];
}
