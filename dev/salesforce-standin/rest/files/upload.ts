import { pipeline } from 'node:stream/promises';
import type { StandinBlobLimits } from '../../types';
import type { FieldDef, ObjectDef } from '../schema';
import type { RestContext } from '../context';
import { exchange, isObject, objectBody, writeContext } from '../context';
import { asApiErrors, restError, RestError } from '../errors';
import { parseFields } from '../dml';
import { sendJson } from '../../http';
import { recordUrl } from '../soql/run';
import { multipartBoundary, MultipartParser, type PartSink } from '../../multipart';
import type { BlobWriter, StoredBlob } from './blobs';
import { BlobTooLargeError } from './blobs';
import { completeBlobRecord, prepareBlobRecord } from './content';

/**
 * POST sobjects/{ContentVersion|Attachment|Document} with the blob (REST API Guide, Insert or
 * Update Blob Data), in either of its two forms:
 * - JSON with the blob base64-encoded in its field: at most 50 MB of request (37.5 MB of file).
 * - multipart/form-data: first the record's fields as a JSON part (`Content-Type:
 *   application/json`; the guide names it entity_content, entity_document...: any name is taken),
 *   then the bytes in a part named after the blob field (`VersionData`, `Body`). At most 2 GB for
 *   ContentVersion, 500 MB for the others. The bytes stream to a file as they arrive.
 * The answer is the usual 201 {id, success, errors}. Whatever fails (a missing field, a bad
 * reference, a file over the limit, broken framing, a connection lost mid-body) leaves no record
 * and no file behind.
 */

export const DEFAULT_BLOB_LIMITS: StandinBlobLimits = {
	contentVersionBytes: 2 * 1024 ** 3,
	otherBytes: 500 * 1024 ** 2,
	jsonRequestBytes: 50 * 1024 ** 2,
};

/** The object's blob field (VersionData, Body), if it has one. */
export function blobField(object: ObjectDef): FieldDef | undefined {
	return object.fields.find((candidate) => candidate.type === 'base64');
}

export function isMultipart(contentType: string | undefined): boolean {
	return multipartBoundary(contentType) !== undefined;
}

function multipartError(message: string): RestError {
	// "Multipart message must include a non-binary part" is Salesforce's answer (third-party
	// evidence); the other framing messages are the stand-in's (silent).
	return restError(400, 'INVALID_MULTIPART_REQUEST', message);
}

/** The object's own error for a blob over its limit (StatusCode MAXIMUM_SIZE_OF_ATTACHMENT / _DOCUMENT). */
function tooLarge(object: ObjectDef, limit: number): RestError {
	const code =
		object.name === 'Attachment' ? 'MAXIMUM_SIZE_OF_ATTACHMENT' : 'MAXIMUM_SIZE_OF_DOCUMENT';
	const field = object.name === 'ContentVersion' ? 'ContentSize' : 'BodyLength';
	return new RestError(
		400,
		asApiErrors([
			{
				statusCode: code,
				message: `${object.label} data exceeded maximum size of ${limit} bytes: [${field}]`,
				fields: [field],
			},
		]),
	);
}

interface Received {
	fields: Record<string, unknown>;
	blob?: StoredBlob;
}

/** Reads a multipart body: the JSON part into memory, the blob part into a file. */
async function receiveMultipart(
	context: RestContext,
	object: ObjectDef,
	field: FieldDef,
	limit: number,
): Promise<Received> {
	const { uploadFaults } = context.org.rest;
	const boundary = multipartBoundary(context.req.headers['content-type']) as string;
	let json = '';
	let jsonSeen = false;
	let problem: RestError | undefined;
	let writer: BlobWriter | undefined;
	const discard: PartSink = { write: () => undefined, end: () => undefined };
	const parser = new MultipartParser(boundary, (headers, index) => {
		if (index === 0) {
			if (headers.contentType !== 'application/json') {
				problem ??= multipartError('Multipart message must include a non-binary part');
				return discard;
			}
			jsonSeen = true;
			return {
				write: (chunk) => {
					json += chunk.toString('utf8');
					if (json.length > 1024 * 1024)
						throw new RestError(400, [
							{ errorCode: 'JSON_PARSER_ERROR', message: 'The JSON part is too large' },
						]);
				},
				end: () => undefined,
			};
		}
		if (headers.name.toLowerCase() !== field.name.toLowerCase() || writer) {
			problem ??= multipartError(
				`Unexpected part '${headers.name}': the binary part must be named ${field.name} and come once, after the JSON part`,
			);
			return discard;
		}
		const blob = context.org.rest.blobs.writer(limit);
		writer = blob;
		return { write: (chunk) => blob.write(chunk), end: () => undefined };
	});
	try {
		await pipeline(uploadFaults.body(exchange(context).req), parser);
	} catch (error) {
		await writer?.discard();
		if (error instanceof BlobTooLargeError) throw tooLarge(object, error.limit);
		throw error;
	}
	const failure =
		problem ??
		(parser.failure ? multipartError(`Malformed multipart body: ${parser.failure}`) : undefined) ??
		(jsonSeen ? undefined : multipartError('Multipart message must include a non-binary part'));
	let fields: unknown;
	try {
		if (failure) throw failure;
		fields = JSON.parse(json);
		if (!isObject(fields))
			throw new RestError(400, [
				{
					errorCode: 'JSON_PARSER_ERROR',
					message: 'The JSON part must be one object of field values',
				},
			]);
	} catch (error) {
		await writer?.discard();
		if (error instanceof SyntaxError)
			throw new RestError(400, [
				{
					errorCode: 'JSON_PARSER_ERROR',
					message: `Unexpected character in the JSON part: ${error.message}`,
				},
			]);
		throw error;
	}
	return { fields, blob: writer ? await writer.done() : undefined };
}

/** Reads a JSON body whose blob field carries base64. */
async function receiveJson(
	context: RestContext,
	field: FieldDef,
	limit: number,
): Promise<Received> {
	const fields = objectBody(context);
	const key = Object.keys(fields).find((name) => name.toLowerCase() === field.name.toLowerCase());
	if (key === undefined) return { fields };
	const encoded = fields[key];
	delete fields[key];
	if (encoded === null) return { fields };
	if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(encoded)) {
		throw new RestError(400, [
			{
				errorCode: 'JSON_PARSER_ERROR',
				message: `Cannot deserialize instance of base64 from ${typeof encoded === 'string' ? 'VALUE_STRING' : 'a non-string value'}: not base64 text`,
			},
		]);
	}
	return {
		fields,
		blob: await context.org.rest.blobs.fromBuffer(Buffer.from(encoded, 'base64'), limit),
	};
}

/** Refuses at once (synchronously, so a Composite subrequest gets its error) what it cannot serve. */
export function createWithBlob(context: RestContext, object: ObjectDef): Promise<void> {
	exchange(context);
	return receiveAndCreate(context, object);
}

async function receiveAndCreate(context: RestContext, object: ObjectDef): Promise<void> {
	const field = blobField(object) as FieldDef;
	const { blobs, blobLimits, store, dml } = context.org.rest;
	const multipart = isMultipart(context.req.headers['content-type']);
	const limit = !multipart
		? blobLimits.jsonRequestBytes
		: object.name === 'ContentVersion'
			? blobLimits.contentVersionBytes
			: blobLimits.otherBytes;
	let received: Received;
	try {
		received = multipart
			? await receiveMultipart(context, object, field, limit)
			: await receiveJson(context, field, limit);
	} catch (error) {
		if (error instanceof BlobTooLargeError) throw tooLarge(object, error.limit);
		throw error;
	}
	const { blob } = received;
	try {
		const entries = parseFields(object, received.fields);
		if (blob) entries.push([field, blob.key]);
		prepareBlobRecord(object, entries, blob);
		const ctx = writeContext(context);
		const result = dml.create(object, entries, ctx);
		if (!result.ok) throw new RestError(400, asApiErrors(result.errors));
		const row = store.get(object, result.id);
		try {
			if (blob && row) completeBlobRecord(store, object, row, blob, ctx);
		} catch (error) {
			result.undo();
			throw error;
		}
		sendJson(
			context.res,
			201,
			{ id: result.id, success: true, errors: [] },
			{ ...context.headers, Location: recordUrl(context.version, object, result.id) },
		);
	} catch (error) {
		if (blob) await blobs.delete(blob.key);
		throw error;
	}
}
