import type { FieldDef, ObjectDef } from './schema';
import { filterable, soapType } from './schema';
import type { RestContext } from './context';
import { allow } from './context';
import { OBJECTS } from './objects';
import { send, sendJson } from '../http';
import { changeEventName } from '../streaming/changeEvents';

/**
 * Describe global (`GET sobjects`) and describe (`GET sobjects/{type}/describe`), fact sheet §5.
 * Both honour If-Modified-Since with 304 and no body; the stand-in's metadata changes only when it
 * starts (validation rules do not show in describe, so adding one is not a metadata change here).
 */

function urls(version: string, object: ObjectDef): Record<string, string> {
	const base = `/services/data/${version}/sobjects/${object.name}`;
	return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function globalEntry(version: string, object: ObjectDef): Record<string, unknown> {
	return {
		activateable: false,
		associateEntityType: null,
		associateParentEntity: null,
		createable: object.createable,
		custom: object.custom,
		customSetting: false,
		deletable: object.deletable,
		deprecatedAndHidden: false,
		feedEnabled: false,
		keyPrefix: object.keyPrefix,
		label: object.label,
		labelPlural: object.labelPlural,
		// A platform event supports create and describe only: no layouts, no retrieve, no search.
		layoutable: object.queryable,
		mergeable: ['Account', 'Contact', 'Lead'].includes(object.name),
		mruEnabled: object.queryable,
		name: object.name,
		queryable: object.queryable,
		replicateable: object.replicateable ?? object.queryable,
		retrieveable: object.queryable,
		searchable: object.queryable,
		triggerable: object.createable,
		undeletable: object.deletable,
		updateable: object.updateable,
		urls: urls(version, object),
	};
}

function describeField(field: FieldDef): Record<string, unknown> {
	const longText = !filterable(field);
	const defaultPick = field.picklistValues.find((value) => value.defaultValue)?.value;
	return {
		aggregatable: !longText && field.type !== 'boolean',
		autoNumber: false,
		byteLength: field.length * 3,
		calculated: field.calculated,
		caseSensitive: false,
		createable: field.createable,
		custom: field.custom,
		defaultValue: field.type === 'boolean' && !field.nillable ? false : (defaultPick ?? null),
		defaultedOnCreate: field.defaultedOnCreate,
		digits: field.type === 'int' ? field.precision : 0,
		externalId: field.externalId,
		filterable: !longText,
		groupable: !longText && !['currency', 'double', 'percent', 'datetime'].includes(field.type),
		htmlFormatted: false,
		idLookup: field.idLookup,
		label: field.label,
		length: field.length,
		name: field.name,
		nameField: field.nameField,
		nillable: field.nillable,
		picklistValues: field.picklistValues,
		precision: field.type === 'int' ? 0 : field.precision,
		referenceTo: field.referenceTo,
		relationshipName: field.relationshipName,
		restrictedPicklist: false,
		scale: field.scale,
		soapType: soapType(field.type),
		sortable: !longText,
		type: field.type,
		unique: field.unique,
		updateable: field.updateable,
	};
}

/** Lookups from other objects to this one (Account -> Contacts, Invoices__r). */
function childRelationships(object: ObjectDef): Array<Record<string, unknown>> {
	const children = [];
	for (const child of OBJECTS) {
		for (const field of child.fields) {
			if (
				field.type !== 'reference' ||
				!field.referenceTo.includes(object.name) ||
				object.name === 'User'
			)
				continue;
			const plural = child.labelPlural.replace(/\W/g, '');
			const derived =
				field.name === 'ParentId' && child.name === 'Account'
					? 'ChildAccounts'
					: child.custom
						? `${plural}__r`
						: plural;
			children.push({
				cascadeDelete: (object.cascadeDelete ?? []).some(
					(cascade) => cascade.object === child.name && cascade.field === field.name,
				),
				childSObject: child.name,
				field: field.name,
				relationshipName:
					field.childRelationshipName === undefined ? derived : field.childRelationshipName,
			});
		}
	}
	return children;
}

/** True (after answering 304) when the client's copy is still current. */
function notModified(context: RestContext): boolean {
	const since = Date.parse(String(context.req.headers['if-modified-since'] ?? ''));
	if (Number.isNaN(since) || context.org.rest.metadataModifiedAt > since) return false;
	send(context.res, 304, '', context.headers);
	return true;
}

function sendDescribe(context: RestContext, body: unknown): void {
	if (notModified(context)) return;
	sendJson(context.res, 200, body, {
		...context.headers,
		'Last-Modified': new Date(context.org.rest.metadataModifiedAt).toUTCString(),
	});
}

/**
 * Custom objects all support Change Data Capture, standard objects those on Salesforce's list
 * ("Change Event Object Support": Account, Contact, Lead, User among them; not Attachment, Document
 * nor the Salesforce Files objects); platform events do not.
 */
const STANDARD_OBJECTS_WITH_CHANGE_EVENTS = new Set(['Account', 'Contact', 'Lead', 'User']);

function hasChangeEvents(object: ObjectDef): boolean {
	return (
		!object.platformEvent && (object.custom || STANDARD_OBJECTS_WITH_CHANGE_EVENTS.has(object.name))
	);
}

/**
 * The change event entity of an object (AccountChangeEvent, Invoice__ChangeEvent), as describe global
 * lists it: "A ChangeEvent object is available for each object that supports Change Data Capture"
 * (Object Reference, StandardObjectNameChangeEvent) — whether or not it is selected in Setup; it is
 * associated with its object (associateEntityType ChangeEvent) and supports describe only.
 */
function changeEventEntry(version: string, object: ObjectDef): Record<string, unknown> {
	const name = changeEventName(object.name);
	const base = `/services/data/${version}/sobjects/${name}`;
	const label = object.custom ? `Change Event: ${object.label}` : `${object.label} Change Event`;
	return {
		activateable: false,
		associateEntityType: 'ChangeEvent',
		associateParentEntity: object.name,
		createable: false,
		custom: false,
		customSetting: false,
		deletable: false,
		deprecatedAndHidden: false,
		feedEnabled: false,
		keyPrefix: null,
		label,
		labelPlural: label,
		layoutable: false,
		mergeable: false,
		mruEnabled: false,
		name,
		queryable: false,
		replicateable: false,
		retrieveable: true,
		searchable: false,
		triggerable: true,
		undeletable: false,
		updateable: false,
		urls: {
			sobject: base,
			describe: `${base}/describe`,
			rowTemplate: `${base}/{ID}`,
			eventSchema: `${base}/eventSchema`,
		},
	};
}

export function handleDescribeGlobal(context: RestContext): void {
	allow(context, 'GET');
	const objects = context.org.rest.store.objects;
	const changeEvents = objects
		.filter(hasChangeEvents)
		.map((object) => changeEventEntry(context.version, object));
	sendDescribe(context, {
		encoding: 'UTF-8',
		maxBatchSize: 200,
		sobjects: [...objects.map((object) => globalEntry(context.version, object)), ...changeEvents],
	});
}

export function handleDescribe(context: RestContext, object: ObjectDef): void {
	allow(context, 'GET');
	sendDescribe(context, {
		...globalEntry(context.version, object),
		childRelationships: childRelationships(object),
		fields: object.fields.map(describeField),
		recordTypeInfos: [],
	});
}

/** GET sobjects/{type}: the object's basic information. */
export function basicInfo(context: RestContext, object: ObjectDef): void {
	sendJson(
		context.res,
		200,
		{ objectDescribe: globalEntry(context.version, object), recentItems: [] },
		context.headers,
	);
}
