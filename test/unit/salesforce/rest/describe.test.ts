import {
	isPlatformEvent,
	objectsWithChangeEvents,
	type ObjectSummary,
} from '../../../../nodes/salesforce';

const entry = (name: string, more: Partial<ObjectSummary> = {}): ObjectSummary => ({
	name,
	label: name,
	custom: name.endsWith('__c'),
	queryable: true,
	createable: true,
	updateable: true,
	deletable: true,
	associateEntityType: null,
	associateParentEntity: null,
	...more,
});

describe('what describe global says about events', () => {
	const global = [
		entry('Account'),
		entry('AccountChangeEvent', {
			associateEntityType: 'ChangeEvent',
			associateParentEntity: 'Account',
			queryable: false,
		}),
		entry('AccountHistory', { associateEntityType: 'History', associateParentEntity: 'Account' }),
		entry('Contact'),
		entry('ContactHistory', { associateEntityType: 'History', associateParentEntity: 'Contact' }),
		entry('Invoice__c'),
		entry('Invoice__ChangeEvent', {
			associateEntityType: 'ChangeEvent',
			associateParentEntity: 'Invoice__c',
			queryable: false,
		}),
		entry('Order_Shipped__e', { queryable: false }),
		entry('BatchApexErrorEvent', { queryable: false }),
	];

	it('objects with Change Data Capture: those a change event entity belongs to', () => {
		expect(objectsWithChangeEvents(global).map((object) => object.name)).toEqual([
			'Account',
			'Invoice__c',
		]);
		expect(objectsWithChangeEvents([entry('Account')])).toEqual([]);
	});

	it("the org's platform events end in __e", () => {
		expect(global.filter(isPlatformEvent).map((object) => object.name)).toEqual([
			'Order_Shipped__e',
		]);
	});
});
