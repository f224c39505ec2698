/**
 * The "Response Mapping" table: which session values go into which output fields.
 * Field names are used literally as keys of the item's JSON (a dot is part of the name).
 */
import { invalidInput } from './errors';
import { findSessionField, SESSION_FIELDS } from './sessionFields';
import type { SalesforceSession } from './tokenResponse';
import { hasControlCharacter, hasSurroundingWhitespace } from './text';

export interface OutputMapping {
	objectPath: string;
	field: string;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_FIELD_NAME_LENGTH = 200;

const FIELD_NAME_FIX = 'Use a plain name such as SF_ACCESS_TOKEN; later nodes read it as {{ $json.SF_ACCESS_TOKEN }}.';

/** An output field name, used literally as a key of the item's JSON. `label` names the form field. */
export function checkFieldName(value: unknown, label: string): string {
	const field = typeof value === 'string' ? value : '';
	if (field.trim() === '') throw invalidInput(label, 'is empty.', FIELD_NAME_FIX);
	if (hasSurroundingWhitespace(field)) throw invalidInput(label, 'starts or ends with a space.', FIELD_NAME_FIX);
	if (hasControlCharacter(field)) throw invalidInput(label, 'contains a control character.', FIELD_NAME_FIX);
	if (field.length > MAX_FIELD_NAME_LENGTH) throw invalidInput(label, `is longer than ${MAX_FIELD_NAME_LENGTH} characters.`, FIELD_NAME_FIX);
	if (RESERVED_KEYS.has(field)) throw invalidInput(label, `"${field}" is reserved in JavaScript objects.`, FIELD_NAME_FIX);
	return field;
}

function checkRow(row: Partial<OutputMapping>, index: number, seen: Set<string>): OutputMapping {
	const label = `Response Mapping row ${index + 1}`;
	const objectPath = typeof row.objectPath === 'string' ? row.objectPath : '';
	if (!findSessionField(objectPath)) {
		throw invalidInput(`${label}, Object Path`, `"${objectPath}" is not a value Salesforce returns.`, `Choose one of: ${SESSION_FIELDS.map((f) => f.path).join(', ')}.`);
	}
	const field = checkFieldName(row.field, `${label}, Field Name`);
	if (seen.has(field)) throw invalidInput(`${label}, Field Name`, `"${field}" is already used by an earlier row.`, 'Give each row its own field name.');
	seen.add(field);
	return { objectPath, field };
}

/** Validates the rows; throws naming the first bad row and column. */
export function readOutputMappings(rows: unknown): OutputMapping[] {
	const list = Array.isArray(rows) ? (rows as Array<Partial<OutputMapping>>) : [];
	if (list.length === 0) {
		throw invalidInput('Response Mapping', 'has no rows.', 'Add a row, e.g. Object Path "access_token" → Field Name "SF_ACCESS_TOKEN".');
	}
	const seen = new Set<string>();
	return list.map((row, index) => checkRow(row ?? {}, index, seen));
}

export function mapSession(session: SalesforceSession, mappings: OutputMapping[]): Record<string, string> {
	const output: Record<string, string> = {};
	for (const { objectPath, field } of mappings) {
		const sessionField = findSessionField(objectPath);
		if (sessionField) output[field] = sessionField.read(session);
	}
	return output;
}
