import {
	authenticationRefused,
	changeEventsChannel,
	classifyTrouble,
	orgLimitReached,
	parseChannel,
	platformEventChannel,
	SalesforceStreamingError,
	subscriptionRefused,
	windowLost,
	type Trouble,
} from '../../../../nodes/salesforce';

describe('classifyTrouble: the Streaming API\'s documented errors ("Streaming API Error Codes")', () => {
	it.each<[string | undefined, string | undefined, Trouble]>([
		['403::Unknown client', undefined, 'unknown-client'],
		['403::Client has not completed handshake', undefined, 'unknown-client'],
		['401::Authentication invalid', undefined, 'authentication'],
		['401::Request requires authentication', undefined, 'authentication'],
		['403::Handshake denied', '401::Authentication invalid', 'authentication'],
		['403::Handshake denied', '401::Request requires authentication', 'authentication'],
		['403::Handshake denied', undefined, 'other'],
		[
			'400::The replayId {12} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
			undefined,
			'replay-invalid',
		],
		[
			'400::The channel you requested to subscribe to does not exist {/data/Invoice__ChangeEvent}',
			undefined,
			'channel-not-found',
		],
		[
			'400::The channel you requested to subscribe to doesn’t exist {/event/Nope__e}',
			undefined,
			'channel-not-found',
		],
		['404::Unknown channel', undefined, 'channel-not-found'],
		['403::Restricted channel', undefined, 'no-access'],
		['403::Cannot create channel /topic/X', undefined, 'no-access'],
		[
			'403::User not allowed to subscribe CDC without View All Data permissions',
			undefined,
			'no-access',
		],
		['403::User not allowed to subscribe CDC without required permissions', undefined, 'no-access'],
		['403::User not enabled for streaming', undefined, 'no-access'],
		['403::Subscriber does not have access to the entity in this topic', undefined, 'no-access'],
		['403::No access on channel', undefined, 'no-access'],
		['403::Organization concurrent user limit exceeded', undefined, 'org-limit'],
		['403::Organization total events daily limit exceeded', undefined, 'org-limit'],
		['403::Subscription limit exceeded for this topic', undefined, 'org-limit'],
		[
			'403::Handshake denied',
			'403::To protect all customers from excessive use and Denial of Service attacks, we limit the number of simultaneous connections per server. Your request has been denied because this limit has been exceeded. Please try your request again later.',
			'busy',
		],
		[
			'403::Handshake denied',
			'503::Server is too busy. Please try your request again later.',
			'busy',
		],
		[
			'400::Client abc has established a session, but no BAYEUX_BROWSER cookie present',
			undefined,
			'no-cookie',
		],
		['413::Maximum Request Size Exceeded', undefined, 'other'],
		['500::Internal error', undefined, 'other'],
		[undefined, undefined, 'other'],
	])('%s (%s) → %s', (error, reason, trouble) => {
		expect(classifyTrouble(error, reason)).toBe(trouble);
	});
});

describe('subscriptionRefused: the channel or object, and the Setup page, in the message', () => {
	const notFound =
		'400::The channel you requested to subscribe to does not exist {/data/Invoice__ChangeEvent}';

	it('a change event channel Salesforce does not have: select the object for Change Data Capture', () => {
		const error = subscriptionRefused(
			changeEventsChannel('Invoice__c'),
			'channel-not-found',
			notFound,
		);
		expect(error).toBeInstanceOf(SalesforceStreamingError);
		expect(error.message).toBe(
			"Salesforce has no channel for the change events of Invoice__c (/data/Invoice__ChangeEvent) (Salesforce: 400::The channel you requested to subscribe to does not exist {/data/Invoice__ChangeEvent}). Select Invoice__c in Setup → Integrations → Change Data Capture (move it to Selected Entities and save), and check the object's API name (custom objects end in __c) — the channel is case-sensitive.",
		);
		expect(error.description).toMatch(
			/^Select Invoice__c in Setup → Integrations → Change Data Capture/,
		);
		expect(error).toMatchObject({
			failure: 'channel-not-found',
			channel: '/data/Invoice__ChangeEvent',
			code: 'BAYEUX_400',
		});
	});

	it.each<[string, RegExp]>([
		[
			'/event/Order_Shipped__e',
			/^Salesforce has no channel for the Platform Event Order_Shipped__e .*Check the event's API name in Setup → Integrations → Platform Events/,
		],
		[
			'/topic/Invoices',
			/^Salesforce has no channel for the PushTopic channel \/topic\/Invoices .*A PushTopic is a record of the PushTopic object/,
		],
		[
			'/data/ChangeEvents',
			/Select at least one object in Setup → Integrations → Change Data Capture/,
		],
		['/data/Sales__chn', /Custom channels are made with the Metadata or Tooling API/],
	])('%s not found', (path, message) => {
		expect(
			subscriptionRefused(
				parseChannel(path),
				'channel-not-found',
				'400::The channel you requested to subscribe to does not exist',
			).message,
		).toMatch(message);
	});

	it.each<[string, RegExp]>([
		['Account', /View All Records on Account .*permission set \(Setup → Users → Permission Sets\)/],
		['User', /to receive change events View All Users: /],
	])('no access to the change events of %s: the permission to give', (object, message) => {
		const error = subscriptionRefused(
			changeEventsChannel(object),
			'no-access',
			'403::User not allowed to subscribe CDC without required permissions',
		);
		expect(error.message).toMatch(
			/^Salesforce does not let the API user subscribe to the change events of/,
		);
		expect(error.message).toMatch(/API Enabled and Streaming API permissions/);
		expect(error.message).toMatch(message);
	});

	it('no access to a Platform Event: Read on the event', () => {
		expect(
			subscriptionRefused(
				platformEventChannel('Order_Shipped__e'),
				'no-access',
				'403::Restricted channel',
			).message,
		).toMatch(
			/Read on Order_Shipped__e: give them in a permission set \(Setup → Users → Permission Sets → Object Settings\)/,
		);
	});

	it('anything else quotes Salesforce, without a session id', () => {
		const error = subscriptionRefused(
			changeEventsChannel('Account'),
			'other',
			'500::Failed for 00D000000000001!AQ4AQFakeSessionIdValue',
		);
		expect(error.message).toMatch(
			/^Subscribing to the change events of Account \(\/data\/AccountChangeEvent\) failed \(Salesforce: 500::Failed for \[redacted\]\)\. /,
		);
		expect(error.message).not.toContain('AQ4AQ');
	});
});

describe('other stops', () => {
	it('an allocation used up: daily deliveries, or clients at once', () => {
		expect(orgLimitReached('403::Organization total events daily limit exceeded').message).toMatch(
			/24-hour allocation/,
		);
		expect(orgLimitReached('403::Organization concurrent user limit exceeded').message).toMatch(
			/Too many Streaming API clients/,
		);
		expect(orgLimitReached('403::Organization concurrent user limit exceeded').failure).toBe(
			'limit',
		);
	});

	it('a session refused also when new', () => {
		const error = authenticationRefused('403::Handshake denied', '401::Authentication invalid');
		expect(error.message).toBe(
			"Salesforce's Streaming API refused the session, also a new one (Salesforce: 401::Authentication invalid / 403::Handshake denied). The API user needs the API Enabled and Streaming API permissions (Setup → Users → Permission Sets → System Permissions), and its connected app the api scope; check them, then activate the workflow again.",
		);
		expect(error.failure).toBe('authentication');
	});

	it('a lost window names the channel, the last event delivered, the retention, and what to do', () => {
		const error = windowLost(
			changeEventsChannel('Account'),
			{ replayId: 42, occurredAt: '2026-11-20T08:00:00.000Z' },
			'400::The replayId {42} you provided was invalid.',
		);
		expect(error.message).toBe(
			'Events on /data/AccountChangeEvent were lost: the last one delivered (replay id 42, of 2026-11-20T08:00:00.000Z) is older than Salesforce keeps events (72 hours), so the events after it up to the oldest one still retained never reached n8n (Salesforce: 400::The replayId {42} you provided was invalid). The trigger goes on with every event Salesforce still holds. To recover the lost ones, read what changed since 2026-11-20T08:00:00.000Z (e.g. a query on SystemModstamp); to avoid it, keep the workflow active, or reactivate it within 72 hours.',
		);
		expect(windowLost(parseChannel('/topic/T'), { replayId: 7 }, undefined).message).toMatch(
			/\(replay id 7\) is older than Salesforce keeps events \(24 hours\)/,
		);
	});
});
