import type { FieldDef, ObjectDef } from '../schema';
import { field, picklist, systemFields } from '../schema';

/**
 * Salesforce Files (fact sheet §10) and the older blob objects, with the fields the Object
 * Reference documents for them (ContentVersion, ContentDocument, ContentDocumentLink, Attachment,
 * Document) and their key prefixes (068, 069, 06A, 00P, 015). A file is a ContentDocument; each
 * upload is a ContentVersion of it; ContentDocumentLinks share it with records and users. Blob
 * fields (VersionData, Body) are `base64`: SOQL returns their URL, `GET .../{id}/{field}` the bytes.
 */

const READ_ONLY = { createable: false, updateable: false } as const;
const CREATE_ONLY = { createable: true, updateable: false } as const;

/** The records a file can belong to (polymorphic lookups name every such object). */
const RECORD_OBJECTS = ['Account', 'Contact', 'Invoice__c', 'Lead'];

function blob(name: string, label: string, options: Partial<FieldDef> = {}): FieldDef {
	return field(name, label, 'base64', { ...CREATE_ONLY, ...options });
}

/** A standard object with every call allowed unless `access` says otherwise. */
function standard(
	name: string,
	label: string,
	keyPrefix: string,
	access: Partial<ObjectDef>,
	fields: FieldDef[],
): ObjectDef {
	return {
		name,
		label,
		labelPlural: `${label}s`,
		keyPrefix,
		custom: false,
		createable: true,
		updateable: true,
		deletable: true,
		queryable: true,
		...access,
		fields,
	};
}

// Versions go with their document (delete the ContentDocument), never one by one.
const CONTENT_VERSION = standard('ContentVersion', 'Content Version', '068', { deletable: false }, [
	...systemFields(true),
	field('ContentDocumentId', 'ContentDocument ID', 'reference', {
		...CREATE_ONLY,
		nillable: false,
		defaultedOnCreate: true,
		referenceTo: ['ContentDocument'],
		relationshipName: 'ContentDocument',
	}),
	// Salesforce fills a missing Title from PathOnClient's file name.
	field('Title', 'Title', 'string', {
		length: 255,
		nillable: false,
		defaultedOnCreate: true,
		nameField: true,
	}),
	field('PathOnClient', 'Path On Client', 'string', { ...CREATE_ONLY, length: 500 }),
	blob('VersionData', 'Version Data'),
	field('ContentSize', 'Size', 'int', { ...READ_ONLY, precision: 9 }),
	field('FileType', 'File Type', 'string', {
		...READ_ONLY,
		length: 20,
		nillable: false,
		defaultedOnCreate: true,
	}),
	field('FileExtension', 'File Extension', 'string', { ...READ_ONLY, length: 40 }),
	field('Checksum', 'Checksum', 'string', { ...READ_ONLY, length: 50 }),
	field('IsLatest', 'Is Latest', 'boolean', {
		...READ_ONLY,
		nillable: false,
		defaultedOnCreate: true,
	}),
	field('VersionNumber', 'Version Number', 'string', { ...READ_ONLY, length: 20 }),
	field('FirstPublishLocationId', 'First Publish Location ID', 'reference', {
		...CREATE_ONLY,
		referenceTo: [...RECORD_OBJECTS, 'User'],
		relationshipName: 'FirstPublishLocation',
		childRelationshipName: null,
	}),
	field('Description', 'Description', 'textarea', { length: 1000 }),
	field('ReasonForChange', 'Reason For Change', 'string', { length: 1000 }),
	field('ContentLocation', 'Content Location', 'picklist', {
		...CREATE_ONLY,
		length: 40,
		nillable: false,
		defaultedOnCreate: true,
		picklistValues: picklist(['S', 'E', 'L'], 'S'),
		initial: () => 'S',
	}),
	field('Origin', 'Content Origin', 'picklist', {
		...CREATE_ONLY,
		length: 40,
		nillable: false,
		defaultedOnCreate: true,
		picklistValues: picklist(['C', 'H'], 'C'),
		initial: () => 'C',
	}),
	field('PublishStatus', 'Publish Status', 'picklist', {
		...READ_ONLY,
		length: 40,
		nillable: false,
		defaultedOnCreate: true,
		picklistValues: picklist(['U', 'P', 'R']),
		initial: () => 'P',
	}),
]);

// "ContentDocument records cannot be created directly": the first ContentVersion creates one.
const CONTENT_DOCUMENT = standard(
	'ContentDocument',
	'Content Document',
	'069',
	{
		createable: false,
		cascadeDelete: [
			{ object: 'ContentVersion', field: 'ContentDocumentId' },
			{ object: 'ContentDocumentLink', field: 'ContentDocumentId' },
		],
	},
	[
		...systemFields(true),
		field('Title', 'Title', 'string', {
			length: 255,
			nillable: false,
			defaultedOnCreate: true,
			nameField: true,
		}),
		field('FileType', 'File Type', 'string', {
			...READ_ONLY,
			length: 20,
			nillable: false,
			defaultedOnCreate: true,
		}),
		field('FileExtension', 'File Extension', 'string', { ...READ_ONLY, length: 40 }),
		field('ContentSize', 'Size', 'int', { ...READ_ONLY, precision: 9 }),
		field('LatestPublishedVersionId', 'Latest Published Version ID', 'reference', {
			...READ_ONLY,
			referenceTo: ['ContentVersion'],
			relationshipName: 'LatestPublishedVersion',
			childRelationshipName: null,
		}),
		field('Description', 'Description', 'textarea', { length: 1000 }),
		field('PublishStatus', 'Publish Status', 'picklist', {
			...READ_ONLY,
			length: 40,
			nillable: false,
			defaultedOnCreate: true,
			picklistValues: picklist(['U', 'P', 'R']),
		}),
		field('IsArchived', 'Is Archived', 'boolean', {
			...READ_ONLY,
			nillable: false,
			defaultedOnCreate: true,
		}),
	],
);

// Object Reference, ContentDocumentLink: "you can't run a query without filters" on these two.
const LINK_FILTER = {
	fields: ['ContentDocumentId', 'LinkedEntityId'],
	message:
		"Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
};

// A link has no owner and no created/modified audit fields, only SystemModstamp.
const CONTENT_DOCUMENT_LINK = standard(
	'ContentDocumentLink',
	'Content Document Link',
	'06A',
	{ requiredFilter: LINK_FILTER, replicateable: false },
	[
		...systemFields(false).filter((candidate) =>
			['Id', 'IsDeleted', 'SystemModstamp'].includes(candidate.name),
		),
		field('LinkedEntityId', 'Linked Entity ID', 'reference', {
			...CREATE_ONLY,
			nillable: false,
			referenceTo: [...RECORD_OBJECTS, 'User'],
			relationshipName: 'LinkedEntity',
		}),
		field('ContentDocumentId', 'ContentDocument ID', 'reference', {
			...CREATE_ONLY,
			nillable: false,
			referenceTo: ['ContentDocument'],
			relationshipName: 'ContentDocument',
		}),
		// V viewer, C collaborator, I inferred (the owner's own link).
		field('ShareType', 'Share Type', 'picklist', {
			length: 40,
			nillable: false,
			picklistValues: picklist(['V', 'C', 'I']),
		}),
		field('Visibility', 'Visibility', 'picklist', {
			length: 40,
			nillable: false,
			defaultedOnCreate: true,
			picklistValues: picklist(['AllUsers', 'InternalUsers', 'SharedUsers'], 'AllUsers'),
			initial: () => 'AllUsers',
		}),
	],
);

const ATTACHMENT = standard('Attachment', 'Attachment', '00P', {}, [
	...systemFields(true),
	field('ParentId', 'Parent ID', 'reference', {
		...CREATE_ONLY,
		nillable: false,
		referenceTo: RECORD_OBJECTS,
		relationshipName: 'Parent',
		childRelationshipName: 'Attachments',
	}),
	field('Name', 'File Name', 'string', { nillable: false, nameField: true }),
	field('ContentType', 'Content Type', 'string', { length: 120 }),
	blob('Body', 'Body', { nillable: false }),
	field('BodyLength', 'Body Length', 'int', { ...READ_ONLY, precision: 9 }),
	field('Description', 'Description', 'textarea', { length: 500 }),
	field('IsPrivate', 'Private', 'boolean', {
		nillable: false,
		defaultedOnCreate: true,
		initial: () => false,
	}),
]);

const DOCUMENT = standard('Document', 'Document', '015', {}, [
	...systemFields(false),
	field('Name', 'Document Name', 'string', { nillable: false, nameField: true }),
	// A Folder, or a user's id for the personal folder (the stand-in has no Folder rows).
	field('FolderId', 'Folder ID', 'reference', {
		nillable: false,
		referenceTo: ['Folder', 'User'],
		relationshipName: 'Folder',
	}),
	field('ContentType', 'MIME Type', 'string', { length: 120 }),
	field('Type', 'File Extension', 'string', { length: 40 }),
	blob('Body', 'Body'),
	field('BodyLength', 'Body Length', 'int', { ...READ_ONLY, precision: 9 }),
	field('Description', 'Description', 'textarea', { length: 255 }),
	field('Keywords', 'Keywords', 'string'),
	field('IsPublic', 'Externally Available', 'boolean', {
		nillable: false,
		defaultedOnCreate: true,
		initial: () => false,
	}),
]);

export const FILE_OBJECTS: readonly ObjectDef[] = [
	ATTACHMENT,
	CONTENT_DOCUMENT,
	CONTENT_DOCUMENT_LINK,
	CONTENT_VERSION,
	DOCUMENT,
];
