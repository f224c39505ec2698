/**
 * Just enough SOQL for the model org: `SELECT f, … FROM o [WHERE f op v (AND f op v)*]
 * [ORDER BY f [DESC] (, f [DESC])*] [LIMIT n]`, read with the tests' tokenizer (so a datetime literal
 * in the `+0000` form the REST API writes is not a literal, as in Salesforce). Anything else throws,
 * which the model answers as MALFORMED_QUERY.
 */
import { type Token, tokenize } from '../../rest/soqlTokens';

export interface Comparison {
	field: string;
	operator: string;
	value: Token;
}

export interface ModelQuery {
	fields: string[];
	sobject: string;
	where: Comparison[];
	orderBy: Array<{ field: string; descending: boolean }>;
	limit?: number;
}

export function parseModelQuery(soql: string): ModelQuery {
	const tokens = tokenize(soql);
	let position = 0;
	const peek = () => tokens[position];
	const next = (): Token => {
		const token = tokens[position++];
		if (!token) throw new Error('query ends early');
		return token;
	};
	const isWord = (token: Token | undefined, word: string) =>
		token?.kind === 'name' && token.value.toUpperCase() === word;
	const keyword = (word: string) => {
		if (!isWord(next(), word)) throw new Error(`expected ${word}`);
	};
	const name = (): string => {
		const token = next();
		if (token.kind !== 'name') throw new Error(`expected a name, got ${JSON.stringify(token)}`);
		return token.value;
	};
	const comma = () => {
		if (peek()?.kind === 'punctuation' && peek()?.value === ',') {
			position++;
			return true;
		}
		return false;
	};

	keyword('SELECT');
	const fields = [name()];
	while (comma()) fields.push(name());
	keyword('FROM');
	const sobject = name();
	const where: Comparison[] = [];
	if (isWord(peek(), 'WHERE')) {
		position++;
		do {
			const field = name();
			const operator = next();
			if (operator.kind !== 'operator')
				throw new Error(`expected an operator, got ${JSON.stringify(operator)}`);
			const value = next();
			if (value.kind === 'operator' || value.kind === 'punctuation')
				throw new Error('expected a value');
			where.push({ field, operator: operator.value, value });
		} while (isWord(peek(), 'AND') && ++position);
	}
	const orderBy: ModelQuery['orderBy'] = [];
	if (isWord(peek(), 'ORDER')) {
		position++;
		keyword('BY');
		do {
			const field = name();
			const descending = isWord(peek(), 'DESC');
			if (descending || isWord(peek(), 'ASC')) position++;
			orderBy.push({ field, descending });
		} while (comma());
	}
	let limit: number | undefined;
	if (isWord(peek(), 'LIMIT')) {
		position++;
		const count = next();
		if (count.kind !== 'number') throw new Error('expected a number after LIMIT');
		limit = Number(count.value);
	}
	if (position !== tokens.length)
		throw new Error(`unexpected tokens: ${JSON.stringify(tokens.slice(position))}`);
	return { fields, sobject, where, orderBy, limit };
}

/** A record field's value as the model compares it: datetimes as epoch ms, the rest as they are. */
export type ModelValue = string | number | boolean | null;

function literalValue(token: Token): ModelValue {
	if (token.kind === 'string') return token.value;
	if (token.kind === 'number') return Number(token.value);
	if (token.kind === 'date') {
		if (!token.value.includes('T')) throw new Error('a date literal on a datetime field');
		return Date.parse(token.value);
	}
	if (token.kind === 'name') {
		const word = token.value.toLowerCase();
		if (word === 'true' || word === 'false') return word === 'true';
		if (word === 'null') return null;
	}
	throw new Error(`unsupported literal ${JSON.stringify(token)}`);
}

export function matches(
	record: (field: string) => ModelValue,
	where: readonly Comparison[],
): boolean {
	return where.every(({ field, operator, value }) => {
		const left = record(field);
		const right = literalValue(value);
		if (typeof right === 'number' && typeof left !== 'number' && left !== null)
			throw new Error(`${field} is not a datetime`);
		switch (operator) {
			case '=':
				return left === right;
			case '!=':
				return left !== right;
			case '<':
				return left !== null && right !== null && left < right;
			case '<=':
				return left !== null && right !== null && left <= right;
			case '>':
				return left !== null && right !== null && left > right;
			case '>=':
				return left !== null && right !== null && left >= right;
			default:
				throw new Error(`unsupported operator ${operator}`);
		}
	});
}
