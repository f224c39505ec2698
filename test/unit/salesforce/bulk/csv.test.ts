import fc from 'fast-check';
import { csvField, csvLine, CsvRowReader, readCsvRows } from '../../../../nodes/salesforce';

describe('writing CSV as Bulk API 2.0 reads it', () => {
	it.each<[string, string]>([
		['plain', 'plain'],
		['', ''],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['cr\r', '"cr\r"'],
		[' spaced ', ' spaced '],
		['#N/A', '#N/A'],
	])('%j → %j', (text, field) => {
		expect(csvField(text)).toBe(field);
	});

	it('a line ends with LF, fields joined by commas', () => {
		expect(csvLine(['Id', 'Na,me', ''])).toBe('Id,"Na,me",\n');
	});
});

describe('reading CSV a piece at a time', () => {
	function readAll(pieces: string[]): string[][] {
		const reader = new CsvRowReader();
		return [...pieces.flatMap((piece) => reader.push(piece)), ...reader.end()];
	}

	it.each<[string, string[][]]>([
		[
			'a,b\n1,2\n',
			[
				['a', 'b'],
				['1', '2'],
			],
		],
		[
			'a,b\r\n1,2\r\n',
			[
				['a', 'b'],
				['1', '2'],
			],
		],
		[
			'a,b\n1,2',
			[
				['a', 'b'],
				['1', '2'],
			],
		],
		['"x,y","say ""hi"""\n', [['x,y', 'say "hi"']]],
		['"two\nlines",z\n', [['two\nlines', 'z']]],
		['a,,\n', [['a', '', '']]],
		['\ufeffId\n1\n', [['Id'], ['1']]],
		['a\n\nb\n', [['a'], ['b']]],
		['"",x\n', [['', 'x']]],
	])('%j', (text, rows) => {
		expect(readAll([text])).toEqual(rows);
	});

	it('gives the same rows however the text is cut into pieces (property)', () => {
		const cell = fc.stringMatching(/^[a-z,"\n\r ]{0,6}$/);
		fc.assert(
			fc.property(
				fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
				fc.array(fc.nat(), { maxLength: 8 }),
				(rows, cuts) => {
					// A row of one empty cell is a blank line, which CSV cannot tell from none.
					const written = rows.filter((row) => !(row.length === 1 && row[0] === ''));
					const text = written.map(csvLine).join('');
					const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort(
						(a, b) => a - b,
					);
					const pieces = [0, ...points, text.length]
						.slice(1)
						.map((end, index, ends) => text.slice(index === 0 ? 0 : ends[index - 1], end));
					expect(readAll(pieces)).toEqual(written);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('readCsvRows reads bytes split inside a UTF-8 character, waits for the header, and stops when asked', async () => {
		const bytes = Buffer.from('Name,City\nZoë,Zürich\nÅsa,Malmö\nLast,One\n');
		const cut = bytes.indexOf(Buffer.from('ë')) + 1;
		async function* chunks() {
			yield bytes.subarray(0, cut);
			yield bytes.subarray(cut);
		}
		const seen: string[][] = [];
		const header = await readCsvRows(chunks(), {
			onHeader: async () => await new Promise((resolve) => setTimeout(resolve, 5)),
			onRow: (row) => {
				seen.push(row);
				return seen.length < 2;
			},
		});
		expect(header).toEqual(['Name', 'City']);
		expect(seen).toEqual([
			['Zoë', 'Zürich'],
			['Åsa', 'Malmö'],
		]);
	});
});
