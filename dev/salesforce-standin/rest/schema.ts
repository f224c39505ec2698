/**
 * The metadata model behind describe, validation and SOQL: just the attributes the fact sheet (§5)
 * names, plus what Salesforce's describe always carries next to them. `required` is not a describe
 * attribute in Salesforce; clients derive it as !nillable && createable && !defaultedOnCreate, and
 * the write path enforces exactly that rule (see records.ts).
 */

export type FieldType =
	| 'id'
	| 'reference'
	| 'string'
	| 'textarea'
	| 'email'
	| 'phone'
	| 'url'
	| 'picklist'
	| 'boolean'
	| 'currency'
	| 'double'
	| 'percent'
	| 'int'
	| 'date'
	| 'datetime'
	/** A blob (ContentVersion.VersionData, Attachment.Body): stored as a file, read through its own URL. */
	| 'base64';

export interface PicklistValue {
	value: string;
	label: string;
	active: boolean;
	defaultValue: boolean;
}

export type StoredValue = string | number | boolean | null;
export type StoredRecord = Record<string, StoredValue>;

export interface FieldDef {
	name: string;
	label: string;
	type: FieldType;
	/** Characters, for text types; 0 otherwise (as describe reports it). */
	length: number;
	precision: number;
	scale: number;
	nillable: boolean;
	createable: boolean;
	updateable: boolean;
	defaultedOnCreate: boolean;
	externalId: boolean;
	idLookup: boolean;
	unique: boolean;
	custom: boolean;
	nameField: boolean;
	calculated: boolean;
	referenceTo: string[];
	relationshipName: string | null;
	picklistValues: PicklistValue[];
	/** The stand-in's value when a create leaves a defaultedOnCreate field out. */
	initial?: (record: StoredRecord, context: WriteContext) => StoredValue;
	/** Calculated fields (e.g. Contact.Name), recomputed on every write. */
	compute?: (record: StoredRecord) => StoredValue;
	/**
	 * The name the parent's describe gives this lookup's child relationship; null for lookups
	 * Salesforce lists without one (ContentVersion.FirstPublishLocationId). Absent: derived from the
	 * child's plural label.
	 */
	childRelationshipName?: string | null;
}

/**
 * A SOQL implementation restriction: queries on the object must filter on one of `fields` with `=`
 * or IN at the top level of WHERE (ContentDocumentLink), else MALFORMED_QUERY with `message`.
 */
export interface RequiredFilter {
	fields: string[];
	message: string;
}

export interface ObjectDef {
	name: string;
	label: string;
	labelPlural: string;
	keyPrefix: string;
	custom: boolean;
	createable: boolean;
	updateable: boolean;
	deletable: boolean;
	queryable: boolean;
	/**
	 * Whether getUpdated/getDeleted report its changes (describe's `replicateable`); default: as
	 * queryable. The Object Reference lists getUpdated()/getDeleted() among an object's supported
	 * calls when they do (ContentDocumentLink's list lacks them).
	 */
	replicateable?: boolean;
	/** A platform event (`__e`): inserting one publishes it; it is neither stored nor queryable. */
	platformEvent?: boolean;
	fields: FieldDef[];
	requiredFilter?: RequiredFilter;
	/** Children deleted with the row (ContentDocument takes its versions and links). */
	cascadeDelete?: Array<{ object: string; field: string }>;
}

/** Who writes, and when: fills OwnerId, CreatedById and the timestamps. */
export interface WriteContext {
	userId: string;
	/** An audit datetime, to the second. */
	now: string;
	/**
	 * A change by automation (a flow, a trigger, a system process) rather than by a user: it moves
	 * SystemModstamp only, never LastModifiedDate or LastModifiedById (fact sheet §9).
	 */
	automation?: boolean;
}

export const TEXT_TYPES: ReadonlySet<FieldType> = new Set([
	'string',
	'textarea',
	'email',
	'phone',
	'url',
	'picklist',
]);
export const NUMBER_TYPES: ReadonlySet<FieldType> = new Set([
	'currency',
	'double',
	'percent',
	'int',
]);
export const ID_TYPES: ReadonlySet<FieldType> = new Set(['id', 'reference']);

/** Blob and long text fields: SOQL can select them but neither filter nor sort on them. */
export function filterable(field: FieldDef): boolean {
	return field.type !== 'base64' && !(TEXT_TYPES.has(field.type) && field.length > 255);
}

/** Salesforce matches object and field names case-insensitively. */
export function findObject(objects: readonly ObjectDef[], name: string): ObjectDef | undefined {
	const wanted = name.toLowerCase();
	return objects.find((object) => object.name.toLowerCase() === wanted);
}

export function findField(object: ObjectDef, name: string): FieldDef | undefined {
	const wanted = name.toLowerCase();
	return object.fields.find((field) => field.name.toLowerCase() === wanted);
}

/** A field the stand-in's own code names: a missing one is a bug in the stand-in, not a bad request. */
export function fieldOf(object: ObjectDef, name: string): FieldDef {
	const found = findField(object, name);
	if (!found) throw new Error(`${object.name}.${name} is not a field`);
	return found;
}

export function findRelationship(object: ObjectDef, name: string): FieldDef | undefined {
	const wanted = name.toLowerCase();
	return object.fields.find((field) => field.relationshipName?.toLowerCase() === wanted);
}

/** The soapType describe reports for each field type. */
export function soapType(type: FieldType): string {
	if (ID_TYPES.has(type)) return 'tns:ID';
	if (type === 'boolean') return 'xsd:boolean';
	if (type === 'int') return 'xsd:int';
	if (NUMBER_TYPES.has(type)) return 'xsd:double';
	if (type === 'date') return 'xsd:date';
	if (type === 'datetime') return 'xsd:dateTime';
	if (type === 'base64') return 'xsd:base64Binary';
	return 'xsd:string';
}

// ---- builders: keep objects.ts a readable table ----

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'label' | 'type'>>;

export function field(
	name: string,
	label: string,
	type: FieldType,
	options: FieldOptions = {},
): FieldDef {
	const textual = TEXT_TYPES.has(type) || ID_TYPES.has(type);
	return {
		name,
		label,
		type,
		length: textual ? (ID_TYPES.has(type) ? 18 : 255) : 0,
		precision: 0,
		scale: 0,
		nillable: true,
		createable: true,
		updateable: true,
		defaultedOnCreate: false,
		externalId: false,
		idLookup: false,
		unique: false,
		custom: name.endsWith('__c'),
		nameField: false,
		calculated: false,
		referenceTo: [],
		relationshipName: null,
		picklistValues: [],
		...options,
	};
}

export function picklist(values: string[], defaultValue?: string): PicklistValue[] {
	return values.map((value) => ({
		value,
		label: value,
		active: true,
		defaultValue: value === defaultValue,
	}));
}

const READ_ONLY: FieldOptions = { createable: false, updateable: false };

/** The fields every record has: Id, IsDeleted, audit fields and (when owned) OwnerId. */
export function systemFields(owned: boolean): FieldDef[] {
	const audit = (name: string, label: string, type: FieldType, initial: FieldDef['initial']) =>
		field(name, label, type, { ...READ_ONLY, nillable: false, defaultedOnCreate: true, initial });
	const user = { referenceTo: ['User'] };
	return [
		field('Id', 'Record ID', 'id', {
			...READ_ONLY,
			nillable: false,
			defaultedOnCreate: true,
			idLookup: true,
			unique: false,
		}),
		field('IsDeleted', 'Deleted', 'boolean', {
			...READ_ONLY,
			nillable: false,
			defaultedOnCreate: true,
			initial: () => false,
		}),
		...(owned
			? [
					field('OwnerId', 'Owner ID', 'reference', {
						nillable: false,
						defaultedOnCreate: true,
						referenceTo: ['User'],
						relationshipName: 'Owner',
						initial: (_record, context) => context.userId,
					}),
				]
			: []),
		audit('CreatedDate', 'Created Date', 'datetime', (_r, c) => c.now),
		{
			...audit('CreatedById', 'Created By ID', 'reference', (_r, c) => c.userId),
			...user,
			relationshipName: 'CreatedBy',
		},
		audit('LastModifiedDate', 'Last Modified Date', 'datetime', (_r, c) => c.now),
		{
			...audit('LastModifiedById', 'Last Modified By ID', 'reference', (_r, c) => c.userId),
			...user,
			relationshipName: 'LastModifiedBy',
		},
		audit('SystemModstamp', 'System Modstamp', 'datetime', (_r, c) => c.now),
	];
}

/**
 * The standard fields of a platform event (Object Reference, e.g. ServiceProviderEvent): who
 * published it and when, its EventUuid and ReplayId (set by the event bus, not by the publisher).
 */
export function platformEventFields(): FieldDef[] {
	const readOnly = { ...READ_ONLY, defaultedOnCreate: true };
	return [
		field('CreatedDate', 'Created Date', 'datetime', {
			...readOnly,
			nillable: false,
			initial: (_r, c) => c.now,
		}),
		field('CreatedById', 'Created By ID', 'reference', {
			...readOnly,
			nillable: false,
			referenceTo: ['User'],
			relationshipName: 'CreatedBy',
			initial: (_r, c) => c.userId,
		}),
		field('EventUuid', 'Event UUID', 'string', { ...readOnly, length: 36 }),
		field('ReplayId', 'Replay ID', 'string', { ...readOnly, length: 1000 }),
	];
}
