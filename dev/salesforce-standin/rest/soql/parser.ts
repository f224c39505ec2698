import type { FieldDef, ObjectDef } from '../schema';
import {
	filterable,
	findField,
	findObject,
	findRelationship,
	ID_TYPES,
	NUMBER_TYPES,
	TEXT_TYPES,
} from '../schema';
import { isSalesforceId } from '../values';
import type { ComparisonOperator, Condition, FieldPath, Literal, OrderItem, Query } from './ast';
import { SoqlError } from './errors';
import type { Token } from './lexer';
import { dateTimeLiteralMs, tokenize } from './lexer';
import { dateLiteralRange } from './dateLiterals';

/**
 * The SOQL subset the stand-in answers:
 *   SELECT COUNT() | field[, Parent__r.Field ...] FROM Object
 *   [WHERE cond {AND|OR} cond ...] [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
 * with cond = field {= != <> < <= > >=} literal | field LIKE 'pat' | field [NOT] IN (literal, ...)
 * | idField [NOT] IN (SELECT idField FROM Object [WHERE ...]) | NOT cond | (cond). Like Salesforce,
 * AND and OR may not be mixed without parentheses. Literals are of the field's type, or a day or
 * month date literal (TODAY, LAST_N_DAYS:30, ...: dateLiterals.ts) on date and datetime fields.
 * Anything else (parent-to-child subqueries, GROUP BY, week or fiscal date literals, functions)
 * answers MALFORMED_QUERY "unexpected token", which is a stand-in limit, not Salesforce's grammar.
 */

const KEYWORDS = new Set(
	'SELECT FROM WHERE AND OR NOT IN LIKE ORDER BY ASC DESC NULLS FIRST LAST LIMIT OFFSET NULL TRUE FALSE COUNT GROUP HAVING'.split(
		' ',
	),
);
const MAX_OFFSET = 2000;
const FIELD_HINT =
	"If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const RELATIONSHIP_HINT =
	"If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";
const OBJECT_HINT =
	"If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

/** The type name Salesforce's filter-value messages use. */
function filterTypeName(field: FieldDef): string {
	if (field.type === 'int') return 'int';
	if (NUMBER_TYPES.has(field.type)) return 'double';
	if (field.type === 'datetime') return 'dateTime';
	return field.type;
}

class Parser {
	private position = 0;
	private readonly tokens: Token[];

	constructor(
		private readonly soql: string,
		private readonly objects: readonly ObjectDef[],
		/** The org's clock when the query runs: what TODAY means. */
		private readonly now: number,
	) {
		this.tokens = tokenize(soql);
	}

	parse(): Query {
		const query = this.select();
		if (this.peek().kind !== 'eof') this.unexpected(this.peek());
		return query;
	}

	/** A SELECT up to its end: the whole query, or a semi-join's subquery (which stops at its ')'). */
	private select(): Query {
		this.expectKeyword('SELECT');
		let count = false;
		const selected: Token[] = [];
		if (this.isKeyword('COUNT') && this.peek(1).text === '(') {
			this.next();
			this.expect('(');
			this.expect(')');
			count = true;
		} else {
			do selected.push(this.fieldToken());
			while (this.accept(','));
		}
		this.expectKeyword('FROM');
		const objectToken = this.next();
		const object =
			objectToken.kind === 'ident' && !objectToken.text.includes('.')
				? findObject(this.objects, objectToken.text)
				: undefined;
		if (objectToken.kind !== 'ident' || this.isReserved(objectToken)) this.unexpected(objectToken);
		if (!object || !object.queryable) {
			throw new SoqlError(
				'INVALID_TYPE',
				this.soql,
				objectToken.at,
				`sObject type '${objectToken.text}' is not supported. ${OBJECT_HINT}`,
			);
		}
		const fields = this.selectList(object, selected);
		const query: Query = { object, count, fields, orderBy: [] };
		if (this.acceptKeyword('WHERE')) query.where = this.expression(object);
		if (this.acceptKeyword('ORDER')) {
			this.expectKeyword('BY');
			query.orderBy = this.orderList(object);
		}
		if (this.acceptKeyword('LIMIT')) query.limit = this.integer();
		if (this.acceptKeyword('OFFSET')) {
			const token = this.peek();
			query.offset = this.integer();
			if (query.offset > MAX_OFFSET)
				throw new SoqlError(
					'NUMBER_OUTSIDE_VALID_RANGE',
					this.soql,
					token.at,
					`Maximum SOQL offset allowed is ${MAX_OFFSET}`,
				);
		}
		this.checkRequiredFilter(query, objectToken);
		return query;
	}

	/** An object's implementation restriction (ContentDocumentLink): WHERE must pin one of its fields. */
	private checkRequiredFilter(query: Query, objectToken: Token): void {
		const rule = query.object.requiredFilter;
		if (!rule) return;
		const pins = (condition: Condition | undefined): boolean => {
			if (!condition) return false;
			if (condition.kind === 'and') return condition.parts.some(pins);
			const named = (path: FieldPath) =>
				path.via.length === 0 && rule.fields.includes(path.field.name);
			if (condition.kind === 'compare') return condition.operator === '=' && named(condition.path);
			if (condition.kind === 'in' || condition.kind === 'semiJoin')
				return !condition.negated && named(condition.path);
			return false;
		};
		if (!pins(query.where))
			throw new SoqlError('MALFORMED_QUERY', this.soql, objectToken.at, rule.message);
	}

	private selectList(object: ObjectDef, tokens: Token[]): FieldPath[] {
		const seen = new Set<string>();
		return tokens.map((token) => {
			const path = this.resolve(object, token);
			const key = [...path.via.map((field) => field.name), path.field.name].join('.');
			if (seen.has(key))
				throw new SoqlError(
					'MALFORMED_QUERY',
					this.soql,
					token.at,
					`duplicate field selected: ${token.text}`,
				);
			seen.add(key);
			return path;
		});
	}

	/** Follows `Rel.Rel.Field` through reference fields; `Account.Name` FROM Account is allowed too. */
	private resolve(object: ObjectDef, token: Token): FieldPath {
		let parts = token.text.split('.');
		if (
			parts.length > 1 &&
			parts[0].toLowerCase() === object.name.toLowerCase() &&
			!findRelationship(object, parts[0])
		)
			parts = parts.slice(1);
		const via: FieldDef[] = [];
		let current = object;
		for (const part of parts.slice(0, -1)) {
			const reference = findRelationship(current, part);
			const target = reference && findObject(this.objects, reference.referenceTo[0]);
			if (!reference || !target) {
				throw new SoqlError(
					'INVALID_FIELD',
					this.soql,
					token.at,
					`Didn't understand relationship '${part}' in field path. ${RELATIONSHIP_HINT}`,
				);
			}
			via.push(reference);
			current = target;
		}
		const name = parts[parts.length - 1];
		const field = findField(current, name);
		if (!field)
			throw new SoqlError(
				'INVALID_FIELD',
				this.soql,
				token.at,
				`No such column '${name}' on entity '${current.name}'. ${FIELD_HINT}`,
			);
		return { via, field, text: token.text };
	}

	private expression(object: ObjectDef): Condition {
		const first = this.unary(object);
		const joiner = this.isKeyword('AND') ? 'AND' : this.isKeyword('OR') ? 'OR' : undefined;
		if (!joiner) return first;
		const parts = [first];
		while (this.acceptKeyword(joiner)) parts.push(this.unary(object));
		// Salesforce refuses `a AND b OR c`: the mix needs parentheses.
		if (this.isKeyword(joiner === 'AND' ? 'OR' : 'AND')) this.unexpected(this.peek());
		return { kind: joiner === 'AND' ? 'and' : 'or', parts };
	}

	private unary(object: ObjectDef): Condition {
		if (this.acceptKeyword('NOT')) return { kind: 'not', part: this.unary(object) };
		if (this.accept('(')) {
			const inner = this.expression(object);
			this.expect(')');
			return inner;
		}
		return this.condition(object);
	}

	private condition(object: ObjectDef): Condition {
		const token = this.fieldToken();
		const path = this.resolve(object, token);
		if (!filterable(path.field)) {
			throw new SoqlError(
				'INVALID_FIELD',
				this.soql,
				token.at,
				`field '${path.field.name}' can not be filtered in a query call`,
			);
		}
		if (this.acceptKeyword('LIKE')) {
			const value = this.literal();
			if (!TEXT_TYPES.has(path.field.type) && !ID_TYPES.has(path.field.type)) {
				throw new SoqlError(
					'INVALID_FIELD',
					this.soql,
					token.at,
					`invalid operator on field: ${path.field.name}`,
				);
			}
			if (value.kind !== 'string') this.wrongValue(token, path.field);
			return { kind: 'like', path, pattern: new RegExp(`^${value.like}$`, 'is') };
		}
		const negated = this.acceptKeyword('NOT');
		if (negated || this.isKeyword('IN')) {
			this.expectKeyword('IN');
			this.expect('(');
			if (this.isKeyword('SELECT')) return this.semiJoin(token, path, negated);
			const values: Literal[] = [];
			do values.push(this.checked(token, path.field, this.literal()));
			while (this.accept(','));
			this.expect(')');
			return { kind: 'in', path, negated, values };
		}
		const operator = this.next();
		if (operator.kind !== 'op') this.unexpected(operator);
		const value = this.checked(token, path.field, this.literal());
		return {
			kind: 'compare',
			path,
			operator: (operator.text === '<>' ? '!=' : operator.text) as ComparisonOperator,
			value,
		};
	}

	/**
	 * `field [NOT] IN (SELECT field FROM ...)`: both sides ids or lookups, the subquery selecting
	 * exactly one of them (messages as the SOQL reference words the restrictions, at the field).
	 */
	private semiJoin(fieldToken: Token, path: FieldPath, negated: boolean): Condition {
		const at = this.peek().at;
		const query = this.select();
		this.expect(')');
		if (!ID_TYPES.has(path.field.type)) {
			throw new SoqlError(
				'INVALID_FIELD',
				this.soql,
				fieldToken.at,
				`Semi join sub-selects are only allowed on ID or reference fields: ${path.field.name}`,
			);
		}
		const [selected, ...others] = query.fields;
		if (query.count || !selected || others.length > 0 || !ID_TYPES.has(selected.field.type)) {
			throw new SoqlError(
				'MALFORMED_QUERY',
				this.soql,
				at,
				'The selected field in a semi join sub-select must be a single ID or reference field',
			);
		}
		return { kind: 'semiJoin', path, negated, query };
	}

	/** The literal must suit the field's type (messages as Salesforce words them, at the field). */
	private checked(
		fieldToken: Token,
		field: FieldDef,
		literal: Literal | { kind: 'ident'; token: Token },
	): Literal {
		if (literal.kind === 'null') return literal;
		const text = TEXT_TYPES.has(field.type) || ID_TYPES.has(field.type);
		if (literal.kind === 'ident' && !text) this.unexpected(literal.token);
		const fits =
			(text && literal.kind === 'string') ||
			(NUMBER_TYPES.has(field.type) && literal.kind === 'number') ||
			(field.type === 'boolean' && literal.kind === 'boolean') ||
			(field.type === 'date' && literal.kind === 'date') ||
			(field.type === 'datetime' && literal.kind === 'datetime') ||
			((field.type === 'date' || field.type === 'datetime') && literal.kind === 'dateRange');
		if (!fits) this.wrongValue(fieldToken, field);
		const value = literal as Literal;
		if (
			ID_TYPES.has(field.type) &&
			value.kind === 'string' &&
			value.value !== '' &&
			!isSalesforceId(value.value)
		) {
			throw new SoqlError(
				'INVALID_QUERY_FILTER_OPERATOR',
				this.soql,
				fieldToken.at,
				`invalid ID field: ${value.value}`,
			);
		}
		return value;
	}

	private wrongValue(fieldToken: Token, field: FieldDef): never {
		const quoted = TEXT_TYPES.has(field.type) || ID_TYPES.has(field.type);
		const reason = `value of filter criterion for field '${field.name}' must be of type ${filterTypeName(field)} and should ${quoted ? '' : 'not '}be enclosed in quotes`;
		throw new SoqlError('INVALID_FIELD', this.soql, fieldToken.at, reason);
	}

	private literal(): Literal | { kind: 'ident'; token: Token } {
		const token = this.next();
		switch (token.kind) {
			case 'string':
				return { kind: 'string', value: token.value ?? '', like: token.like ?? '' };
			case 'number':
				return { kind: 'number', value: Number(token.text) };
			case 'date':
				return { kind: 'date', value: token.text };
			case 'datetime': {
				const ms = dateTimeLiteralMs(token.text);
				if (ms === undefined) this.unexpected(token);
				return { kind: 'datetime', value: ms };
			}
			case 'ident': {
				const word = token.text.toUpperCase();
				if (word === 'NULL') return { kind: 'null' };
				if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
				const range = dateLiteralRange(word, this.now);
				if (range) return { kind: 'dateRange', ...range };
				if (this.isReserved(token)) this.unexpected(token);
				return { kind: 'ident', token };
			}
			default:
				this.unexpected(token);
		}
	}

	private orderList(object: ObjectDef): OrderItem[] {
		const items: OrderItem[] = [];
		do {
			const token = this.fieldToken();
			const path = this.resolve(object, token);
			if (!filterable(path.field)) {
				throw new SoqlError(
					'INVALID_FIELD',
					this.soql,
					token.at,
					`field '${path.field.name}' can not be sorted in a query call`,
				);
			}
			const descending = this.acceptKeyword('DESC');
			if (!descending) this.acceptKeyword('ASC');
			let nullsLast = descending;
			if (this.acceptKeyword('NULLS')) {
				if (this.acceptKeyword('LAST')) nullsLast = true;
				else {
					this.expectKeyword('FIRST');
					nullsLast = false;
				}
			}
			items.push({ path, descending, nullsLast });
		} while (this.accept(','));
		return items;
	}

	private integer(): number {
		const token = this.next();
		if (token.kind !== 'number' || !/^\d+$/.test(token.text)) this.unexpected(token);
		return Number(token.text);
	}

	private fieldToken(): Token {
		const token = this.next();
		if (token.kind !== 'ident' || this.isReserved(token)) this.unexpected(token);
		return token;
	}

	private isReserved(token: Token): boolean {
		return KEYWORDS.has(token.text.toUpperCase());
	}

	private peek(ahead = 0): Token {
		return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)];
	}

	private next(): Token {
		const token = this.peek();
		if (token.kind !== 'eof') this.position++;
		return token;
	}

	private isKeyword(word: string): boolean {
		const token = this.peek();
		return token.kind === 'ident' && token.text.toUpperCase() === word;
	}

	private acceptKeyword(word: string): boolean {
		if (!this.isKeyword(word)) return false;
		this.position++;
		return true;
	}

	private expectKeyword(word: string): void {
		if (!this.acceptKeyword(word)) this.unexpected(this.peek());
	}

	private accept(text: string): boolean {
		const token = this.peek();
		if (token.kind !== 'punct' || token.text !== text) return false;
		this.position++;
		return true;
	}

	private expect(text: string): void {
		if (!this.accept(text)) this.unexpected(this.peek());
	}

	private unexpected(token: Token): never {
		throw new SoqlError(
			'MALFORMED_QUERY',
			this.soql,
			token.at,
			`unexpected token: '${token.text}'`,
		);
	}
}

/** `now`: the org's clock, in milliseconds (date literals such as TODAY are counted from it). */
export function parseSoql(soql: string, objects: readonly ObjectDef[], now: number): Query {
	return new Parser(soql, objects, now).parse();
}
