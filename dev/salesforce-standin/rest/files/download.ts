import { pipeline } from 'node:stream/promises';
import type { FieldDef, ObjectDef, StoredRecord } from '../schema';
import type { RestContext } from '../context';
import { allow, exchange } from '../context';
import { notFound } from '../errors';
import { extensionOf, mimeTypeOf } from './fileTypes';

/**
 * GET sobjects/{type}/{id}/{blobField} (REST API Guide, sObject Blob Get): the bytes, streamed
 * from the file, "returned in binary form" with the file's MIME type and its length. Salesforce
 * sends no file name (no Content-Disposition): a client asks the record for it. Ranges are not
 * documented for this resource, so the stand-in serves the whole file.
 */

/** The blob field a path segment names (case-insensitively: the guide's examples write `body`). */
export function blobFieldNamed(object: ObjectDef, name: string): FieldDef | undefined {
	return object.fields.find(
		(field) => field.type === 'base64' && field.name.toLowerCase() === name.toLowerCase(),
	);
}

function contentType(object: ObjectDef, row: StoredRecord): string {
	if (object.name === 'ContentVersion') return mimeTypeOf(String(row.FileExtension ?? ''));
	if (typeof row.ContentType === 'string' && row.ContentType !== '') return row.ContentType;
	return mimeTypeOf(extensionOf(String(row.Name ?? '')));
}

/** Checks synchronously (a Composite subrequest gets its error), then streams. */
export function sendBlob(
	context: RestContext,
	object: ObjectDef,
	row: StoredRecord,
	field: FieldDef,
): Promise<void> | void {
	allow(context, 'GET');
	const { req, res } = exchange(context);
	const key = row[field.name];
	const blob = typeof key === 'string' ? context.org.rest.blobs.get(key) : undefined;
	if (!blob) throw notFound();
	res.writeHead(200, {
		...context.headers,
		'Content-Type': contentType(object, row),
		'Content-Length': String(blob.bytes),
	});
	if (req.method === 'HEAD') return void res.end();
	return pipeline(context.org.rest.blobs.open(blob.key), res);
}
