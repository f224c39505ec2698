import { SoqlError } from './errors';
import { isDate } from '../values';

/**
 * SOQL tokens. String literals follow the fact sheet (§2): `\\ \' \" \n \r \t \b \f \uXXXX` are
 * the escapes, any other backslash is an error, and in LIKE `\%` `\_` stand for a literal percent
 * and underscore (so a literal keeps both its value and its LIKE pattern). Dates and datetimes are
 * unquoted literals (`2026-01-31`, `2026-01-01T00:00:00Z`). A datetime takes the forms the SOQL and
 * SOSL Reference lists under "Date Formats and Date Literals" — `YYYY-MM-DDThh:mm:ssZ`,
 * `…+hh:mm`, `…-hh:mm` — with optional milliseconds (`.000`, which clients send and Salesforce
 * accepts: third-party evidence). The `+0000` form the API writes in its answers is not one of
 * them: a literal that starts like a datetime but is none answers MALFORMED_QUERY (silent: the
 * wording).
 */

export type TokenKind =
	| 'ident'
	| 'string'
	| 'number'
	| 'date'
	| 'datetime'
	| 'op'
	| 'punct'
	| 'eof';

export interface Token {
	kind: TokenKind;
	/** The source text (for errors). */
	text: string;
	/** Offset in the query. */
	at: number;
	/** string: the decoded value. */
	value?: string;
	/** string: the literal as a LIKE pattern (regular expression source). */
	like?: string;
}

const SIMPLE_ESCAPES: Record<string, string> = {
	'\\': '\\',
	"'": "'",
	'"': '"',
	n: '\n',
	r: '\r',
	t: '\t',
	b: '\b',
	f: '\f',
};
const OPERATORS = ['!=', '<>', '<=', '>=', '=', '<', '>'];
const DATETIME =
	/^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:Z|([+-])(\d{2}):(\d{2}))(?![\w:.+-])/;
/** Anything else that starts like a datetime (`2026-12-04T10:00:07.000+0000`, no zone, ...). */
const NOT_A_DATETIME = /^\d{4}-\d{2}-\d{2}T[\w:.+-]*/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:])/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?![\w.])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
/** A date literal with a number: LAST_N_DAYS:30 (one word, read as an identifier). */
const N_DATE_LITERAL = /^[A-Za-z_]+:\d+(?![\w.])/;
/** Tried in order: a datetime starts like a date, a date like a number. */
const RULES: Array<[TokenKind, RegExp]> = [
	['datetime', DATETIME],
	['date', DATE],
	['number', NUMBER],
	['ident', N_DATE_LITERAL],
	['ident', IDENT],
];

/** A datetime literal's instant in milliseconds, or undefined when a part is out of range. */
export function dateTimeLiteralMs(text: string): number | undefined {
	const match = DATETIME.exec(text);
	if (!match || !isDate(match[1])) return undefined;
	const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4])];
	const offsetMinutes = match[6]
		? (match[6] === '-' ? -1 : 1) * (Number(match[7]) * 60 + Number(match[8]))
		: 0;
	if (
		hours > 23 ||
		minutes > 59 ||
		seconds > 59 ||
		Number(match[7] ?? 0) > 23 ||
		Number(match[8] ?? 0) > 59
	)
		return undefined;
	const [year, month, day] = match[1].split('-').map(Number);
	const millis = Number((match[5] ?? '0').padEnd(3, '0'));
	return Date.UTC(year, month - 1, day, hours, minutes, seconds, millis) - offsetMinutes * 60_000;
}

function regexEscape(char: string): string {
	return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function readString(soql: string, start: number): Token {
	let value = '';
	let like = '';
	let i = start + 1;
	while (i < soql.length) {
		const char = soql[i];
		if (char === "'")
			return { kind: 'string', text: soql.slice(start, i + 1), at: start, value, like };
		if (char !== '\\') {
			value += char;
			like += char === '%' ? '.*' : char === '_' ? '.' : regexEscape(char);
			i++;
			continue;
		}
		const next = soql[i + 1];
		if (next !== undefined && next in SIMPLE_ESCAPES) {
			value += SIMPLE_ESCAPES[next];
			like += regexEscape(SIMPLE_ESCAPES[next]);
			i += 2;
		} else if (next === '%' || next === '_') {
			value += next;
			like += next;
			i += 2;
		} else if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(soql.slice(i + 2, i + 6))) {
			const decoded = String.fromCharCode(parseInt(soql.slice(i + 2, i + 6), 16));
			value += decoded;
			like += regexEscape(decoded);
			i += 6;
		} else {
			const literal = soql.slice(start, soql.indexOf("'", i + 2) + 1 || soql.length);
			throw new SoqlError(
				'MALFORMED_QUERY',
				soql,
				start,
				`Invalid string literal '${literal.slice(1, -1)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
			);
		}
	}
	throw new SoqlError('MALFORMED_QUERY', soql, start, `unexpected token: '${soql.slice(start)}'`);
}

export function tokenize(soql: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < soql.length) {
		if (/\s/.test(soql[i])) {
			i++;
			continue;
		}
		const rest = soql.slice(i);
		if (soql[i] === "'") {
			const token = readString(soql, i);
			tokens.push(token);
			i += token.text.length;
			continue;
		}
		const malformed = !DATETIME.test(rest) && NOT_A_DATETIME.exec(rest);
		if (malformed)
			throw new SoqlError('MALFORMED_QUERY', soql, i, `unexpected token: '${malformed[0]}'`);
		const rule = RULES.find(([, pattern]) => pattern.test(rest));
		if (rule) {
			const text = (rule[1].exec(rest) as RegExpExecArray)[0];
			tokens.push({ kind: rule[0], text, at: i });
			i += text.length;
			continue;
		}
		const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
		if (operator) {
			tokens.push({ kind: 'op', text: operator, at: i });
			i += operator.length;
			continue;
		}
		if ('(),'.includes(soql[i])) {
			tokens.push({ kind: 'punct', text: soql[i], at: i });
			i++;
			continue;
		}
		if (soql[i] === ':')
			throw new SoqlError('MALFORMED_QUERY', soql, i, 'Bind variables only allowed in Apex code');
		throw new SoqlError('MALFORMED_QUERY', soql, i, `unexpected token: '${soql[i]}'`);
	}
	tokens.push({ kind: 'eof', text: '<EOF>', at: soql.length });
	return tokens;
}
