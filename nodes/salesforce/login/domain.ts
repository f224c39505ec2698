/**
 * Turns whatever a user pastes into the "Domain" field into the one host the token request goes to.
 *
 * Users paste the org name, the My Domain host, the Lightning address from the browser bar, a full
 * URL with a trailing slash, or the generic login hosts. All of those are understood. Anything that
 * could send credentials somewhere else — a path, a query, user-info, a port, plain http, a host that
 * is not Salesforce's (`acme.my.salesforce.com.evil.test`) — is refused before a request is built.
 */
import { invalidInput, SalesforceAuthError } from '../errors';
import { hasControlCharacter } from '../text';

export type HostKind =
	| 'my-domain'
	| 'sandbox'
	| 'partition'
	| 'generic-production'
	| 'generic-sandbox'
	| 'government'
	| 'china'
	| 'loopback';

export interface SalesforceHost {
	/** `https://acme.my.salesforce.com` — scheme, host and (loopback only) port; no trailing slash. */
	origin: string;
	/** Lower-case host name, without port. */
	hostname: string;
	kind: HostKind;
	/** login.salesforce.com / test.salesforce.com: client credentials never work there. */
	isGenericLoginHost: boolean;
}

export const DOMAIN_FIELD = 'Domain';

/** The forms shown to the user whenever a domain is refused. */
export const ACCEPTED_DOMAIN_FORMS =
	'Accepted forms: "acme" or "acme.my.salesforce.com" (production), ' +
	'"acme--uat.sandbox.my.salesforce.com" (sandbox), "acme.develop.my.salesforce.com" (and the other ' +
	'partitions: scratch, trailblaze, demo, patch, free), "acme.lightning.force.com", ' +
	'"login.salesforce.com" or "test.salesforce.com", "acme.my.salesforce.mil" — with or without "https://". ' +
	'In Salesforce, Setup → My Domain shows yours.';

const PARTITIONS = ['develop', 'scratch', 'trailblaze', 'demo', 'patch', 'free'];

/** A My Domain name: letters, digits and single hyphens; `--` separates org and sandbox name. */
const MY_DOMAIN_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9-]))*[a-z0-9]$|^[a-z0-9]$/;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function refuse(problem: string): SalesforceAuthError {
	return invalidInput(DOMAIN_FIELD, problem, ACCEPTED_DOMAIN_FORMS);
}

function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

function isValidName(name: string): boolean {
	// "xn--" is an internationalised (punycode) label: no My Domain name is one.
	return name.length <= 80 && MY_DOMAIN_NAME.test(name) && !name.startsWith('xn--');
}

/** Maps a recognised Salesforce host to its canonical token host, or undefined when it is not one. */
function classifyHost(hostname: string): { hostname: string; kind: HostKind } | undefined {
	if (hostname === 'login.salesforce.com') return { hostname, kind: 'generic-production' };
	if (hostname === 'test.salesforce.com') return { hostname, kind: 'generic-sandbox' };

	const labels = hostname.split('.');
	const name = labels[0];
	if (!isValidName(name)) return undefined;
	const rest = labels.slice(1).join('.');

	// The browser bar shows <name>.lightning.force.com; its token endpoint answers with a 302 that most
	// clients follow as a GET, losing the body. The My Domain host is the same org without the redirect.
	const lightning =
		/^(?:(sandbox|develop|scratch|trailblaze|demo|patch|free)\.)?lightning\.force\.com$/.exec(rest);
	if (lightning) {
		const partition = lightning[1];
		return classifyHost(
			partition ? `${name}.${partition}.my.salesforce.com` : `${name}.my.salesforce.com`,
		);
	}
	// Setup pages live on <name>.my.salesforce-setup.com; same org.
	if (rest === 'my.salesforce-setup.com') return classifyHost(`${name}.my.salesforce.com`);

	if (rest === 'my.salesforce.com') {
		return { hostname, kind: name.includes('--') ? 'sandbox' : 'my-domain' };
	}
	if (rest === 'sandbox.my.salesforce.com') return { hostname, kind: 'sandbox' };
	const partition = /^([a-z]+)\.my\.salesforce\.com$/.exec(rest);
	if (partition && PARTITIONS.includes(partition[1])) return { hostname, kind: 'partition' };
	if (rest === 'my.salesforce.mil' || rest === 'sandbox.my.salesforce.mil') {
		return { hostname, kind: 'government' };
	}
	if (rest === 'my.sfcrmproducts.cn' || rest === 'sandbox.my.sfcrmproducts.cn')
		return { hostname, kind: 'china' };
	return undefined;
}

/**
 * Parses the Domain field. Throws a SalesforceAuthError naming the field, with the accepted forms,
 * when the value is not a Salesforce host.
 */
export function normaliseDomain(input: string): SalesforceHost {
	const value = typeof input === 'string' ? input.trim() : '';
	if (value === '') throw refuse('is empty.');
	if (value.length > 253 + 'https://'.length + 1) throw refuse('is too long to be a host name.');
	if (/\s/.test(value) || hasControlCharacter(value)) {
		throw refuse('contains spaces or control characters.');
	}
	if (/[^\x20-\x7e]/.test(value)) {
		throw refuse('contains non-ASCII characters; Salesforce host names are plain ASCII.');
	}
	for (const [character, what] of [
		['@', 'user-info ("@")'],
		['?', 'a query ("?")'],
		['#', 'a fragment ("#")'],
		['\\', 'a backslash'],
		['%', 'a percent-encoded character'],
	]) {
		if (value.includes(character)) throw refuse(`must be a host name only, but contains ${what}.`);
	}

	const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
	const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : 'https';
	const withoutScheme = schemeMatch ? value.slice(schemeMatch[0].length) : value;
	if (!schemeMatch && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(value)) {
		throw refuse(`starts with "${value.split(':')[0]}:", which is not https.`);
	}

	const slash = withoutScheme.indexOf('/');
	const authority = slash === -1 ? withoutScheme : withoutScheme.slice(0, slash);
	const path = slash === -1 ? '' : withoutScheme.slice(slash);
	if (path !== '' && path !== '/') {
		throw refuse(
			`must not contain a path ("${path}"); Salesforce's token path is added automatically.`,
		);
	}

	let url: URL;
	try {
		url = new URL(`${scheme}://${authority}`);
	} catch {
		throw refuse(`"${value}" is not a valid host name.`);
	}
	const hostname = url.hostname.toLowerCase();

	if (isLoopback(hostname)) {
		// Local stand-ins and tests: the only place plain http and a port make sense.
		if (scheme !== 'http' && scheme !== 'https')
			throw refuse(`uses "${scheme}://"; only https is accepted.`);
		return { origin: url.origin, hostname, kind: 'loopback', isGenericLoginHost: false };
	}
	if (scheme !== 'https') {
		throw refuse(`uses "${scheme}://"; Salesforce is only reachable over https.`);
	}
	if (url.port !== '' || /:\d*$/.test(authority)) {
		throw refuse('must not contain a port; Salesforce listens on the standard https port.');
	}

	const bareName = !hostname.includes('.');
	const classified = classifyHost(bareName ? `${hostname}.my.salesforce.com` : hostname);
	if (!classified) {
		throw refuse(`"${hostname}" is not a Salesforce login host.`);
	}
	const canonical =
		bareName && hostname.includes('--')
			? { hostname: `${hostname}.sandbox.my.salesforce.com`, kind: 'sandbox' as HostKind }
			: classified;
	return {
		origin: `https://${canonical.hostname}`,
		hostname: canonical.hostname,
		kind: canonical.kind,
		isGenericLoginHost:
			canonical.kind === 'generic-production' || canonical.kind === 'generic-sandbox',
	};
}

/**
 * Where a token may be used: the instance URL Salesforce returns must be a Salesforce host (or, for a
 * local stand-in, the loopback host that issued it), so a tampered response cannot redirect the token.
 */
export function isTrustedInstanceUrl(instanceUrl: string, loginHost: SalesforceHost): boolean {
	let url: URL;
	try {
		url = new URL(instanceUrl);
	} catch {
		return false;
	}
	if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
		return false;
	const hostname = url.hostname.toLowerCase();
	if (loginHost.kind === 'loopback') return isLoopback(hostname);
	if (url.protocol !== 'https:' || url.port !== '') return false;
	return /\.(?:salesforce\.com|salesforce\.mil|sfcrmproducts\.cn|force\.com|cloudforce\.com)$/.test(
		hostname,
	);
}
