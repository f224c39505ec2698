/**
 * SOQL built from node parameters: object and field names checked against Salesforce's API-name
 * rules, values escaped (text) or written in their strict literal form (numbers, booleans, dates),
 * so no item's text can ever change the structure of a query.
 *
 * Escapes inside '…' (SOQL reference, "Quoted String Escape Sequences"): \\ \' \" \n \r \t \b \f and
 * \uXXXX; any other backslash is an error. In LIKE, \% and \_ are a literal % and _.
 */
import { hasControlCharacter, hasLoneSurrogate } from '../text';
import { checkLimit } from './queryPages';
import { isRecordId } from './records';
import { invalidParameter } from './restErrors';

// ---------------------------------------------------------------------------------------------
// Literals

const NAMED_ESCAPES: Record<string, string> = {
	'\\': '\\\\',
	"'": "\\'",
	'"': '\\"',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\b': '\\b',
	'\f': '\\f',
};

function escapeCharacter(character: string): string {
	const named = NAMED_ESCAPES[character];
	if (named) return named;
	const code = character.charCodeAt(0);
	if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
		return `\\u${code.toString(16).padStart(4, '0')}`;
	}
	return character;
}

function escapeText(text: string): string {
	// Backslashes, quotes and control characters: the only characters that need it.
	let escaped = '';
	for (const character of text)
		escaped += character.length === 1 ? escapeCharacter(character) : character;
	return escaped;
}

/** A SOQL string literal, quotes included: `O'Brien` → `'O\'Brien'`. */
export function soqlStringLiteral(text: string): string {
	return `'${escapeText(text)}'`;
}

/**
 * A LIKE pattern as a SOQL literal, quotes included. `%` and `_` stay wildcards (any text, one
 * character); `\%` and `\_` as typed stay a literal % and _; everything else is escaped as in
 * soqlStringLiteral. With `wildcards: false` the whole text is literal (% and _ escaped too).
 */
export function soqlLikeLiteral(pattern: string, options: { wildcards?: boolean } = {}): string {
	const wildcards = options.wildcards ?? true;
	let literal = '';
	for (let index = 0; index < pattern.length; index++) {
		const character = pattern[index];
		const next = pattern[index + 1];
		if (wildcards && character === '\\' && (next === '%' || next === '_')) {
			literal += `\\${next}`;
			index++;
		} else if (character === '%' || character === '_') {
			literal += wildcards ? character : `\\${character}`;
		} else {
			literal += escapeText(character);
		}
	}
	return `'${literal}'`;
}

/**
 * A literal this module wrote (soqlDateTimeLiteral, soqlBooleanLiteral): the only value a filter the
 * package adds to a query may hold, so typed text can never reach a query unescaped through one.
 */
export type SoqlLiteral = string & { readonly soqlLiteral: true };

/**
 * A dateTime literal to the second, in the form the SOQL reference documents (`2026-12-04T10:00:07Z`;
 * the `+0000` form the REST API writes in its answers is not a SOQL literal). Milliseconds are
 * dropped: audit fields are stored to the second.
 */
export function soqlDateTimeLiteral(epochMilliseconds: number): SoqlLiteral {
	if (!Number.isFinite(epochMilliseconds))
		throw new RangeError(`${epochMilliseconds} is not a point in time`);
	const wholeSecond = Math.floor(epochMilliseconds / 1000) * 1000;
	return `${new Date(wholeSecond).toISOString().slice(0, 19)}Z` as SoqlLiteral;
}

export function soqlBooleanLiteral(value: boolean): SoqlLiteral {
	return (value ? 'true' : 'false') as SoqlLiteral;
}

// ---------------------------------------------------------------------------------------------
// API names

/**
 * Salesforce's rule for the names it lets admins give objects and fields (Salesforce Help, "Custom
 * Field Attributes": only letters, digits and underscores, a letter first, no spaces, no trailing
 * underscore, no two underscores in a row), around which Salesforce itself adds `__`: a namespace
 * prefix and a suffix (`__c`, `__r`, `__e`, `__mdt`, `__x`, `__s` …), so `ns__Invoice__c` or
 * `ns__Location__latitude__s` — up to three `__` separators, each followed by such a name.
 */
const NAME_PART = '[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*';
const API_NAME_SOURCE = `${NAME_PART}(?:__${NAME_PART}){0,3}`;
const API_NAME = new RegExp(`^${API_NAME_SOURCE}$`);
const MAX_API_NAME_LENGTH = 255;

/**
 * The same rule as checkApiName's for one name, as a regex for n8n's editor (a resource locator
 * mode's `validation`, which n8n wraps in ^…$): the spaces checkApiName trims are allowed around it,
 * and the length limit is a lookahead. So the editor refuses exactly what a run would refuse.
 */
export const API_NAME_EDITOR_PATTERN = `\\s*(?=[A-Za-z0-9_]{1,${MAX_API_NAME_LENGTH}}\\s*$)${API_NAME_SOURCE}\\s*`;

/** SOQL follows at most five parent relationships: six names in a path. */
const MAX_PATH_NAMES = 6;

/** What keeps `name` from being an API name, or undefined when it is one. */
export function apiNameProblem(name: string): string | undefined {
	if (name.length > MAX_API_NAME_LENGTH) return `is longer than ${MAX_API_NAME_LENGTH} characters`;
	if (/^[0-9_]/.test(name)) return 'must start with a letter';
	if (/[^A-Za-z0-9_]/.test(name)) {
		const bad = /[^A-Za-z0-9_]/.exec(name)?.[0] ?? '';
		const shown = hasControlCharacter(bad) || /\s/.test(bad) ? 'a space or line break' : `"${bad}"`;
		return `contains ${shown}; API names hold only letters, digits and underscores`;
	}
	if (!API_NAME.test(name))
		return 'is not a Salesforce API name (no underscore at the end, no three underscores in a row)';
	return undefined;
}

/**
 * Checks an object or field API name (`Account`, `Invoice__c`, `ns__Amount__c`); with `path`, a
 * field may be a relationship path (`Account.Owner.Name`). Returns it trimmed; throws naming the
 * parameter otherwise.
 */
export function checkApiName(
	name: unknown,
	parameterLabel: string,
	options: { path?: boolean } = {},
): string {
	const text =
		typeof name === 'string' ? name.trim() : typeof name === 'number' ? String(name) : '';
	const example = options.path
		? 'e.g. Name, Invoice__c or Account.Name'
		: 'e.g. Account or Invoice__c';
	if (text === '') {
		throw invalidParameter(
			parameterLabel,
			'is empty',
			`Type the API name (${example}), as Setup → Object Manager shows it.`,
		);
	}
	const names = options.path ? text.split('.') : [text];
	if (names.length > MAX_PATH_NAMES) {
		throw invalidParameter(
			parameterLabel,
			`"${text}" follows more than five relationships`,
			'SOQL follows at most five parent relationships (Account.Owner.Manager.Name …): shorten the path.',
		);
	}
	for (const part of names) {
		const problem = part === '' ? 'has an empty name between dots' : apiNameProblem(part);
		if (problem) {
			const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
			const fix =
				!options.path && text.includes('.')
					? `Type a single API name (${example}), without dots.`
					: `Type the API name (${example}), as Setup → Object Manager shows it; custom names end in __c.`;
			throw invalidParameter(parameterLabel, `${shown} ${problem}`, fix);
		}
	}
	return text;
}

// ---------------------------------------------------------------------------------------------
// Values

export const CONDITION_OPERATORS = [
	'equal',
	'notEqual',
	'lessThan',
	'lessOrEqual',
	'greaterThan',
	'greaterOrEqual',
	'like',
	'isNull',
	'isNotNull',
] as const;

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const OPERATOR_SYMBOLS: Record<ConditionOperator, string> = {
	equal: '=',
	notEqual: '!=',
	lessThan: '<',
	lessOrEqual: '<=',
	greaterThan: '>',
	greaterOrEqual: '>=',
	like: 'LIKE',
	isNull: '=',
	isNotNull: '!=',
};

/** Describe types whose values are text in SOQL: LIKE works on them. */
const TEXT_TYPES = new Set([
	'string',
	'textarea',
	'email',
	'phone',
	'url',
	'picklist',
	'combobox',
	'encryptedstring',
]);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);
const ID_TYPES = new Set(['id', 'reference']);

const DATE_LITERALS = new Set([
	'YESTERDAY',
	'TODAY',
	'TOMORROW',
	'LAST_WEEK',
	'THIS_WEEK',
	'NEXT_WEEK',
	'LAST_MONTH',
	'THIS_MONTH',
	'NEXT_MONTH',
	'LAST_90_DAYS',
	'NEXT_90_DAYS',
	'THIS_QUARTER',
	'LAST_QUARTER',
	'NEXT_QUARTER',
	'THIS_YEAR',
	'LAST_YEAR',
	'NEXT_YEAR',
	'THIS_FISCAL_QUARTER',
	'LAST_FISCAL_QUARTER',
	'NEXT_FISCAL_QUARTER',
	'THIS_FISCAL_YEAR',
	'LAST_FISCAL_YEAR',
	'NEXT_FISCAL_YEAR',
]);
const DATE_N_LITERAL =
	/^(LAST_N_DAYS|NEXT_N_DAYS|N_DAYS_AGO|LAST_N_WEEKS|NEXT_N_WEEKS|N_WEEKS_AGO|LAST_N_MONTHS|NEXT_N_MONTHS|N_MONTHS_AGO|LAST_N_QUARTERS|NEXT_N_QUARTERS|N_QUARTERS_AGO|LAST_N_YEARS|NEXT_N_YEARS|N_YEARS_AGO|LAST_N_FISCAL_QUARTERS|NEXT_N_FISCAL_QUARTERS|N_FISCAL_QUARTERS_AGO|LAST_N_FISCAL_YEARS|NEXT_N_FISCAL_YEARS|N_FISCAL_YEARS_AGO):(\d{1,5})$/;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?Z$/;

function validCalendarDate(year: string, month: string, day: string): boolean {
	const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	return (
		date.getUTCFullYear() === Number(year) &&
		date.getUTCMonth() === Number(month) - 1 &&
		date.getUTCDate() === Number(day)
	);
}

/** TODAY, LAST_N_DAYS:30 …: SOQL's relative date literals, upper-cased. */
function dateLiteral(text: string): string | undefined {
	const upper = text.toUpperCase();
	return DATE_LITERALS.has(upper) || DATE_N_LITERAL.test(upper) ? upper : undefined;
}

function shownValue(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

type Refuse = (problem: string, fix: string) => never;

function numberLiteral(value: unknown, integer: boolean, refuse: Refuse): string {
	const text =
		typeof value === 'number'
			? Number.isFinite(value)
				? String(value)
				: ''
			: typeof value === 'string'
				? value.trim()
				: '';
	if (!(integer ? INTEGER : DECIMAL).test(text)) {
		refuse(
			`${shownValue(value)} is not ${integer ? 'a whole number' : 'a number'}`,
			`Type ${integer ? 'digits only, e.g. 42' : 'a number with a dot for decimals and no thousands separator, e.g. 1250.50'}.`,
		);
	}
	return text.replace(/^\+/, '');
}

function dateValue(value: unknown, refuse: Refuse): string {
	if (value instanceof Date && !Number.isNaN(value.getTime()))
		return value.toISOString().slice(0, 10);
	const text = typeof value === 'string' ? value.trim() : '';
	const literal = dateLiteral(text);
	if (literal) return literal;
	const match = DATE.exec(text);
	if (!match || !validCalendarDate(match[1], match[2], match[3])) {
		refuse(
			`${shownValue(value)} is not a date`,
			'Type the date as YYYY-MM-DD (e.g. 2026-01-31), or a SOQL date literal such as TODAY or LAST_N_DAYS:30.',
		);
	}
	return text;
}

function dateTimeValue(value: unknown, refuse: Refuse): string {
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	const text = typeof value === 'string' ? value.trim() : '';
	const literal = dateLiteral(text);
	if (literal) return literal;
	const match = DATETIME.exec(text);
	const valid =
		match &&
		validCalendarDate(match[1], match[2], match[3]) &&
		Number(match[4]) < 24 &&
		Number(match[5]) < 60 &&
		Number(match[6]) < 60;
	if (!match || !valid) {
		refuse(
			`${shownValue(value)} is not a date and time`,
			'Type it in ISO 8601 with a time zone, e.g. 2026-01-31T09:30:00Z or 2026-01-31T09:30:00+01:00, or a SOQL date literal such as TODAY.',
		);
	}
	// Salesforce writes offsets as +0000; SOQL wants +00:00.
	const zone = match[8] === 'Z' ? 'Z' : `${match[8].slice(0, 3)}:${match[8].slice(-2)}`;
	return `${text.slice(0, text.length - match[8].length)}${zone}`;
}

/**
 * The SOQL literal of a condition value. With the field's describe type, the value must fit it;
 * without, JavaScript's type decides (number and boolean unquoted, anything else a quoted string).
 */
export function soqlValue(value: unknown, fieldType: string | undefined, refuse: Refuse): string {
	if (value === null) return 'null';
	if (typeof value === 'string' && hasLoneSurrogate(value)) {
		refuse(
			'holds a broken character (half of a UTF-16 surrogate pair)',
			'Retype the value; it probably comes from a broken paste.',
		);
	}
	if (typeof value === 'object' && !(value instanceof Date)) {
		refuse(
			`${shownValue(value)} is a list or an object, not a single value`,
			'Give one value, e.g. {{ $json.email }} rather than {{ $json }}.',
		);
	}
	const type = fieldType?.toLowerCase();
	if (type === 'boolean') {
		if (typeof value === 'boolean') return String(value);
		const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
		if (text !== 'true' && text !== 'false')
			refuse(`${shownValue(value)} is not true or false`, 'Type true or false.');
		return text;
	}
	if (type === 'int' || type === 'long') return numberLiteral(value, true, refuse);
	if (type && NUMBER_TYPES.has(type)) return numberLiteral(value, false, refuse);
	if (type === 'date') return dateValue(value, refuse);
	if (type === 'datetime') return dateTimeValue(value, refuse);
	if (type === 'time') {
		const text = typeof value === 'string' ? value.trim() : '';
		if (!TIME.test(text))
			refuse(
				`${shownValue(value)} is not a time`,
				'Type the time as HH:MM:SS.sssZ, e.g. 09:30:00.000Z.',
			);
		return text;
	}
	if (type && ID_TYPES.has(type)) {
		const text = typeof value === 'string' ? value.trim() : String(value);
		if (!isRecordId(text))
			refuse(
				`${shownValue(value)} is not a record Id`,
				'Give a 15- or 18-character Salesforce Id, e.g. 001000000000001AAA.',
			);
		return soqlStringLiteral(text);
	}
	if (type) return soqlStringLiteral(value instanceof Date ? value.toISOString() : String(value));
	// No describe type: JavaScript's type says what the value is.
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || !DECIMAL.test(String(value)))
			refuse(
				`${shownValue(value)} is not a number SOQL can hold`,
				'Give an ordinary decimal number.',
			);
		return String(value);
	}
	if (typeof value === 'boolean') return String(value);
	if (value instanceof Date) return dateTimeValue(value, refuse);
	return soqlStringLiteral(value === undefined ? '' : String(value));
}

// ---------------------------------------------------------------------------------------------
// Get Many

export interface QueryCondition {
	field: string;
	operator: string;
	value?: unknown;
}

export interface GetManyQuery {
	sobject: string;
	/** Empty: Id only. */
	fields?: readonly string[];
	/** All combined with AND. */
	conditions?: readonly QueryCondition[];
	/** Omitted: all matching records. */
	limit?: number;
	/** Field API name → describe type (`string`, `boolean`, `date`, …), from the object's describe. */
	fieldTypes?: Readonly<Record<string, string>>;
	/** How the editor labels the parameters, for the errors; defaults to the node's labels. */
	labels?: { sobject?: string; fields?: string; conditions?: string; limit?: string };
}

/** A filter the package adds itself (a time window, `IsDeleted = true`): an API name, a comparison, a literal of this module. */
export interface SoqlFilter {
	field: string;
	operator: '=' | '!=' | '<' | '<=' | '>' | '>=';
	value: SoqlLiteral;
}

export interface SoqlOrder {
	field: string;
	descending?: boolean;
}

/** Get Many's query, plus what other queries of the package need: their own filters and an order. */
export interface SelectQuery extends GetManyQuery {
	/** ANDed before the conditions; errors never number them as the user's condition rows. */
	filters?: readonly SoqlFilter[];
	/** ORDER BY, in this order. */
	orderBy?: readonly SoqlOrder[];
}

/** Salesforce's limit on the WHERE clause of a query. */
const MAX_WHERE_LENGTH = 4000;

function typeLookup(
	fieldTypes: Readonly<Record<string, string>> | undefined,
): ((field: string) => string | undefined) | undefined {
	if (!fieldTypes) return undefined;
	const byLowerName = new Map(
		Object.entries(fieldTypes).map(([name, type]) => [name.toLowerCase(), type]),
	);
	return (field) => byLowerName.get(field.toLowerCase());
}

/** `SELECT … FROM … WHERE … LIMIT n` from the Get Many parameters; refuses what does not fit, naming the parameter. */
export function buildGetManyQuery(query: GetManyQuery): string {
	return buildSelectQuery(query);
}

/**
 * `SELECT … FROM … WHERE <filters> AND <conditions> ORDER BY … LIMIT n`: Get Many's fields and
 * conditions (checked and escaped the same way), the package's own filters and an order.
 */
export function buildSelectQuery(query: SelectQuery): string {
	const labels = {
		sobject: 'Object',
		fields: 'Fields',
		conditions: 'Conditions',
		limit: 'Limit',
		...query.labels,
	};
	const sobject = checkApiName(query.sobject, labels.sobject);
	const typeOf = typeLookup(query.fieldTypes);
	const unknownField = (parameter: string, field: string): never => {
		throw invalidParameter(
			parameter,
			`${sobject} has no field "${field}"`,
			`Choose a field of ${sobject} (the list shows them), or check its API name in Setup → Object Manager → ${sobject} → Fields & Relationships; the API user must be able to read it.`,
		);
	};

	const selected: string[] = [];
	const seen = new Set<string>();
	for (const field of query.fields ?? []) {
		const name = checkApiName(field, labels.fields, { path: true });
		if (typeOf && !name.includes('.') && typeOf(name) === undefined)
			unknownField(labels.fields, name);
		if (seen.has(name.toLowerCase())) continue;
		seen.add(name.toLowerCase());
		selected.push(name);
	}
	if (selected.length === 0) selected.push('Id');

	const clauses = (query.filters ?? []).map(
		(filter) =>
			`${checkApiName(filter.field, 'Filter', { path: true })} ${filter.operator} ${filter.value}`,
	);
	(query.conditions ?? []).forEach((condition, index) => {
		const row = `${labels.conditions} row ${index + 1}`;
		const field = checkApiName(condition.field, `${row}, Field`, { path: true });
		const type = typeOf && !field.includes('.') ? typeOf(field) : undefined;
		if (typeOf && !field.includes('.') && type === undefined) unknownField(`${row}, Field`, field);
		const operator = condition.operator as ConditionOperator;
		if (!CONDITION_OPERATORS.includes(operator)) {
			throw invalidParameter(
				`${row}, Operator`,
				`"${String(condition.operator)}" is not an operator of this node`,
				`Choose one of: ${CONDITION_OPERATORS.join(', ')}.`,
			);
		}
		const refuse: Refuse = (problem, fix) => {
			throw invalidParameter(`${row} (${field}), Value`, problem, fix);
		};
		if (operator === 'isNull' || operator === 'isNotNull') {
			clauses.push(`${field} ${OPERATOR_SYMBOLS[operator]} null`);
			return;
		}
		if (operator === 'like') {
			if (type !== undefined && !TEXT_TYPES.has(type.toLowerCase())) {
				refuse(
					`Like only works on text fields, and ${field} is a ${type} field`,
					'Use Equal, or the other comparisons, for this field.',
				);
			}
			const pattern = condition.value;
			if (
				pattern === null ||
				pattern === undefined ||
				typeof pattern === 'object' ||
				typeof pattern === 'symbol' ||
				typeof pattern === 'function'
			) {
				refuse(
					'is not a text pattern',
					'Type a pattern: % stands for any text and _ for one character, e.g. Acme%.',
				);
			}
			const text = String(pattern);
			if (hasLoneSurrogate(text))
				refuse(
					'holds a broken character (half of a UTF-16 surrogate pair)',
					'Retype the value; it probably comes from a broken paste.',
				);
			clauses.push(`${field} LIKE ${soqlLikeLiteral(text)}`);
			return;
		}
		const value = condition.value;
		if (
			type !== undefined &&
			!TEXT_TYPES.has(type.toLowerCase()) &&
			(value === undefined || (typeof value === 'string' && value.trim() === ''))
		) {
			refuse(
				'is empty',
				'Type a value, or use the operator Is Empty to find records where the field has none.',
			);
		}
		clauses.push(`${field} ${OPERATOR_SYMBOLS[operator]} ${soqlValue(value, type, refuse)}`);
	});

	let soql = `SELECT ${selected.join(', ')} FROM ${sobject}`;
	if (clauses.length > 0) {
		const where = clauses.join(' AND ');
		if (where.length > MAX_WHERE_LENGTH) {
			throw invalidParameter(
				labels.conditions,
				`are ${where.length} characters long in SOQL; Salesforce takes at most ${MAX_WHERE_LENGTH}`,
				'Use fewer or shorter condition values, or run the query in several parts.',
			);
		}
		soql += ` WHERE ${where}`;
	}
	if (query.orderBy && query.orderBy.length > 0) {
		const order = query.orderBy.map(
			(key) =>
				`${checkApiName(key.field, 'Order', { path: true })}${key.descending ? ' DESC' : ''}`,
		);
		soql += ` ORDER BY ${order.join(', ')}`;
	}
	if (query.limit !== undefined) soql += ` LIMIT ${checkLimit(query.limit, labels.limit)}`;
	return soql;
}
