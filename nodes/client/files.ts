/**
 * Salesforce Files through the connection's send loop (salesforce-rest.md §10):
 * - upload: one multipart request carries the file as it is read (framed around n8n's binary
 *   stream, never whole in memory), plus one GET for the ContentDocument id the answer lacks
 *   (none when the upload is a new version of a known file);
 * - download: one GET for what names the file (Salesforce's answer has no file name), one for the
 *   bytes, handed over unread as a stream;
 * - the files of a record: one query.
 */
import {
	blobPath,
	contentVersionFields,
	fileItemOf,
	fileNameOf,
	filesOfRecordQuery,
	multipartFrame,
	type BlobSource,
	type UploadFields,
} from '../salesforce';
import { answeredStatus, withNote } from '../n8n';
import type { SalesforceConnection } from './connection';
import { queryRecords } from './query';
import type { ByteStream } from './requests';
import { readableFrom } from './streams';

export interface FileContent {
	/** The file's size, known before sending (Content-Length, the 2 GB check). */
	bytes: number;
	mimeType: string;
	/** The file's bytes from the start, afresh for each attempt (a consumed stream cannot be sent again). */
	open: () => Promise<AsyncIterable<unknown> | Iterable<unknown>>;
}

export interface UploadedFile {
	contentVersionId: string;
	contentDocumentId: string;
}

function asBytes(chunk: unknown): Uint8Array {
	return typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
}

/** The note an upload failure gets: whether Salesforce can hold a ContentVersion of it. */
function uploadFailureNote(
	sentAll: boolean,
	answered: boolean,
	sent: number,
	total: number,
): string {
	if (!sentAll) {
		return `The upload stopped after ${sent} of ${total} bytes. Salesforce creates a ContentVersion only from a complete upload, so none was created: run again.`;
	}
	if (answered) return 'Salesforce refused the upload, so no ContentVersion was created.';
	return "The whole file was sent but no answer came: Salesforce may have created the ContentVersion. Check the record's Files before running again.";
}

/** Uploads the file as a new ContentVersion (a new file, or a new version of `contentDocumentId`). */
export async function uploadFile(
	connection: SalesforceConnection,
	upload: UploadFields & { content: FileContent },
): Promise<UploadedFile> {
	let fields: Record<string, string>;
	try {
		fields = contentVersionFields(upload);
	} catch (error) {
		throw connection.nodeError(error);
	}
	const { content } = upload;
	const frame = multipartFrame(fields, content.mimeType);
	const head = Buffer.from(frame.head);
	const tail = Buffer.from(frame.tail);
	let sent = 0;
	let sentAll = false;
	async function* body(): AsyncGenerator<Uint8Array> {
		sent = 0;
		sentAll = false;
		yield head;
		for await (const chunk of await content.open()) {
			const bytes = asBytes(chunk);
			sent += bytes.length;
			yield bytes;
		}
		yield tail;
		sentAll = sent === content.bytes;
	}
	const what = `uploading the file "${upload.fileName}"`;
	let id: string;
	try {
		const { body: answer } = await connection.send<{ id?: string }>({
			method: 'POST',
			path: 'sobjects/ContentVersion',
			body: {
				stream: (): ByteStream => readableFrom(body()),
				contentType: frame.contentType,
				contentLength: head.length + content.bytes + tail.length,
			},
			what,
		});
		if (typeof answer?.id !== 'string')
			throw new Error("Salesforce's answer holds no ContentVersion id");
		id = answer.id;
	} catch (error) {
		throw withNote(
			connection.node,
			error,
			uploadFailureNote(sentAll, answeredStatus(error) !== undefined, sent, content.bytes),
		);
	}
	if (fields.ContentDocumentId)
		return { contentVersionId: id, contentDocumentId: fields.ContentDocumentId };
	// The upload's answer is {id, success, errors}: the file's (ContentDocument) id is one GET away.
	const { body: version } = await connection.send<{ ContentDocumentId?: string }>({
		method: 'GET',
		path: `sobjects/ContentVersion/${id}`,
		qs: { fields: 'ContentDocumentId' },
		what: `reading the file id of ContentVersion ${id}`,
	});
	return { contentVersionId: id, contentDocumentId: String(version.ContentDocumentId ?? '') };
}

export interface DownloadedFile {
	stream: ByteStream;
	fileName: string;
	mimeType: string;
	/** Content-Length, when Salesforce sent it. */
	bytes?: number;
	/** The record that names the file (ContentVersion, ContentDocument, Attachment or Document fields). */
	record: Record<string, unknown>;
	/** The ContentVersion read, for a file; the record's id otherwise. */
	versionId: string;
}

/** The file's name and type (one GET), then its bytes as an unread stream (one GET). */
export async function downloadFile(
	connection: SalesforceConnection,
	source: BlobSource,
): Promise<DownloadedFile> {
	const { body: record } = await connection.send<Record<string, unknown>>({
		method: 'GET',
		path: `sobjects/${source.sobject}/${source.id}`,
		qs: { fields: source.nameFields.join(',') },
		what: `reading ${source.sobject} ${source.id}`,
	});
	let holder: 'ContentVersion' | 'Attachment' | 'Document';
	let versionId = source.id;
	if (source.sobject === 'ContentDocument') {
		holder = 'ContentVersion';
		versionId = String(record.LatestPublishedVersionId ?? '');
	} else {
		holder = source.sobject;
	}
	const { body: stream, headers } = await connection.send({
		method: 'GET',
		path: blobPath(holder, versionId),
		answer: 'stream',
		headers: { Accept: '*/*' },
		what: `downloading the file of ${source.sobject} ${source.id}`,
	});
	const length = Number(headers['content-length']);
	const type = headers['content-type'];
	return {
		stream,
		fileName: fileNameOf(record),
		mimeType:
			(typeof type === 'string' && type.split(';')[0].trim()) ||
			(typeof record.ContentType === 'string' ? record.ContentType : 'application/octet-stream'),
		bytes: Number.isFinite(length) ? length : undefined,
		record,
		versionId,
	};
}

/** The latest version of every file linked to the record, one item each (one query). */
export async function listFilesOf(
	connection: SalesforceConnection,
	recordId: string,
): Promise<Array<Record<string, unknown>>> {
	const records = await queryRecords(connection, filesOfRecordQuery(recordId));
	return records.map(fileItemOf);
}
