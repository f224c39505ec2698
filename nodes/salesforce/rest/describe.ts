/**
 * What Salesforce's describe resources answer, as far as the package reads them: the org's objects
 * (`GET sobjects`, describe global) and an object's fields (`GET sobjects/{object}/describe`).
 */

/** One object of describe global: what the user may do with it. */
export interface ObjectSummary {
	name: string;
	label: string;
	custom: boolean;
	queryable: boolean;
	createable: boolean;
	updateable: boolean;
	deletable: boolean;
	/** Salesforce reports its changes (getUpdated, getDeleted): what a polling trigger needs. */
	replicateable?: boolean;
	/** An entity that belongs to another object: `ChangeEvent` (AccountChangeEvent), `Feed`, `History`, `Share`; null for an object of its own. */
	associateEntityType?: string | null;
	/** The object it belongs to (`Account` for AccountChangeEvent). */
	associateParentEntity?: string | null;
}

/**
 * The objects Change Data Capture can report: describe global lists a change event entity for each
 * of them (associateEntityType `ChangeEvent`, associateParentEntity the object), whether or not the
 * object is selected in Setup — the selection is not in describe; subscribing says it. In the order given.
 */
export function objectsWithChangeEvents(objects: readonly ObjectSummary[]): ObjectSummary[] {
	const parents = new Set(
		objects
			.filter(
				(object) => object.associateEntityType === 'ChangeEvent' && object.associateParentEntity,
			)
			.map((object) => object.associateParentEntity),
	);
	return objects.filter((object) => parents.has(object.name));
}

/** A Platform Event the org defined: its API name ends in `__e` (Salesforce's standard events, e.g. BatchApexErrorEvent, are not the org's). */
export function isPlatformEvent(object: ObjectSummary): boolean {
	return /__e$/.test(object.name) && !object.associateEntityType;
}

/** One field of an object's describe. */
export interface FieldDescribe {
	name: string;
	label: string;
	type: string;
	length?: number;
	nillable: boolean;
	createable: boolean;
	updateable: boolean;
	defaultedOnCreate?: boolean;
	externalId?: boolean;
	idLookup?: boolean;
	/** A lookup's objects (several for a polymorphic one, e.g. Owner: User, Group). */
	referenceTo?: string[];
	/** A lookup's name in SOQL paths and nested records (`Account` for AccountId). */
	relationshipName?: string | null;
	picklistValues?: Array<{ value: string; label: string; active: boolean }>;
}

/** Required on create: Salesforce rejects the record without it (not nillable, no default). */
export function requiredOnCreate(field: FieldDescribe): boolean {
	return (
		field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean'
	);
}
