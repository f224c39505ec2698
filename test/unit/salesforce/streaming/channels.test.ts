import {
	ALL_CHANGE_EVENTS,
	changeEventsChannel,
	describeChannel,
	parseChannel,
	platformEventChannel,
	resolveChannel,
	SalesforceStreamingError,
} from '../../../../nodes/salesforce';

describe('changeEventsChannel: an object → its change event channel (Change Data Capture, "Subscription Channels")', () => {
	it.each([
		['Account', '/data/AccountChangeEvent'],
		['Opportunity', '/data/OpportunityChangeEvent'],
		['Invoice__c', '/data/Invoice__ChangeEvent'],
		['ns__Invoice__c', '/data/ns__Invoice__ChangeEvent'],
		['Stock__x', '/data/Stock__ChangeEvent'],
		['  Contact ', '/data/ContactChangeEvent'],
	])('%p → %s', (object, path) => {
		expect(changeEventsChannel(object)).toEqual({
			path,
			kind: 'changeEvents',
			object: object.trim(),
			retentionHours: 72,
		});
	});

	it.each<[unknown, RegExp]>([
		['', /^Object: is empty\. Type the API name \(e\.g\. Account or Invoice__c\)/],
		[undefined, /^Object: is empty\./],
		['Invoice c', /^Object: "Invoice c" contains a space or line break/],
		['Invoice__', /^Object: "Invoice__" is not a Salesforce API name/],
		[
			'AccountChangeEvent',
			/^Object: "AccountChangeEvent" is a change event, not an object\. Choose the object whose changes you want \(Account\)/,
		],
		[
			'Invoice__ChangeEvent',
			/is a change event, not an object\. Choose the object whose changes you want \(Invoice__c\)/,
		],
		[
			'Order_Shipped__e',
			/^Object: "Order_Shipped__e" is a Platform Event, not an object\. Choose Source: Platform Event/,
		],
		[
			'Settings__mdt',
			/^Object: Settings__mdt has no change events\. .*Setup → Integrations → Change Data Capture/,
		],
		['Archive__b', /Archive__b has no change events/],
		['Invoice__Share', /Invoice__Share has no change events/],
	])('refuses %p naming Object, the fix in the message', (object, message) => {
		const error = captureError(() => changeEventsChannel(object));
		expect(error).toBeInstanceOf(SalesforceStreamingError);
		expect(error.message).toMatch(message);
		expect(error.failure).toBe('invalid-parameter');
		expect(error.parameter).toBe('Object');
	});

	it('names the parameter as the editor labels it', () => {
		expect(() => changeEventsChannel('', 'Object Name')).toThrow(/^Object Name: is empty/);
	});
});

describe('platformEventChannel: an event → /event/<Name>', () => {
	it.each([
		['Order_Shipped__e', '/event/Order_Shipped__e'],
		['ns__Order_Shipped__e', '/event/ns__Order_Shipped__e'],
		['/event/Order_Shipped__e', '/event/Order_Shipped__e'],
		// Standard platform events have no __e: BatchApexErrorEvent, LoginEventStream …
		['BatchApexErrorEvent', '/event/BatchApexErrorEvent'],
	])('%p → %s', (name, path) => {
		expect(platformEventChannel(name)).toEqual({
			path,
			kind: 'platformEvent',
			eventName: path.slice('/event/'.length),
			retentionHours: 72,
		});
	});

	it.each<[unknown, RegExp]>([
		['', /^Event Name: is empty\. Type the API name \(e\.g\. Order_Shipped__e\)/],
		['Order Shipped', /^Event Name: "Order Shipped" contains a space/],
		[
			'Invoice__c',
			/^Event Name: "Invoice__c" is an object, not a Platform Event\. Platform Events end in __e .*Setup → Integrations → Platform Events/,
		],
		[
			'AccountChangeEvent',
			/^Event Name: "AccountChangeEvent" is a change event\. Choose Source: Change Data Capture/,
		],
	])('refuses %p', (name, message) => {
		expect(() => platformEventChannel(name)).toThrow(message);
	});
});

describe('parseChannel: a channel typed as a path', () => {
	it.each([
		[
			'/data/ChangeEvents',
			{ path: '/data/ChangeEvents', kind: 'changeEvents', retentionHours: 72 },
		],
		[
			'/data/AccountChangeEvent',
			{
				path: '/data/AccountChangeEvent',
				kind: 'changeEvents',
				object: 'Account',
				retentionHours: 72,
			},
		],
		[
			'/data/Invoice__ChangeEvent',
			{
				path: '/data/Invoice__ChangeEvent',
				kind: 'changeEvents',
				object: 'Invoice__c',
				retentionHours: 72,
			},
		],
		[
			'/data/Sales__chn',
			{ path: '/data/Sales__chn', kind: 'changeEvents', custom: true, retentionHours: 72 },
		],
		[
			'/event/Order_Shipped__e',
			{
				path: '/event/Order_Shipped__e',
				kind: 'platformEvent',
				eventName: 'Order_Shipped__e',
				retentionHours: 72,
			},
		],
		[
			'/event/Orders__chn',
			{ path: '/event/Orders__chn', kind: 'platformEvent', custom: true, retentionHours: 72 },
		],
		[
			'/topic/InvoiceStatementUpdates',
			{ path: '/topic/InvoiceStatementUpdates', kind: 'pushTopic', retentionHours: 24 },
		],
		[' /topic/My_Topic ', { path: '/topic/My_Topic', kind: 'pushTopic', retentionHours: 24 }],
	])('%p', (typed, channel) => {
		expect(parseChannel(typed)).toEqual(channel);
	});

	it.each<[unknown, RegExp]>([
		['', /^Channel: is empty\. Type a channel path such as \/data\/AccountChangeEvent/],
		[42, /^Channel: is empty/],
		['/meta/connect', /is a channel of the Bayeux protocol itself/],
		['/service/x', /is a channel of the Bayeux protocol itself/],
		['data/AccountChangeEvent', /is not a channel path/],
		['/data/AccountChangeEvent/', /is not a channel path/],
		['/data/a/b', /is not a channel path/],
		['/topic/*', /holds a wildcard/],
		['/data/**', /holds a wildcard/],
		['/topic/My Topic', /holds a character no channel name has/],
		['/topic/a\nb', /contains a line break/],
		['/u/Notifications', /is not a channel this trigger subscribes to \(it starts with \/u\/\)/],
		[
			'/data/Account',
			/is not a Change Data Capture channel\. Change event channels are \/data\/ChangeEvents/,
		],
	])('refuses %p', (typed, message) => {
		expect(() => parseChannel(typed)).toThrow(message);
	});
});

describe('resolveChannel: the Source parameter', () => {
	it('dispatches each source, with the labels the node shows', () => {
		expect(resolveChannel({ source: 'changeEvents', object: 'Account' }).path).toBe(
			'/data/AccountChangeEvent',
		);
		expect(resolveChannel({ source: 'changeEvents', allSelectedObjects: true })).toEqual(
			ALL_CHANGE_EVENTS,
		);
		expect(resolveChannel({ source: 'platformEvent', eventName: 'Order_Shipped__e' }).path).toBe(
			'/event/Order_Shipped__e',
		);
		expect(resolveChannel({ source: 'channel', channel: '/topic/T' }).path).toBe('/topic/T');
		expect(() =>
			resolveChannel({ source: 'platformEvent', eventName: '' }, { eventName: 'Platform Event' }),
		).toThrow(/^Platform Event: is empty/);
	});

	it('refuses an unknown source naming it', () => {
		expect(() => resolveChannel({ source: 'webhook' } as never)).toThrow(
			/^Source: "webhook" is not a source of events\. Choose Change Data Capture, Platform Event or Channel\.$/,
		);
	});

	it('hands out a copy of the all-objects channel (a caller cannot change the constant)', () => {
		const channel = resolveChannel({ source: 'changeEvents', allSelectedObjects: true });
		channel.path = '/data/Other';
		expect(ALL_CHANGE_EVENTS.path).toBe('/data/ChangeEvents');
	});
});

describe('describeChannel', () => {
	it.each([
		['/data/AccountChangeEvent', 'the change events of Account (/data/AccountChangeEvent)'],
		['/data/ChangeEvents', 'the change events of every selected object (/data/ChangeEvents)'],
		['/data/Sales__chn', 'the custom change event channel /data/Sales__chn'],
		['/event/Order_Shipped__e', 'the Platform Event Order_Shipped__e (/event/Order_Shipped__e)'],
		['/event/Orders__chn', 'the custom event channel /event/Orders__chn'],
		['/topic/T', 'the PushTopic channel /topic/T'],
	])('%s', (path, text) => {
		expect(describeChannel(parseChannel(path))).toBe(text);
	});
});

function captureError(run: () => unknown): SalesforceStreamingError {
	try {
		run();
	} catch (error) {
		return error as SalesforceStreamingError;
	}
	throw new Error('expected an error');
}
