import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * CSV as Bulk API 2.0 reads and writes it (Bulk API 2.0 Developer Guide, Prepare CSV Files and
 * Valid CSV Record Rows): the job's column delimiter and line ending; a value holding the
 * delimiter, a line break or a double quote is enclosed in double quotes, a double quote inside
 * one is doubled; values are not trimmed, so a space before or after a quote is an error; the
 * file is UTF-8. Data whose line endings are not the job's fails the job with Salesforce's
 * "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF".
 * The reader is fed chunk by chunk, so a 100 MB upload is never one string.
 */

export type LineEnding = 'LF' | 'CRLF';

export const DELIMITERS: Record<string, string> = {
	COMMA: ',',
	TAB: '\t',
	PIPE: '|',
	SEMICOLON: ';',
	CARET: '^',
	BACKQUOTE: '`',
};

export interface CsvFormat {
	/** One of DELIMITERS' keys. */
	columnDelimiter: string;
	lineEnding: LineEnding;
}

/** Malformed CSV; `message` is the job's errorMessage. */
export class CsvError extends Error {}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export class CsvReader {
	private readonly delimiter: number;
	private field = '';
	private record: string[] = [];
	private inQuotes = false;
	private afterQuote = false;
	private quoted = false;
	/** A trailing character whose meaning depends on the next one ('"' in quotes, '\r'). */
	private carry = '';
	private started = false;
	/** Records read so far, for messages. */
	records = 0;

	constructor(private readonly format: CsvFormat) {
		this.delimiter = DELIMITERS[format.columnDelimiter].charCodeAt(0);
	}

	/** The complete records in `text` (after what earlier pushes left open). */
	push(chunk: string): string[][] {
		let text = this.carry + chunk;
		this.carry = '';
		if (!this.started && text.length > 0) {
			this.started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		}
		const out: string[][] = [];
		let start = 0;
		let i = 0;
		const n = text.length;
		while (i < n) {
			const c = text.charCodeAt(i);
			if (this.inQuotes) {
				if (c !== QUOTE) {
					i++;
					continue;
				}
				if (i + 1 === n) {
					this.field += text.slice(start, i);
					this.carry = '"';
					return out;
				}
				this.field += text.slice(start, i);
				if (text.charCodeAt(i + 1) === QUOTE) {
					this.field += '"';
					i += 2;
				} else {
					this.inQuotes = false;
					this.afterQuote = true;
					i++;
				}
				start = i;
				continue;
			}
			if (c === this.delimiter) {
				this.field += text.slice(start, i);
				this.endField();
				start = ++i;
				continue;
			}
			if (c === CR) {
				if (i + 1 === n) {
					this.field += text.slice(start, i);
					this.carry = '\r';
					return out;
				}
				if (text.charCodeAt(i + 1) === LF) {
					if (this.format.lineEnding === 'LF') throw this.lineEndingError();
					this.field += text.slice(start, i);
					out.push(this.endRecord());
					start = i += 2;
					continue;
				}
				this.notAfterQuote(c);
				i++;
				continue;
			}
			if (c === LF) {
				if (this.format.lineEnding === 'CRLF') throw this.lineEndingError();
				this.field += text.slice(start, i);
				out.push(this.endRecord());
				start = ++i;
				continue;
			}
			if (c === QUOTE) {
				if (this.quoted || this.field !== '' || i > start)
					throw new CsvError(
						`ClientInputError : ${this.row()}: a double quote inside a value that is not enclosed in double quotes`,
					);
				this.inQuotes = true;
				this.quoted = true;
				start = ++i;
				continue;
			}
			this.notAfterQuote(c);
			i++;
		}
		this.field += text.slice(start);
		return out;
	}

	/** The last record, when the data does not end with a line break. */
	end(): string[][] {
		if (this.carry === '"') {
			this.carry = '';
			this.inQuotes = false;
			this.afterQuote = true;
		} else if (this.carry === '\r') {
			this.carry = '';
			this.notAfterQuote(CR);
			this.field += '\r';
		}
		if (this.inQuotes)
			throw new CsvError(
				`ClientInputError : ${this.row()}: a value enclosed in double quotes is not closed`,
			);
		if (this.field === '' && this.record.length === 0 && !this.quoted) return [];
		return [this.endRecord()];
	}

	private notAfterQuote(c: number): void {
		if (this.afterQuote) {
			throw new CsvError(
				`ClientInputError : ${this.row()}: '${String.fromCharCode(c)}' after a closing double quote (values are not trimmed)`,
			);
		}
	}

	/** The record being read, for messages: the header, then rows counted from 1. */
	private row(): string {
		return this.records === 0 ? 'The header' : `Row ${this.records}`;
	}

	private lineEndingError(): CsvError {
		return new CsvError(
			`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${this.format.lineEnding}`,
		);
	}

	private endField(): void {
		this.record.push(this.field);
		this.field = '';
		this.afterQuote = false;
		this.quoted = false;
	}

	private endRecord(): string[] {
		this.endField();
		const record = this.record;
		this.record = [];
		this.records++;
		return record;
	}
}

/** Every record of a CSV file, read a chunk at a time; `each` may stop early by returning false. */
export async function readCsvFile(
	path: string,
	format: CsvFormat,
	each: (records: string[][]) => boolean | void | Promise<boolean | void>,
): Promise<void> {
	const reader = new CsvReader(format);
	const decoder = new StringDecoder('utf8');
	for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
		const records = reader.push(decoder.write(chunk as Buffer));
		if (records.length > 0 && (await each(records)) === false) return;
	}
	const last = [...reader.push(decoder.end()), ...reader.end()];
	if (last.length > 0) await each(last);
}

/** One CSV line as Salesforce writes results: every value quoted, quotes doubled. */
export function csvLine(values: readonly string[], format: CsvFormat): string {
	const delimiter = DELIMITERS[format.columnDelimiter];
	let line = '';
	for (let i = 0; i < values.length; i++) {
		const value = values[i];
		line += `${i === 0 ? '' : delimiter}"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;
	}
	return line + (format.lineEnding === 'CRLF' ? '\r\n' : '\n');
}
