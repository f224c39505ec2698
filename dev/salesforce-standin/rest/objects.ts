import type { FieldDef, ObjectDef, StoredRecord } from './schema';
import { field, picklist, platformEventFields, systemFields } from './schema';
import { FILE_OBJECTS } from './files/objects';

/**
 * The org's objects: Account, Contact, Lead (standard, with their usual required fields), the
 * custom Invoice__c with a unique external id, and User (read-only here: the org's users come from
 * StandinOptions.users), the platform event Order_Shipped__e, and the file objects
 * (files/objects.ts). Key prefixes are Salesforce's (001, 003, 00Q, 005); a0X and e00 stand for
 * the prefixes an org assigns to its first custom object and platform event.
 */

const REQUIRED = { nillable: false } as const;
const READ_ONLY = { createable: false, updateable: false } as const;

/** Contact.Name and Lead.Name: read-only compound names built from FirstName and LastName. */
function personName(): FieldDef {
	return field('Name', 'Full Name', 'string', {
		...READ_ONLY,
		length: 121,
		nillable: false,
		nameField: true,
		calculated: true,
		compute: (record: StoredRecord) =>
			[record.FirstName, record.LastName].filter((part) => part).join(' ') || null,
	});
}

const ACCOUNT: ObjectDef = {
	name: 'Account',
	label: 'Account',
	labelPlural: 'Accounts',
	keyPrefix: '001',
	custom: false,
	createable: true,
	updateable: true,
	deletable: true,
	queryable: true,
	fields: [
		...systemFields(true),
		field('Name', 'Account Name', 'string', { ...REQUIRED, nameField: true, idLookup: true }),
		field('Type', 'Account Type', 'picklist', {
			length: 255,
			picklistValues: picklist([
				'Prospect',
				'Customer - Direct',
				'Customer - Channel',
				'Partner',
				'Other',
			]),
		}),
		field('Industry', 'Industry', 'picklist', {
			picklistValues: picklist([
				'Agriculture',
				'Apparel',
				'Banking',
				'Construction',
				'Electronics',
				'Energy',
				'Technology',
			]),
		}),
		field('ParentId', 'Parent Account ID', 'reference', {
			referenceTo: ['Account'],
			relationshipName: 'Parent',
		}),
		field('Phone', 'Account Phone', 'phone', { length: 40 }),
		field('Website', 'Website', 'url'),
		field('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18, scale: 0 }),
		field('NumberOfEmployees', 'Employees', 'int', { precision: 8 }),
		field('Description', 'Account Description', 'textarea', { length: 32000 }),
		// Not unique on purpose: an upsert on it can match several rows (300 Multiple Choices, §3).
		field('External_Id__c', 'External Id', 'string', {
			length: 40,
			externalId: true,
			idLookup: true,
		}),
	],
};

const CONTACT: ObjectDef = {
	name: 'Contact',
	label: 'Contact',
	labelPlural: 'Contacts',
	keyPrefix: '003',
	custom: false,
	createable: true,
	updateable: true,
	deletable: true,
	queryable: true,
	fields: [
		...systemFields(true),
		field('AccountId', 'Account ID', 'reference', {
			referenceTo: ['Account'],
			relationshipName: 'Account',
		}),
		field('LastName', 'Last Name', 'string', { ...REQUIRED, length: 80 }),
		field('FirstName', 'First Name', 'string', { length: 40 }),
		personName(),
		field('Email', 'Email', 'email', { length: 80, idLookup: true }),
		field('Phone', 'Business Phone', 'phone', { length: 40 }),
		field('Title', 'Title', 'string', { length: 128 }),
		field('Birthdate', 'Birthdate', 'date'),
	],
};

const LEAD: ObjectDef = {
	name: 'Lead',
	label: 'Lead',
	labelPlural: 'Leads',
	keyPrefix: '00Q',
	custom: false,
	createable: true,
	updateable: true,
	deletable: true,
	queryable: true,
	fields: [
		...systemFields(true),
		field('LastName', 'Last Name', 'string', { ...REQUIRED, length: 80 }),
		field('FirstName', 'First Name', 'string', { length: 40 }),
		personName(),
		field('Company', 'Company', 'string', REQUIRED),
		field('Email', 'Email', 'email', { length: 80, idLookup: true }),
		field('Phone', 'Phone', 'phone', { length: 40 }),
		// Required in the UI, but defaulted on create: not required through the API.
		field('Status', 'Lead Status', 'picklist', {
			nillable: false,
			defaultedOnCreate: true,
			picklistValues: picklist(
				[
					'Open - Not Contacted',
					'Working - Contacted',
					'Closed - Converted',
					'Closed - Not Converted',
				],
				'Open - Not Contacted',
			),
			initial: () => 'Open - Not Contacted',
		}),
		field('LeadSource', 'Lead Source', 'picklist', {
			picklistValues: picklist(['Web', 'Phone Inquiry', 'Partner Referral', 'Other']),
		}),
		field('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18, scale: 0 }),
		field('IsConverted', 'Converted', 'boolean', {
			...READ_ONLY,
			nillable: false,
			defaultedOnCreate: true,
			initial: () => false,
		}),
	],
};

const INVOICE: ObjectDef = {
	name: 'Invoice__c',
	label: 'Invoice',
	labelPlural: 'Invoices',
	keyPrefix: 'a0X',
	custom: true,
	createable: true,
	updateable: true,
	deletable: true,
	queryable: true,
	fields: [
		...systemFields(true),
		// A custom object's text Name: not nillable, but defaulted on create (to the record id, as
		// Salesforce does when the API leaves it out), so not required.
		field('Name', 'Invoice Name', 'string', {
			length: 80,
			nillable: false,
			defaultedOnCreate: true,
			nameField: true,
			idLookup: true,
			custom: false,
			initial: (record) => record.Id,
		}),
		field('Amount__c', 'Amount', 'currency', { precision: 16, scale: 2 }),
		field('Invoice_Number__c', 'Invoice Number', 'string', {
			length: 20,
			externalId: true,
			idLookup: true,
			unique: true,
		}),
		field('Account__c', 'Account', 'reference', {
			referenceTo: ['Account'],
			relationshipName: 'Account__r',
		}),
		field('Paid__c', 'Paid', 'boolean', {
			nillable: false,
			defaultedOnCreate: true,
			initial: () => false,
		}),
		field('Due_Date__c', 'Due Date', 'date'),
	],
};

const USER: ObjectDef = {
	name: 'User',
	label: 'User',
	labelPlural: 'Users',
	keyPrefix: '005',
	custom: false,
	// The stand-in's users are configured through StandinOptions.users, not written through REST.
	createable: false,
	updateable: false,
	deletable: false,
	queryable: true,
	fields: [
		field('Id', 'User ID', 'id', {
			...READ_ONLY,
			nillable: false,
			defaultedOnCreate: true,
			idLookup: true,
		}),
		field('Username', 'Username', 'string', {
			...READ_ONLY,
			length: 80,
			nillable: false,
			idLookup: true,
			unique: true,
		}),
		field('Name', 'Full Name', 'string', {
			...READ_ONLY,
			length: 121,
			nillable: false,
			nameField: true,
		}),
		field('FirstName', 'First Name', 'string', { ...READ_ONLY, length: 40 }),
		field('LastName', 'Last Name', 'string', { ...READ_ONLY, length: 80, nillable: false }),
		field('Email', 'Email', 'email', { ...READ_ONLY, length: 128, nillable: false }),
		field('IsActive', 'Active', 'boolean', {
			...READ_ONLY,
			nillable: false,
			defaultedOnCreate: true,
		}),
	],
};

/**
 * A platform event: published by inserting it (REST `POST sobjects/Order_Shipped__e`, Collections),
 * delivered on /event/Order_Shipped__e. Supported calls: create and describe only.
 */
const ORDER_SHIPPED: ObjectDef = {
	name: 'Order_Shipped__e',
	label: 'Order Shipped',
	labelPlural: 'Orders Shipped',
	keyPrefix: 'e00',
	custom: true,
	createable: true,
	updateable: false,
	deletable: false,
	queryable: false,
	platformEvent: true,
	fields: [
		...platformEventFields(),
		field('Order_Number__c', 'Order Number', 'string', { ...REQUIRED, length: 20 }),
		field('Carrier__c', 'Carrier', 'string', { length: 40 }),
		field('Shipped_At__c', 'Shipped At', 'datetime'),
		field('Weight_Kg__c', 'Weight (kg)', 'double', { precision: 10, scale: 2 }),
	],
};

/** In the order the global describe lists them (alphabetical, as Salesforce does); files in files/objects.ts. */
export const OBJECTS: readonly ObjectDef[] = [
	ACCOUNT,
	CONTACT,
	INVOICE,
	LEAD,
	ORDER_SHIPPED,
	USER,
	...FILE_OBJECTS,
].sort((a, b) => a.name.localeCompare(b.name));
