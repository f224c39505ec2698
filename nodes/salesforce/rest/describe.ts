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
	return field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
}
