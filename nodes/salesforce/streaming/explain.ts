/**
 * Salesforce's Streaming API errors sorted by what to do about them, and worded for the user: which
 * channel or object, and where in Setup it is fixed. The texts matched are those of the Streaming API
 * Developer Guide's "Streaming API Error Codes" table and "Handling Streaming API Errors".
 */
import { parseBayeuxError } from './bayeux';
import { describeChannel, SETUP_PAGES, type StreamingChannel } from './channels';
import type { LostWindow } from './replay';
import { quoteSalesforce, SalesforceStreamingError } from './streamingErrors';

export type Trouble =
	/** `403::Unknown client`, `403::Client has not completed handshake`: the server forgot the client; handshake again. */
	| 'unknown-client'
	/** `401::Authentication invalid`, `401::Request requires authentication`: a new session is needed. */
	| 'authentication'
	/** `400::The replayId {…} you provided was invalid …`: not retained (any more). */
	| 'replay-invalid'
	/** `400::The channel you requested to subscribe to doesn't exist {…}`, `404::Unknown channel`. */
	| 'channel-not-found'
	/** The API user may not subscribe (`403::Restricted channel`, … `without required permissions`, …). */
	| 'no-access'
	/** `403::Organization concurrent user limit exceeded`, `… total events daily limit exceeded`, `Subscription limit exceeded …`. */
	| 'org-limit'
	/** `503::Server is too busy …`, the per-server connection limit: try again later. */
	| 'busy'
	/** `400::Client … has established a session, but no BAYEUX_BROWSER cookie present`: the client lost its cookie. */
	| 'no-cookie'
	| 'other';

/** What an error (and, for a denied handshake, `ext.sfdc.failureReason`) calls for. */
export function classifyTrouble(error: string | undefined, reason?: string): Trouble {
	// A denied handshake says why in failureReason; the error itself is only "403::Handshake denied".
	const parsed = parseBayeuxError(reason ?? error);
	if (!parsed) return 'other';
	const { code, text } = parsed;
	if (code === 401) return 'authentication';
	if (code === 413) return 'other';
	if (code === 503 || /too busy|try (your request )?again later/i.test(text)) return 'busy';
	if (/unknown client|not completed handshake/i.test(text)) return 'unknown-client';
	if (/replay ?id/i.test(text) && /invalid|not found/i.test(text)) return 'replay-invalid';
	if (/cookie/i.test(text)) return 'no-cookie';
	if (/(does not|doesn['’]t) exist|unknown channel/i.test(text)) return 'channel-not-found';
	if (/limit (has been )?exceeded|exceeded/i.test(text)) return 'org-limit';
	if (/handshake denied/i.test(text)) return 'other';
	if (
		code === 403 ||
		/access|permission|restricted|not allowed|not enabled|cannot create channel/i.test(text)
	)
		return 'no-access';
	return 'other';
}

const PERMISSION_SETS = 'Setup → Users → Permission Sets';

/** Where the channel is made to exist. */
function whereChannelComesFrom(channel: StreamingChannel): string {
	if (channel.kind === 'changeEvents') {
		if (channel.custom)
			return `Custom channels are made with the Metadata or Tooling API (PlatformEventChannel); check its name, which is case-sensitive, and that it holds the objects selected in ${SETUP_PAGES.changeDataCapture}.`;
		if (!channel.object) return `Select at least one object in ${SETUP_PAGES.changeDataCapture}.`;
		return `Select ${channel.object} in ${SETUP_PAGES.changeDataCapture} (move it to Selected Entities and save), and check the object's API name (custom objects end in __c) — the channel is case-sensitive.`;
	}
	if (channel.kind === 'platformEvent') {
		if (channel.custom)
			return 'Custom event channels are made with the Metadata or Tooling API (PlatformEventChannel); check its name, which is case-sensitive.';
		return `Check the event's API name in ${SETUP_PAGES.platformEvents} (custom events end in __e; the name is case-sensitive), and that the API user can read it (Read on the event in a permission set, ${PERMISSION_SETS}).`;
	}
	return 'A PushTopic is a record of the PushTopic object (made in the Developer Console or through the API); check its Name, which is case-sensitive, and that it is active.';
}

/** Which permission the API user needs for the channel. */
function whatAccessIsNeeded(channel: StreamingChannel): string {
	const base = 'The API user needs the API Enabled and Streaming API permissions';
	if (channel.kind === 'changeEvents') {
		const onObject =
			channel.object === 'User'
				? 'View All Users'
				: channel.object
					? `View All Records on ${channel.object} (View All Data for objects without it, such as Task and Event)`
					: 'View All Data (and View All Users for User changes)';
		return `${base}, and to receive change events ${onObject}: give them in a permission set (${PERMISSION_SETS}) assigned to the API user.`;
	}
	if (channel.kind === 'platformEvent') {
		return `${base}, and Read on ${channel.eventName ?? 'the events of the channel'}: give them in a permission set (${PERMISSION_SETS} → Object Settings) assigned to the API user.`;
	}
	return `${base} and Read on the PushTopic object and on the object the PushTopic queries (with its fields): give them in a permission set (${PERMISSION_SETS}) assigned to the API user.`;
}

function quoted(error: string | undefined, reason?: string): string {
	const text = [reason, error]
		.filter((part): part is string => typeof part === 'string' && part !== '')
		.map(quoteSalesforce)
		.join(' / ');
	return text ? ` (Salesforce: ${text})` : '';
}

/** A subscription Salesforce refused for good: the channel, the user's access, a used-up allocation, anything else. */
export function subscriptionRefused(
	channel: StreamingChannel,
	trouble: Trouble,
	error: string | undefined,
): SalesforceStreamingError {
	const what = describeChannel(channel);
	const said = quoted(error);
	const details = { channel: channel.path, ...(error ? { bayeuxError: error } : {}) };
	switch (trouble) {
		case 'channel-not-found':
			return new SalesforceStreamingError(
				'channel-not-found',
				`Salesforce has no channel for ${what}${said}`,
				whereChannelComesFrom(channel),
				details,
			);
		case 'no-access':
			return new SalesforceStreamingError(
				'no-access',
				`Salesforce does not let the API user subscribe to ${what}${said}`,
				whatAccessIsNeeded(channel),
				details,
			);
		case 'org-limit':
			return orgLimitReached(error, channel);
		default:
			return new SalesforceStreamingError(
				'protocol',
				`Subscribing to ${what} failed${said}`,
				"Check the channel and the API user's Streaming API permissions; if Salesforce's message names something else, fix that and activate the workflow again.",
				details,
			);
	}
}

/** An org-wide Streaming API allocation is used up. */
export function orgLimitReached(
	error: string | undefined,
	channel?: StreamingChannel,
): SalesforceStreamingError {
	const said = quoted(error);
	const daily = /daily/i.test(error ?? '');
	const fix = daily
		? 'The org has delivered as many events to Streaming API clients as its 24-hour allocation allows; delivery resumes as the usage of the last 24 hours drops. Fewer subscribers, or an add-on license, raise the room.'
		: 'Too many Streaming API clients are connected to the org (or to this PushTopic) at once: stop subscribers the org no longer needs (other workflows, integrations), then activate again.';
	return new SalesforceStreamingError(
		'limit',
		`Salesforce refused the Streaming API connection: an allocation of the org is used up${said}`,
		fix,
		{
			...(channel ? { channel: channel.path } : {}),
			...(error ? { bayeuxError: error } : {}),
		},
	);
}

/** A fresh session is refused too, or none could be had: never retried (it would lock the user out or burn logins). */
export function authenticationRefused(
	error: string | undefined,
	reason?: string,
): SalesforceStreamingError {
	return new SalesforceStreamingError(
		'authentication',
		`Salesforce's Streaming API refused the session, also a new one${quoted(error, reason)}`,
		'The API user needs the API Enabled and Streaming API permissions (Setup → Users → Permission Sets → System Permissions), and its connected app the api scope; check them, then activate the workflow again.',
		error || reason ? { bayeuxError: reason ?? error } : {},
	);
}

/** Anything else that leaves the trigger nothing to do: an endpoint that does not answer Bayeux, a hard "none" advice. */
export function streamingStopped(
	problem: string,
	error?: string,
	reason?: string,
): SalesforceStreamingError {
	return new SalesforceStreamingError(
		'protocol',
		`${problem}${quoted(error, reason)}`,
		"Check that the credential's instance URL is the org's and that its API version is 37.0 or later; then activate the workflow again. If Salesforce names a cause, fix that first.",
		error || reason ? { bayeuxError: reason ?? error } : {},
	);
}

/**
 * A stored replay id Salesforce no longer holds: the events after it that aged out never reached
 * n8n. Reported as a failed execution; delivery goes on with every event still retained.
 */
export function windowLost(
	channel: StreamingChannel,
	lost: LostWindow,
	error: string | undefined,
): SalesforceStreamingError {
	const last = lost.occurredAt
		? `replay id ${lost.replayId}, of ${lost.occurredAt}`
		: `replay id ${lost.replayId}`;
	return new SalesforceStreamingError(
		'window-lost',
		`Events on ${channel.path} were lost: the last one delivered (${last}) is older than Salesforce keeps events (${channel.retentionHours} hours), so the events after it up to the oldest one still retained never reached n8n${quoted(error)}`,
		`The trigger goes on with every event Salesforce still holds. To recover the lost ones, read what changed since ${lost.occurredAt ?? 'that event'} (e.g. a query on SystemModstamp); to avoid it, keep the workflow active, or reactivate it within ${channel.retentionHours} hours.`,
		{ channel: channel.path, ...(error ? { bayeuxError: error } : {}) },
	);
}
