import fc from 'fast-check';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
	CsvError,
	CsvReader,
	csvLine,
	type CsvFormat,
} from '../../../dev/salesforce-standin/rest/bulk/csv';
import { MultipartParser, multipartBoundary } from '../../../dev/salesforce-standin/multipart';

/**
 * The stand-in's two streaming parsers see uploads in whatever chunks the socket delivers: a quote,
 * a CR or a boundary can be split anywhere. Property: any split of the input gives the same result
 * as the input in one piece.
 */

/** Splits `text` at the given cut points. */
function split<T extends string | Buffer>(whole: T, cuts: number[]): T[] {
	const points = [...new Set(cuts.map((cut) => cut % (whole.length + 1)))].sort((a, b) => a - b);
	const pieces: T[] = [];
	let from = 0;
	for (const point of [...points, whole.length]) {
		pieces.push(whole.slice(from, point) as T);
		from = point;
	}
	return pieces;
}

function readAll(format: CsvFormat, pieces: string[]): string[][] {
	const reader = new CsvReader(format);
	return [...pieces.flatMap((piece) => reader.push(piece)), ...reader.end()];
}

const value = fc.string({
	unit: fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', '\r', '\t', 'é', '✓'),
	maxLength: 6,
});
const table = fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), {
	minLength: 1,
	maxLength: 6,
});

describe('CsvReader', () => {
	it.each<CsvFormat>([
		{ columnDelimiter: 'COMMA', lineEnding: 'LF' },
		{ columnDelimiter: 'SEMICOLON', lineEnding: 'CRLF' },
		{ columnDelimiter: 'TAB', lineEnding: 'LF' },
	])('reads back what csvLine writes, however it is cut (%o)', (format) => {
		fc.assert(
			fc.property(table, fc.array(fc.nat(), { maxLength: 8 }), (rows, cuts) => {
				const text = rows.map((row) => csvLine(row, format)).join('');
				expect(readAll(format, split(text, cuts))).toEqual(rows);
			}),
			{ numRuns: 300 },
		);
	});

	it("refuses line endings that are not the job's, wherever the CR falls", () => {
		for (const cut of [0, 4, 5, 6, 7]) {
			expect(() =>
				readAll({ columnDelimiter: 'COMMA', lineEnding: 'LF' }, split('Name\r\nA\r\n', [cut])),
			).toThrow(CsvError);
		}
		expect(() => readAll({ columnDelimiter: 'COMMA', lineEnding: 'CRLF' }, ['Name\nA'])).toThrow(
			'Current LineEnding setting is CRLF',
		);
		// A CR or LF inside quotes is data, not a line ending.
		expect(readAll({ columnDelimiter: 'COMMA', lineEnding: 'LF' }, ['"a\r\nb",c\n'])).toEqual([
			['a\r\nb', 'c'],
		]);
	});

	it('keeps unquoted spaces, and refuses a space next to a quote', () => {
		const format: CsvFormat = { columnDelimiter: 'COMMA', lineEnding: 'LF' };
		expect(readAll(format, ['John, Smith\n'])).toEqual([['John', ' Smith']]);
		expect(() => readAll(format, ['"John", "Smith"\n'])).toThrow(CsvError);
		expect(() => readAll(format, ['"John" ,Smith\n'])).toThrow(CsvError);
	});
});

describe('MultipartParser', () => {
	async function parse(boundary: string, pieces: Buffer[]) {
		const parts: Array<{ name: string; filename?: string; contentType: string; body: string }> = [];
		const parser = new MultipartParser(boundary, (headers) => {
			const part = { ...headers, body: '' };
			parts.push(part);
			return {
				write: (chunk) => void (part.body += chunk.toString('latin1')),
				end: () => undefined,
			};
		});
		await pipeline(Readable.from(pieces), parser);
		return { parts, failure: parser.failure, complete: parser.complete };
	}

	const body = (boundary: string, first: string, second: string) =>
		Buffer.from(
			`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n${first}\r\n--${boundary}  \r\n` +
				`Content-Disposition: form-data; name="VersionData"; filename="a b.pdf"\r\nContent-Type: application/pdf\r\n\r\n${second}\r\n--${boundary}--\r\nepilogue`,
			'latin1',
		);

	it('gives each part its headers and exact bytes, however the body is cut', async () => {
		const boundary = 'b0undary';
		// Data that looks like boundaries and line breaks, without being the delimiter.
		const bytes = fc
			.string({ unit: fc.constantFrom('-', '\r', '\n', 'b', '0', 'x', '\u00ff'), maxLength: 40 })
			.filter((text) => !`\r\n${text}\r\n`.includes(`\r\n--${boundary}`));
		await fc.assert(
			fc.asyncProperty(
				bytes,
				bytes,
				fc.array(fc.nat(), { maxLength: 10 }),
				async (first, second, cuts) => {
					const result = await parse(boundary, split(body(boundary, first, second), cuts));
					expect(result).toEqual({
						parts: [
							{ name: 'entity_content', contentType: 'application/json', body: first },
							{
								name: 'VersionData',
								filename: 'a b.pdf',
								contentType: 'application/pdf',
								body: second,
							},
						],
						failure: undefined,
						complete: true,
					});
				},
			),
			{ numRuns: 300 },
		);
	});

	it('notes broken framing instead of throwing: no boundary, a part without a name, a missing end', async () => {
		expect((await parse('x', [Buffer.from('just text')])).failure).toBe(
			'the body ended before the closing boundary',
		);
		expect(
			(await parse('x', [Buffer.from('--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--')]))
				.failure,
		).toBe('a part without a form-data Content-Disposition and name');
		const truncated = await parse('x', [
			Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nhalf'),
		]);
		expect(truncated).toMatchObject({
			complete: false,
			failure: 'the body ended before the closing boundary',
		});
	});

	it('reads the boundary from Content-Type, quoted or not', () => {
		expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
		expect(multipartBoundary('Multipart/Form-Data;boundary=xyz; charset=utf-8')).toBe('xyz');
		expect(multipartBoundary('multipart/mixed; boundary=x')).toBeUndefined();
		expect(multipartBoundary('application/json')).toBeUndefined();
	});
});
