/**
 * File → Download: the bytes of a file version (ContentVersion), of a file's latest version
 * (ContentDocument), of an Attachment or of a Document, into a binary field of the output item
 * with the file's name and MIME type. The bytes stream from Salesforce into n8n's binary data (on
 * disk in filesystem mode, never whole in memory): one request for the name, one for the bytes.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { downloadFile, type SalesforceConnection } from '../../../client';
import type { ItemStep } from '../../../n8n';
import { blobSourceOf, invalidParameter } from '../../../salesforce';
import { binaryPropertyField, showForFile } from './common';

type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export const description: INodeProperties[] = [
	{
		displayName: 'File ID',
		name: 'contentVersionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 068XXXXXXXXXXXXXXX',
		description:
			"A file version (ContentVersion, 068…), a file (ContentDocument, 069…: its latest version), an Attachment (00P…) or a Document (015…). Get Many lists a record's files.",
		displayOptions: showForFile('download'),
	},
	binaryPropertyField('download'),
];

export function prepare(this: IExecuteFunctions, salesforce: SalesforceConnection): ItemStep {
	return async (itemIndex) => {
		const source = blobSourceOf(
			this.getNodeParameter('contentVersionId', itemIndex, ''),
			'File ID',
		);
		const property = String(
			this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '',
		).trim();
		if (property === '')
			throw invalidParameter(
				'Output Binary Field',
				'is empty',
				'Type the name of the binary field to put the file in, usually "data".',
			);
		const file = await downloadFile(salesforce, source);
		// n8n writes the stream into its binary data store as it arrives.
		const binary = await this.helpers.prepareBinaryData(
			file.stream as unknown as BinarySource,
			file.fileName,
			file.mimeType,
		);
		const json: IDataObject = {
			id: source.id,
			...(source.sobject === 'ContentDocument' || source.sobject === 'ContentVersion'
				? { contentVersionId: file.versionId }
				: {}),
			...(source.sobject === 'ContentDocument' ? { contentDocumentId: source.id } : {}),
			fileName: file.fileName,
			mimeType: file.mimeType,
			size: binary.bytes ?? file.bytes ?? null,
		};
		return [{ json, binary: { [property]: binary } }];
	};
}
