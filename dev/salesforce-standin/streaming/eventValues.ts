import { createHash, randomBytes } from 'node:crypto';
import type { FieldDef, StoredValue } from '../rest/schema';

/** How stored values and ids look inside delivered event messages (CometD JSON). */

/**
 * Datetimes as the Streaming API sends them: ISO 8601 in UTC with milliseconds
 * (`2024-07-01T23:35:40.000Z`), not the REST API's `+0000` form. Dates stay `YYYY-MM-DD`.
 */
export function eventValue(field: FieldDef, value: StoredValue): StoredValue {
	if (field.type !== 'datetime' || typeof value !== 'string') return value;
	const ms = Date.parse(value.replace(/\+0000$/, 'Z'));
	return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** The opaque schema id an event type is delivered with (`data.schema`); stable per type. */
export function schemaId(eventType: string): string {
	return createHash('sha256').update(eventType).digest('base64url').slice(0, 22);
}

/** Hex in the 8-4-4-4-12 layout of Salesforce's transaction keys and event UUIDs. */
export function hexKey(): string {
	const hex = randomBytes(16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
