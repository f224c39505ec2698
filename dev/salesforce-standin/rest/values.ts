import type { FieldDef, StoredValue } from './schema';
import { ID_TYPES, NUMBER_TYPES, TEXT_TYPES } from './schema';
import { apiDateTime } from '../clock';
import type { ApiError } from './errors';

/**
 * Turning a JSON body's values into stored ones. A value of the wrong JSON kind fails the whole
 * request with JSON_PARSER_ERROR, before any DML runs (Salesforce deserialises first); empty text
 * is stored as null, like Salesforce does.
 */

/** 15 or 18 case-sensitive base-62 characters (fact sheet, traps: the API accepts both). */
export function isSalesforceId(value: string): boolean {
	return /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(value);
}

/** The key two ids share when they name the same record: their 15-character form. */
export function idKey(id: string): string {
	return id.slice(0, 15);
}

export function isDate(value: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return false;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

const DATETIME =
	/^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO-8601 datetime (a missing offset means UTC) in the API's format, or undefined. */
export function parseDateTime(value: string): string | undefined {
	const match = DATETIME.exec(value);
	if (!match || !isDate(match[1])) return undefined;
	const offset = match[5] ?? 'Z';
	const normalised = `${match[1]}T${match[2] ?? '00'}:${match[3] ?? '00'}:${match[4] ?? '00'}${offset === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
	const ms = Date.parse(normalised);
	return Number.isNaN(ms) ? undefined : apiDateTime(ms);
}

function jsonToken(raw: unknown): string {
	if (typeof raw === 'string') return 'VALUE_STRING';
	if (typeof raw === 'boolean') return raw ? 'VALUE_TRUE' : 'VALUE_FALSE';
	if (typeof raw === 'number')
		return Number.isInteger(raw) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
	return Array.isArray(raw) ? 'START_ARRAY' : 'START_OBJECT';
}

function parserError(field: FieldDef, raw: unknown): ApiError {
	const shown = typeof raw === 'object' ? '' : ` value ${String(raw)}`;
	return {
		errorCode: 'JSON_PARSER_ERROR',
		message: `Cannot deserialize instance of ${field.type} from ${jsonToken(raw)}${shown} or request may be missing a required field`,
	};
}

export type Deserialized = { value: StoredValue } | { error: ApiError };

export function deserialize(field: FieldDef, raw: unknown): Deserialized {
	if (raw === null) return { value: null };
	if (typeof raw === 'object') return { error: parserError(field, raw) };
	if (TEXT_TYPES.has(field.type) || ID_TYPES.has(field.type)) {
		const text = String(raw);
		return { value: text === '' ? null : text };
	}
	if (NUMBER_TYPES.has(field.type)) {
		if (raw === '') return { value: null };
		const number =
			typeof raw === 'number'
				? raw
				: typeof raw === 'string' && raw.trim() !== ''
					? Number(raw)
					: NaN;
		if (!Number.isFinite(number) || (field.type === 'int' && !Number.isInteger(number)))
			return { error: parserError(field, raw) };
		// Salesforce rounds currency and numbers to the field's scale on save.
		const factor = 10 ** field.scale;
		return { value: field.type === 'int' ? number : Math.round(number * factor) / factor };
	}
	if (field.type === 'boolean') {
		if (typeof raw === 'boolean') return { value: raw };
		if (typeof raw === 'string' && /^(true|false)$/i.test(raw))
			return { value: raw.toLowerCase() === 'true' };
		return { error: parserError(field, raw) };
	}
	if (field.type === 'date') {
		if (raw === '') return { value: null };
		return typeof raw === 'string' && isDate(raw)
			? { value: raw }
			: { error: parserError(field, raw) };
	}
	// datetime
	if (raw === '') return { value: null };
	const dateTime = typeof raw === 'string' ? parseDateTime(raw) : undefined;
	return dateTime ? { value: dateTime } : { error: parserError(field, raw) };
}
