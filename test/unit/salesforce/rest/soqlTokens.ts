/**
 * A small SOQL tokenizer for the tests: it reads a query the way Salesforce's lexer would (quoted
 * strings with SOQL's escapes, names, numbers, dates, operators), so a test can check that a built
 * query has exactly the intended structure and that each string literal decodes to the item's text.
 */

export type Token =
	| { kind: 'string'; value: string }
	| { kind: 'name'; value: string }
	| { kind: 'number'; value: string }
	| { kind: 'date'; value: string }
	| { kind: 'operator'; value: string }
	| { kind: 'punctuation'; value: string };

const ESCAPES: Record<string, string> = {
	'\\': '\\',
	"'": "'",
	'"': '"',
	n: '\n',
	r: '\r',
	t: '\t',
	b: '\b',
	f: '\f',
};

export function tokenize(soql: string): Token[] {
	const tokens: Token[] = [];
	let index = 0;
	while (index < soql.length) {
		const character = soql[index];
		if (character === ' ') {
			index++;
			continue;
		}
		if (character === "'") {
			let value = '';
			index++;
			for (;;) {
				if (index >= soql.length) throw new Error('unterminated string literal');
				const inner = soql[index];
				if (/[\u0000-\u001f]/.test(inner))
					throw new Error('raw control character in a string literal');
				if (inner === "'") {
					index++;
					break;
				}
				if (inner === '\\') {
					const next = soql[index + 1];
					if (next === 'u') {
						const hex = soql.slice(index + 2, index + 6);
						if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error('bad \\u escape');
						value += String.fromCharCode(parseInt(hex, 16));
						index += 6;
					} else if (next === '%' || next === '_') {
						value += `\\${next}`;
						index += 2;
					} else if (next !== undefined && ESCAPES[next] !== undefined) {
						value += ESCAPES[next];
						index += 2;
					} else {
						throw new Error(`invalid escape \\${next ?? ''}`);
					}
					continue;
				}
				value += inner;
				index++;
			}
			tokens.push({ kind: 'string', value });
			continue;
		}
		const rest = soql.slice(index);
		const date = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))?/.exec(
			rest,
		);
		if (date) {
			tokens.push({ kind: 'date', value: date[0] });
			index += date[0].length;
			continue;
		}
		const number = /^-?\d+(?:\.\d+)?/.exec(rest);
		if (number) {
			tokens.push({ kind: 'number', value: number[0] });
			index += number[0].length;
			continue;
		}
		const name = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?::\d+)?/.exec(rest);
		if (name) {
			tokens.push({ kind: 'name', value: name[0] });
			index += name[0].length;
			continue;
		}
		const operator = /^(?:!=|<=|>=|=|<|>)/.exec(rest);
		if (operator) {
			tokens.push({ kind: 'operator', value: operator[0] });
			index += operator[0].length;
			continue;
		}
		if (',()'.includes(character)) {
			tokens.push({ kind: 'punctuation', value: character });
			index++;
			continue;
		}
		throw new Error(`unexpected character ${JSON.stringify(character)} at ${index}`);
	}
	return tokens;
}

export interface ParsedCondition {
	field: string;
	operator: string;
	value: Token;
}

export interface ParsedQuery {
	fields: string[];
	sobject: string;
	conditions: ParsedCondition[];
	limit?: number;
}

/** Parses exactly `SELECT f, … FROM o [WHERE f op v (AND f op v)*] [LIMIT n]`; anything else throws. */
export function parseGetManyQuery(soql: string): ParsedQuery {
	const tokens = tokenize(soql);
	let position = 0;
	const next = (): Token => {
		const token = tokens[position++];
		if (!token) throw new Error('query ends early');
		return token;
	};
	const keyword = (word: string) => {
		const token = next();
		if (token.kind !== 'name' || token.value.toUpperCase() !== word)
			throw new Error(`expected ${word}, got ${JSON.stringify(token)}`);
	};
	keyword('SELECT');
	const fields: string[] = [];
	for (;;) {
		const field = next();
		if (field.kind !== 'name') throw new Error(`expected a field, got ${JSON.stringify(field)}`);
		fields.push(field.value);
		const peek = tokens[position];
		if (peek?.kind === 'punctuation' && peek.value === ',') {
			position++;
			continue;
		}
		break;
	}
	keyword('FROM');
	const sobject = next();
	if (sobject.kind !== 'name') throw new Error('expected an object');
	const conditions: ParsedCondition[] = [];
	let limit: number | undefined;
	if (tokens[position]?.kind === 'name' && tokens[position].value.toUpperCase() === 'WHERE') {
		position++;
		for (;;) {
			const field = next();
			if (field.kind !== 'name') throw new Error(`expected a field, got ${JSON.stringify(field)}`);
			const operator = next();
			const isLike = operator.kind === 'name' && operator.value.toUpperCase() === 'LIKE';
			if (operator.kind !== 'operator' && !isLike)
				throw new Error(`expected an operator, got ${JSON.stringify(operator)}`);
			const value = next();
			if (value.kind === 'operator' || value.kind === 'punctuation')
				throw new Error(`expected a value, got ${JSON.stringify(value)}`);
			if (value.kind === 'name' && !/^(null|true|false|[A-Z_]+(:\d+)?)$/.test(value.value))
				throw new Error(`a name where a value belongs: ${value.value}`);
			if (isLike && value.kind !== 'string') throw new Error('LIKE without a string');
			conditions.push({ field: field.value, operator: operator.value, value });
			const peek = tokens[position];
			if (peek?.kind === 'name' && peek.value.toUpperCase() === 'AND') {
				position++;
				continue;
			}
			break;
		}
	}
	if (tokens[position]?.kind === 'name' && tokens[position].value.toUpperCase() === 'LIMIT') {
		position++;
		const count = next();
		if (count.kind !== 'number') throw new Error('expected a number after LIMIT');
		limit = Number(count.value);
	}
	if (position !== tokens.length)
		throw new Error(`unexpected tokens after the query: ${JSON.stringify(tokens.slice(position))}`);
	return { fields, sobject: sobject.value, conditions, limit };
}
