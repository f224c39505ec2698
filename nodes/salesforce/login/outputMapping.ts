/**
 * The "Response Mapping" table: which session values go into which output fields.
 * Field names are used literally as keys of the item's JSON (a dot is part of the name).
 */
import { invalidInput } from '../errors';
import { findSessionField, SESSION_FIELDS } from './sessionFields';
import type { SalesforceSession } from './tokenResponse';
import { hasControlCharacter, hasSurroundingWhitespace } from '../text';

export interface OutputMapping {
	objectPath: string;
	field: string;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_FIELD_NAME_LENGTH = 200;

const FIELD_NAME_FIX =
	'Use a plain name such as SF_ACCESS_TOKEN; later nodes read it as {{ $json.SF_ACCESS_TOKEN }}.';

/** An output field name, used literally as a key of the item's JSON. `label` names the form field. */
export function checkFieldName(value: unknown, label: string): string {
	const field = typeof value === 'string' ? value : '';
	if (field.trim() === '') throw invalidInput(label, 'is empty.', FIELD_NAME_FIX);
	if (hasSurroundingWhitespace(field))
		throw invalidInput(label, 'starts or ends with a space.', FIELD_NAME_FIX);
	if (hasControlCharacter(field))
		throw invalidInput(label, 'contains a control character.', FIELD_NAME_FIX);
	if (field.length > MAX_FIELD_NAME_LENGTH)
		throw invalidInput(
			label,
			`is longer than ${MAX_FIELD_NAME_LENGTH} characters.`,
			FIELD_NAME_FIX,
		);
	if (RESERVED_KEYS.has(field))
		throw invalidInput(label, `"${field}" is reserved in JavaScript objects.`, FIELD_NAME_FIX);
	return field;
}

export interface MappingRules {
	/**
	 * An empty Field Name means "SF_" + the value's name in capitals (instance_url → SF_INSTANCE_URL),
	 * so a row works as added and follows the value picked. Off for node version 1, whose saved rows
	 * rely on an empty name being refused and on the field default SF_ACCESS_TOKEN.
	 */
	fieldFollowsValue?: boolean;
}

/** The field a value goes to when the row names none: access_token → SF_ACCESS_TOKEN. */
export function defaultFieldFor(objectPath: string): string {
	return `SF_${objectPath.toUpperCase()}`;
}

function checkRow(row: Partial<OutputMapping>, index: number, rules: MappingRules): OutputMapping {
	const label = `Response Mapping row ${index + 1}`;
	const objectPath = typeof row.objectPath === 'string' ? row.objectPath : '';
	if (!findSessionField(objectPath)) {
		throw invalidInput(
			`${label}, Object Path`,
			`"${objectPath}" is not a value Salesforce returns.`,
			`Choose one of: ${SESSION_FIELDS.map((f) => f.path).join(', ')}.`,
		);
	}
	const named = row.field === undefined || row.field === '' ? undefined : row.field;
	const field = checkFieldName(
		named ?? (rules.fieldFollowsValue ? defaultFieldFor(objectPath) : row.field),
		`${label}, Field Name`,
	);
	return { objectPath, field };
}

/**
 * Validates the rows; throws naming the first bad row and column. Two rows writing one field are
 * refused — from version 1.1 unless they repeat each other exactly (then the repeat is dropped).
 */
export function readOutputMappings(rows: unknown, rules: MappingRules = {}): OutputMapping[] {
	const list = Array.isArray(rows) ? (rows as Array<Partial<OutputMapping>>) : [];
	if (list.length === 0) {
		throw invalidInput(
			'Response Mapping',
			'has no rows.',
			'Add a row, e.g. Object Path "access_token" → Field Name "SF_ACCESS_TOKEN".',
		);
	}
	const byField = new Map<string, { objectPath: string; row: number }>();
	const mappings: OutputMapping[] = [];
	list.forEach((row, index) => {
		const mapping = checkRow(row ?? {}, index, rules);
		const earlier = byField.get(mapping.field);
		// A row added in the editor of version 1.1 repeats the defaults (access_token, empty name): harmless.
		if (earlier && earlier.objectPath === mapping.objectPath && rules.fieldFollowsValue) return;
		if (earlier) {
			throw invalidInput(
				`Response Mapping row ${index + 1}, Field Name`,
				`"${mapping.field}" already receives ${earlier.objectPath} (row ${earlier.row + 1}).`,
				`Give this row its own field name${rules.fieldFollowsValue ? ', or leave it empty for ' + defaultFieldFor(mapping.objectPath) : ''}.`,
			);
		}
		byField.set(mapping.field, { objectPath: mapping.objectPath, row: index });
		mappings.push(mapping);
	});
	return mappings;
}

export function mapSession(
	session: SalesforceSession,
	mappings: OutputMapping[],
): Record<string, string> {
	const output: Record<string, string> = {};
	for (const { objectPath, field } of mappings) {
		const sessionField = findSessionField(objectPath);
		if (sessionField) output[field] = sessionField.read(session);
	}
	return output;
}
