/** What the File operations share: where they show, and the binary property of an item. */
import type { INodeProperties } from 'n8n-workflow';

export const FILE_OPERATIONS = ['upload', 'download', 'getAll'] as const;
export type FileOperation = (typeof FILE_OPERATIONS)[number];

export function showForFile(...operations: FileOperation[]): INodeProperties['displayOptions'] {
	return { show: { resource: ['file'], operation: operations } };
}

/** The item's binary property the file is read from (upload) or written to (download). */
export function binaryPropertyField(operation: 'upload' | 'download'): INodeProperties {
	return {
		displayName: operation === 'upload' ? 'Input Binary Field' : 'Output Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint:
			operation === 'upload'
				? "The name of the input item's binary field that holds the file"
				: "The name of the output item's binary field to put the file in",
		displayOptions: showForFile(operation),
	};
}
