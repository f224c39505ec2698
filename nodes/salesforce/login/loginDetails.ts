/**
 * The details a login needs, checked before anything is sent.
 *
 * A value is either sent to Salesforce exactly as the user typed it, or refused here with a message
 * naming the field — never silently trimmed or rewritten (a password may legitimately start with a
 * space; a consumer key never does, and a pasted line break is always a mistake).
 */
import type { KeyObject } from 'crypto';
import { normaliseDomain, SalesforceHost } from './domain';
import { invalidInput, SalesforceAuthError } from '../errors';
import { audienceFor, JWT_FIELD_LABELS, JwtAudienceChoice, readPrivateKey } from './jwtAssertion';
import { hasControlCharacter, hasLoneSurrogate, hasSurroundingWhitespace } from '../text';

export type AuthFlow = 'password' | 'clientCredentials' | 'jwtBearer';

export const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_TIMEOUT_SECONDS = 300;
/** Far above any real key, secret, username or password; catches pastes of the wrong thing. */
const MAX_FIELD_LENGTH = 1000;

export interface LoginDetails {
	flow: AuthFlow;
	host: SalesforceHost;
	consumerKey: string;
	/** Empty for the JWT Bearer flow, which has none. */
	consumerSecret: string;
	/** Username-password and JWT Bearer flows (the assertion's `sub`). */
	username: string;
	/** Username-password flow only: what is sent as `password` — the password with the security token appended. */
	passwordWithToken: string;
	/** JWT Bearer flow only: the Private Key field as entered, and its passphrase (both part of the session key). */
	privateKey: string;
	passphrase: string;
	/** JWT Bearer flow only: the assertion's `aud`. */
	audience: string;
	/** JWT Bearer flow only: the parsed private key the assertion is signed with. */
	signingKey?: KeyObject;
	timeoutSeconds: number;
}

/** The raw field values, as both the credential and the legacy node hold them. */
export interface LoginFields {
	authFlow?: unknown;
	domain?: unknown;
	consumerKey?: unknown;
	consumerSecret?: unknown;
	username?: unknown;
	password?: unknown;
	securityToken?: unknown;
	privateKey?: unknown;
	passphrase?: unknown;
	audience?: unknown;
	timeout?: unknown;
}

/** Display names, so messages name the field exactly as the form shows it. */
export const FIELD_LABELS = {
	consumerKey: 'Consumer Key',
	consumerSecret: 'Consumer Secret',
	username: 'Username',
	password: 'Password',
	securityToken: 'Security Token',
	timeout: 'Timeout (Seconds)',
	authFlow: 'Authentication Flow',
	...JWT_FIELD_LABELS,
} as const;

function requiredText(
	value: unknown,
	label: string,
	where: string,
	options: { mayBePadded?: boolean } = {},
): string {
	if (value === undefined || value === null || value === '') {
		throw invalidInput(label, 'is empty.', `Fill in the ${label} field. ${where}`);
	}
	return checkedText(value, label, where, options);
}

function checkedText(
	value: unknown,
	label: string,
	where: string,
	options: { mayBePadded?: boolean } = {},
): string {
	if (typeof value !== 'string') {
		throw invalidInput(
			label,
			`must be text, got ${typeof value}.`,
			`Enter the ${label} as plain text. ${where}`,
		);
	}
	if (value.length > MAX_FIELD_LENGTH) {
		throw invalidInput(
			label,
			`is ${value.length} characters long, far longer than any Salesforce value.`,
			`Check that the ${label} field holds the right value. ${where}`,
		);
	}
	if (hasControlCharacter(value)) {
		throw invalidInput(
			label,
			'contains a line break or another control character (often from pasting).',
			`Retype or re-paste the ${label}. ${where}`,
		);
	}
	if (hasLoneSurrogate(value)) {
		throw invalidInput(
			label,
			'contains a broken character (half of an emoji or other symbol, usually from a cut-off paste).',
			`Retype or re-paste the ${label}. ${where}`,
		);
	}
	if (!options.mayBePadded && hasSurroundingWhitespace(value)) {
		throw invalidInput(
			label,
			'starts or ends with a space.',
			`Remove the spaces around the ${label}. ${where}`,
		);
	}
	if (!options.mayBePadded && value.trim() === '') {
		throw invalidInput(label, 'is empty.', `Fill in the ${label} field. ${where}`);
	}
	return value;
}

const CONNECTED_APP =
	'In Salesforce: Setup → App Manager → your connected app → View → Manage Consumer Details.';

function readFlow(value: unknown): AuthFlow {
	if (value === undefined || value === '' || value === 'password') return 'password';
	if (value === 'clientCredentials') return 'clientCredentials';
	if (value === 'jwtBearer') return 'jwtBearer';
	throw invalidInput(
		FIELD_LABELS.authFlow,
		`"${String(value)}" is not a known flow.`,
		'Choose "Username-Password", "Client Credentials" or "JWT Bearer".',
	);
}

function readAudience(value: unknown): JwtAudienceChoice {
	if (value === undefined || value === null || value === '' || value === 'myDomain')
		return 'myDomain';
	if (value === 'login' || value === 'test') return value;
	throw invalidInput(
		FIELD_LABELS.audience,
		`"${String(value)}" is not a known audience.`,
		'Choose "My Domain", "login.salesforce.com" or "test.salesforce.com".',
	);
}

const USERNAME_HELP = 'Use the Salesforce username of the API user.';

function readUsername(value: unknown): string {
	const username = requiredText(value, FIELD_LABELS.username, USERNAME_HELP);
	if (!username.includes('@')) {
		throw invalidInput(
			FIELD_LABELS.username,
			'is not a Salesforce username: those look like an email address.',
			'Enter the API user\'s Salesforce username, e.g. "api.user@acme.com" (sandbox usernames usually end in ".uat" or the sandbox name).',
		);
	}
	return username;
}

const SANDBOX_KINDS = new Set(['sandbox', 'generic-sandbox']);

/**
 * The audience must be one the org accepts: its My Domain URL (the only one External Client Apps
 * accept since Spring '26), or for older connected apps login.salesforce.com (production) or
 * test.salesforce.com (sandboxes). Combinations Salesforce always refuses are refused here.
 */
function checkJwtDomain(host: SalesforceHost, audience: JwtAudienceChoice): void {
	if (audience === 'myDomain' && host.isGenericLoginHost) {
		throw new SalesforceAuthError(
			'invalid-input',
			`Domain: ${host.hostname} is not a My Domain, and the JWT Bearer assertion's Audience "My Domain" needs the org's own one.`,
			'Enter the org\'s My Domain in the Domain field (e.g. "acme.my.salesforce.com", or "acme--uat.sandbox.my.salesforce.com" for a sandbox; Setup → My Domain shows it). Only an older connected app that expects a generic audience works with Audience "login.salesforce.com" or "test.salesforce.com".',
		);
	}
	if (audience === 'login' && SANDBOX_KINDS.has(host.kind)) {
		throw invalidInput(
			FIELD_LABELS.audience,
			`"login.salesforce.com" is the production audience, but ${host.hostname} is a sandbox.`,
			'Choose "My Domain" (External Client Apps accept nothing else) or, for an older connected app, "test.salesforce.com".',
		);
	}
	if (audience === 'test' && host.kind === 'generic-production') {
		throw invalidInput(
			FIELD_LABELS.audience,
			'"test.salesforce.com" is the sandbox audience, but the Domain is login.salesforce.com (production).',
			'Choose "login.salesforce.com" for a production org, or enter the sandbox\'s domain.',
		);
	}
}

function readTimeout(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT_SECONDS;
	const seconds = typeof value === 'number' ? value : Number(value);
	// Below 1 s is refused rather than rounded: 0.0004 s would become a 0 ms limit, which the HTTP
	// client reads as "no limit at all".
	if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
		throw invalidInput(
			FIELD_LABELS.timeout,
			`must be a number of seconds between 1 and ${MAX_TIMEOUT_SECONDS}.`,
			`Use ${DEFAULT_TIMEOUT_SECONDS} unless your network is slow.`,
		);
	}
	return seconds;
}

/** Validates every field and throws a SalesforceAuthError naming the first bad one. */
export function readLoginDetails(fields: LoginFields): LoginDetails {
	const flow = readFlow(fields.authFlow);
	const host = normaliseDomain(typeof fields.domain === 'string' ? fields.domain : '');
	const consumerKey = requiredText(fields.consumerKey, FIELD_LABELS.consumerKey, CONNECTED_APP);
	const none = { privateKey: '', passphrase: '', audience: '' };

	if (flow === 'jwtBearer') {
		const audienceChoice = readAudience(fields.audience);
		checkJwtDomain(host, audienceChoice);
		const username = readUsername(fields.username);
		const signingKey = readPrivateKey(fields.privateKey, fields.passphrase);
		const timeoutSeconds = readTimeout(fields.timeout);
		return {
			flow,
			host,
			consumerKey,
			consumerSecret: '',
			username,
			passwordWithToken: '',
			privateKey: fields.privateKey as string,
			passphrase: typeof fields.passphrase === 'string' ? fields.passphrase : '',
			audience: audienceFor(audienceChoice, host),
			signingKey,
			timeoutSeconds,
		};
	}

	const consumerSecret = requiredText(
		fields.consumerSecret,
		FIELD_LABELS.consumerSecret,
		CONNECTED_APP,
	);
	const timeoutSeconds = readTimeout(fields.timeout);

	if (flow === 'clientCredentials') {
		if (host.isGenericLoginHost) {
			throw new SalesforceAuthError(
				'client-credentials-on-generic-host',
				`Domain: the Client Credentials flow does not work on ${host.hostname}.`,
				'Salesforce only issues client-credentials tokens on the org\'s own My Domain host. Enter it in the Domain field (e.g. "acme.my.salesforce.com", or "acme--uat.sandbox.my.salesforce.com" for a sandbox); Setup → My Domain shows it.',
			);
		}
		return {
			flow,
			host,
			consumerKey,
			consumerSecret,
			username: '',
			passwordWithToken: '',
			...none,
			timeoutSeconds,
		};
	}

	const username = readUsername(fields.username);
	const password = requiredText(
		fields.password,
		FIELD_LABELS.password,
		"Enter the API user's password exactly as is: special characters need no encoding.",
		{ mayBePadded: true },
	);
	const securityToken =
		fields.securityToken === undefined || fields.securityToken === ''
			? ''
			: checkedText(
					fields.securityToken,
					FIELD_LABELS.securityToken,
					'Salesforce emails a new one on Settings → Reset My Security Token.',
				);
	return {
		flow,
		host,
		consumerKey,
		consumerSecret,
		username,
		passwordWithToken: password + securityToken,
		...none,
		timeoutSeconds,
	};
}
