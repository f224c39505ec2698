/**
 * Salesforce Files and the older blob objects (salesforce-rest.md §10; REST API Guide, "Insert or
 * Update Blob Data" and "sObject Blob Retrieve"):
 * - an upload is a new ContentVersion sent as multipart/form-data — first the record's fields as a
 *   JSON part, then the bytes in a part named VersionData — so the file streams and may be up to
 *   2 GB (a JSON body carries base64 and stops at 37.5 MB);
 * - a download is `GET sobjects/{ContentVersion|Attachment|Document}/{id}/{VersionData|Body}`;
 *   which one follows from the id's key prefix (068 ContentVersion, 069 ContentDocument — read
 *   through its latest version —, 00P Attachment, 015 Document);
 * - the files of a record are the latest versions of the documents linked to it.
 */
import { randomBytes } from 'node:crypto';
import { invalidParameter, SalesforceRestError } from '../rest/restErrors';
import { isRecordId } from '../rest/records';
import { soqlStringLiteral } from '../rest/soql';

/** A ContentVersion's file may be up to 2 GB (Salesforce's limit for a multipart upload). */
export const MAX_FILE_BYTES = 2 * 1024 ** 3;

function megabytes(bytes: number): string {
	return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** Refuses, before anything is sent, a file Salesforce would refuse after receiving it all. */
export function checkFileSize(bytes: number, fileName: string): void {
	if (bytes > MAX_FILE_BYTES) {
		throw new SalesforceRestError(
			'FILE_TOO_LARGE',
			`The file "${fileName}" is ${megabytes(bytes)}: Salesforce takes files of up to 2 GB (2048 MB)`,
			'Nothing was sent. Split or compress the file, or store it elsewhere (e.g. an external file system) and attach a link to the record.',
		);
	}
}

export interface UploadFields {
	fileName: string;
	/** Default: Salesforce takes the file name without its extension. */
	title?: string;
	/** The record the new file belongs to (FirstPublishLocationId). */
	linkedRecordId?: string;
	/** Upload a new version of this file (ContentDocument). */
	contentDocumentId?: string;
}

/** The ContentVersion's fields, checked: ids must be ids, and a new version takes no record to link. */
export function contentVersionFields(upload: UploadFields): Record<string, string> {
	const fields: Record<string, string> = { PathOnClient: upload.fileName };
	const title = upload.title?.trim();
	if (title) fields.Title = title;
	const linked = upload.linkedRecordId?.trim();
	const document = upload.contentDocumentId?.trim();
	if (linked && document) {
		throw invalidParameter(
			'Linked Record ID',
			'is set together with File ID (a new version)',
			'A new version stays linked wherever its file is: clear Linked Record ID, or clear File ID to upload a new file linked to the record.',
		);
	}
	if (linked) fields.FirstPublishLocationId = checkId(linked, 'Linked Record ID');
	if (document) {
		const id = checkId(document, 'File ID');
		if (!id.startsWith('069'))
			throw invalidParameter(
				'File ID',
				`"${id}" is not a file (ContentDocument) id, which starts with 069`,
				'Give the ContentDocument id of the file to add a version to, e.g. {{ $json.contentDocumentId }} from an upload or Get Many.',
			);
		fields.ContentDocumentId = id;
	}
	return fields;
}

function checkId(value: string, parameter: string): string {
	if (!isRecordId(value))
		throw invalidParameter(
			parameter,
			`"${value.slice(0, 40)}" is not a Salesforce id (15 or 18 letters and digits)`,
			"Give the record's id, e.g. {{ $json.Id }} from an earlier node.",
		);
	return value;
}

/** The text around the file's bytes in a multipart upload, and its Content-Type. */
export interface MultipartFrame {
	contentType: string;
	/** Everything before the bytes: the JSON part, then the file part's headers. */
	head: string;
	/** Everything after the bytes: the closing boundary. */
	tail: string;
}

/** A header value in quotes: quotes and line breaks cannot be part of it (RFC 7578 §4.2 escapes them). */
function quotedHeaderValue(text: string): string {
	return `"${text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** The multipart framing of a ContentVersion upload: `fields` (the record), then a file of type `mimeType`. */
export function multipartFrame(
	fields: Record<string, string>,
	mimeType: string,
	boundary = `----n8nSalesforce${randomBytes(12).toString('hex')}`,
): MultipartFrame {
	const fileName = fields.PathOnClient ?? 'file';
	const head =
		`--${boundary}\r\n` +
		`Content-Disposition: form-data; name="entity_content"\r\n` +
		`Content-Type: application/json\r\n\r\n` +
		`${JSON.stringify(fields)}\r\n` +
		`--${boundary}\r\n` +
		`Content-Disposition: form-data; name="VersionData"; filename=${quotedHeaderValue(fileName)}\r\n` +
		`Content-Type: ${mimeType || 'application/octet-stream'}\r\n\r\n`;
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		head,
		tail: `\r\n--${boundary}--\r\n`,
	};
}

/** What a download reads, by the id's key prefix. */
export interface BlobSource {
	/** The object the id is of (ContentDocument: read through its latest version). */
	sobject: 'ContentVersion' | 'ContentDocument' | 'Attachment' | 'Document';
	id: string;
	/** The fields that name the file, read with one GET before the bytes. */
	nameFields: string[];
}

const SOURCES: Record<string, Omit<BlobSource, 'id'>> = {
	'068': { sobject: 'ContentVersion', nameFields: ['Title', 'PathOnClient', 'FileExtension'] },
	'069': {
		sobject: 'ContentDocument',
		nameFields: ['Title', 'FileExtension', 'LatestPublishedVersionId'],
	},
	'00P': { sobject: 'Attachment', nameFields: ['Name', 'ContentType'] },
	'015': { sobject: 'Document', nameFields: ['Name', 'Type', 'ContentType'] },
};

export function blobSourceOf(value: unknown, parameter = 'File ID'): BlobSource {
	const id = typeof value === 'string' ? value.trim() : '';
	const fix =
		'Give the id of a file version (068…), a file (069…, its latest version is read), an Attachment (00P…) or a Document (015…).';
	if (id === '') throw invalidParameter(parameter, 'is empty', fix);
	if (!isRecordId(id))
		throw invalidParameter(parameter, `"${id.slice(0, 40)}" is not a Salesforce id`, fix);
	const source = SOURCES[id.slice(0, 3)];
	if (!source)
		throw invalidParameter(
			parameter,
			`"${id}" is not the id of a file, an Attachment or a Document`,
			fix,
		);
	return { ...source, id };
}

/** The path of the bytes of a record that holds them. */
export function blobPath(
	sobject: 'ContentVersion' | 'Attachment' | 'Document',
	id: string,
): string {
	return `sobjects/${sobject}/${id}/${sobject === 'ContentVersion' ? 'VersionData' : 'Body'}`;
}

function baseName(path: string): string {
	return path.split(/[\\/]/).pop() ?? path;
}

/**
 * A file name safe for n8n's binary data (no folders), from what the record says: the name the
 * file was uploaded with (PathOnClient), an Attachment's or Document's Name, or the Title; with the
 * extension Salesforce records (FileExtension, a Document's Type) when the name lacks it.
 */
export function fileNameOf(record: Record<string, unknown>): string {
	const text = (key: string) =>
		typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : undefined;
	const name = baseName(text('PathOnClient') ?? text('Name') ?? text('Title') ?? 'file') || 'file';
	const extension = text('FileExtension') ?? text('Type');
	return extension && !name.toLowerCase().endsWith(`.${extension.toLowerCase()}`)
		? `${name}.${extension}`
		: name;
}

/** The fields Get Many returns for each file. */
export const FILE_FIELDS = [
	'Id',
	'ContentDocumentId',
	'Title',
	'PathOnClient',
	'FileExtension',
	'FileType',
	'ContentSize',
	'VersionNumber',
	'Checksum',
	'CreatedDate',
	'LastModifiedDate',
];

/** The latest version of every file linked to the record: one query (a semi-join on ContentDocumentLink). */
export function filesOfRecordQuery(recordId: string): string {
	return (
		`SELECT ${FILE_FIELDS.join(', ')} FROM ContentVersion WHERE IsLatest = true AND ContentDocumentId IN ` +
		`(SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = ${soqlStringLiteral(recordId)}) ORDER BY CreatedDate`
	);
}

/** One Get Many item: the file's facts under names that say what they are. */
export function fileItemOf(record: Record<string, unknown>): Record<string, unknown> {
	return {
		contentVersionId: record.Id,
		contentDocumentId: record.ContentDocumentId,
		title: record.Title,
		fileName: fileNameOf(record),
		fileExtension: record.FileExtension ?? null,
		fileType: record.FileType ?? null,
		size: record.ContentSize ?? null,
		versionNumber: record.VersionNumber ?? null,
		checksum: record.Checksum ?? null,
		createdDate: record.CreatedDate ?? null,
		lastModifiedDate: record.LastModifiedDate ?? null,
	};
}
