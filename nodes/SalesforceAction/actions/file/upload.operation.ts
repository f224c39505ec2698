/**
 * File → Upload: each item's binary file becomes a new Salesforce File (a ContentVersion and its
 * ContentDocument), optionally linked to a record, or a new version of an existing file. The file
 * streams from n8n's binary data store to Salesforce as multipart (up to 2 GB; never whole in
 * memory when n8n keeps binary data on disk): one request for the file, one for the file's id.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { uploadFile, type FileContent, type SalesforceConnection } from '../../../client';
import type { ItemStep } from '../../../n8n';
import { checkFileSize, invalidParameter } from '../../../salesforce';
import { binaryPropertyField, showForFile } from './common';

const show = showForFile('upload');

export const description: INodeProperties[] = [
	binaryPropertyField('upload'),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'e.g. Signed contract',
		description: "The file's title in Salesforce; empty: the file name without its extension",
		displayOptions: show,
	},
	{
		displayName: 'Linked Record ID',
		name: 'linkedRecordId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 006XXXXXXXXXXXXXXX',
		description:
			"The record the new file belongs to (an Opportunity, a Case, an Account…): it shows in the record's Files. Empty: the file is only in the user's own files.",
		displayOptions: show,
	},
	{
		displayName: 'New Version Of (File ID)',
		name: 'contentDocumentId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 069XXXXXXXXXXXXXXX',
		description:
			"Upload a new version of this file (its ContentDocument ID, 069…) instead of a new file. The new version keeps the file's links.",
		displayOptions: show,
	},
];

/** The item's binary data under `name`, or an error naming the field and the item. */
function binaryOf(context: IExecuteFunctions, itemIndex: number, name: string): IBinaryData {
	const binary = context.getInputData()[itemIndex]?.binary;
	const data = binary?.[name];
	if (data) return data;
	const present = Object.keys(binary ?? {});
	throw invalidParameter(
		'Input Binary Field',
		`item ${itemIndex} has no binary field "${name}"${present.length > 0 ? ` (it has ${present.map((key) => `"${key}"`).join(', ')})` : ' (it has no binary data at all)'}`,
		present.length > 0
			? `Set Input Binary Field to the field that holds the file, e.g. "${present[0]}".`
			: 'Read or download the file in an earlier node (Read/Write Files from Disk, HTTP Request with Response Format File…), then connect it to this one.',
	);
}

/** Bytes of base64 text, exactly (n8n keeps a file in memory as base64 when it has no binary data store). */
function base64Bytes(data: string): number {
	const clean = data.replace(/\s/g, '');
	const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
	return (clean.length * 3) / 4 - padding;
}

/** The file's size and a fresh stream of it for each attempt: from n8n's store, or from memory. */
async function contentOf(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	binary: IBinaryData,
): Promise<FileContent> {
	const mimeType = binary.mimeType || 'application/octet-stream';
	const id = binary.id;
	if (id) {
		const metadata = await context.helpers.getBinaryMetadata(id);
		return {
			bytes: metadata.fileSize,
			mimeType,
			open: async () => await context.helpers.getBinaryStream(id),
		};
	}
	return {
		bytes: base64Bytes(binary.data),
		mimeType,
		open: async () => [await context.helpers.getBinaryDataBuffer(itemIndex, name)],
	};
}

export function prepare(this: IExecuteFunctions, salesforce: SalesforceConnection): ItemStep {
	return async (itemIndex) => {
		const name = String(
			this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '',
		).trim();
		if (name === '')
			throw invalidParameter(
				'Input Binary Field',
				'is empty',
				'Type the name of the binary field that holds the file, usually "data".',
			);
		const binary = binaryOf(this, itemIndex, name);
		const fileName =
			binary.fileName || `file${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
		const content = await contentOf(this, itemIndex, name, binary);
		checkFileSize(content.bytes, fileName);
		const uploaded = await uploadFile(salesforce, {
			fileName,
			title: String(this.getNodeParameter('title', itemIndex, '') ?? ''),
			linkedRecordId: String(this.getNodeParameter('linkedRecordId', itemIndex, '') ?? ''),
			contentDocumentId: String(this.getNodeParameter('contentDocumentId', itemIndex, '') ?? ''),
			content,
		});
		return { ...uploaded, fileName, size: content.bytes } as IDataObject;
	};
}
