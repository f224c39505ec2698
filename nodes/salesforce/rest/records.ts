/**
 * Records as Salesforce returns them, made into plain data: each record, each parent it reaches
 * through a relationship (`Account: { attributes, Name }`) and each subquery's records carry an
 * `attributes` object ({ type, url }) that is noise in a workflow.
 */
import { invalidParameter } from './restErrors';

export type SalesforceRecord = Record<string, unknown>;

export interface QueryResponse {
	totalSize?: number;
	done?: boolean;
	nextRecordsUrl?: string;
	records?: SalesforceRecord[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return (
		typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
	);
}

function stripped(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(stripped);
	if (!isPlainObject(value)) return value;
	const result: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) {
		if (key === 'attributes' && isPlainObject(inner)) continue;
		result[key] = stripped(inner);
	}
	return result;
}

/** A copy of the record without `attributes`, in nested parents and subquery records too. */
export function withoutAttributes<T extends SalesforceRecord>(record: T): SalesforceRecord {
	return stripped(record) as SalesforceRecord;
}

/** The records of a query answer (none when it holds none). */
export function recordsOf(response: unknown): SalesforceRecord[] {
	if (!isPlainObject(response)) return [];
	const records = response.records;
	return Array.isArray(records) ? records.filter(isPlainObject) : [];
}

const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** 15 or 18 letters and digits: the shape of a Salesforce record Id (18 = 15 with a case-safe suffix). */
export function isRecordId(text: string): boolean {
	return RECORD_ID.test(text);
}

/** A record Id as typed: 15 or 18 letters and digits (returned trimmed); refused naming the parameter otherwise. */
export function checkRecordId(value: unknown, parameterLabel: string): string {
	const text =
		typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	const fix =
		"Give the record's 15- or 18-character Salesforce Id (e.g. 001000000000001AAA), e.g. {{ $json.Id }} from an earlier node.";
	if (text === '') throw invalidParameter(parameterLabel, 'is empty', fix);
	if (!isRecordId(text)) {
		const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
		throw invalidParameter(
			parameterLabel,
			`${shown} is not a Salesforce record Id (15 or 18 letters and digits)`,
			fix,
		);
	}
	return text;
}

/** A copy of the record without the named fields. */
export function withoutFields(
	record: SalesforceRecord,
	names: readonly string[],
): SalesforceRecord {
	const copy: SalesforceRecord = {};
	for (const [name, value] of Object.entries(record)) if (!names.includes(name)) copy[name] = value;
	return copy;
}

/** The record's own fields: without the `attributes` a record read from a query carries. */
export function fieldsOf(record: SalesforceRecord): SalesforceRecord {
	return withoutFields(record, ['attributes']);
}

/** The record's Id as given — the Id itself, or the record's Id field however it is spelled — unchecked. */
export function idOf(record: SalesforceRecord | string): unknown {
	if (typeof record === 'string') return record;
	return record.Id ?? record.id ?? record.ID;
}

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * What two record Ids share when they name the same record: the 18-character form (a 15-character
 * Id gets the 3 characters that encode its letters' case), without case — Salesforce reads
 * 18-character Ids case-insensitively, 15-character ones case-sensitively.
 */
export function recordIdKey(id: string): string {
	if (id.length !== 15) return id.toUpperCase();
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let index = 0; index < 5; index++) {
			const character = id[chunk * 5 + index];
			if (character >= 'A' && character <= 'Z') bits |= 1 << index;
		}
		suffix += CHECKSUM_ALPHABET[bits];
	}
	return `${id}${suffix}`.toUpperCase();
}
