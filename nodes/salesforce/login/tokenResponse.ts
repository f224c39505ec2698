/**
 * Checks what came back from the token endpoint and turns it into a session, or an error that says
 * what arrived instead (an HTML maintenance page, a redirect, half a JSON document, a forged answer).
 */
import { createHmac, timingSafeEqual } from 'crypto';
import { isTrustedInstanceUrl, SalesforceHost } from './domain';
import { SalesforceAuthError } from '../errors';
import { explainOAuthError } from './explainFailure';
import type { AuthFlow } from './loginDetails';

/** A live Salesforce session, as the token endpoint described it. */
export interface SalesforceSession {
	accessToken: string;
	instanceUrl: string;
	/** Identity URL: https://login.salesforce.com/id/<orgId>/<userId>. */
	identityUrl: string;
	tokenType: string;
	/**
	 * When Salesforce issued it, in milliseconds since the epoch, as Salesforce sends it (a string). The
	 * JWT Bearer answer carries none: then the moment the answer arrived.
	 */
	issuedAt: string;
	orgId: string;
	userId: string;
}

export interface RawHttpResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	/** The body as received: a string, a Buffer, or — when the HTTP client parsed JSON already — an object. */
	body: unknown;
}

interface ResponseContext {
	host: SalesforceHost;
	flow: AuthFlow;
	consumerSecret: string;
	/** JWT Bearer only: the assertion's `aud`, named when Salesforce refuses it. */
	audience?: string;
	/** When the answer arrived; default now. */
	receivedAtMs?: number;
}

function header(response: RawHttpResponse, name: string): string {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? '' : String(value);
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (
		body &&
		typeof (body as { toString?: unknown }).toString === 'function' &&
		body instanceof Uint8Array
	) {
		return Buffer.from(body).toString('utf8');
	}
	return '';
}

/** The body as a JSON object, or undefined when it is not one (HTML, truncated, empty). */
function jsonBody(body: unknown): Record<string, unknown> | undefined {
	if (body && typeof body === 'object' && !(body instanceof Uint8Array))
		return body as Record<string, unknown>;
	const text = bodyText(body).trim();
	if (!text.startsWith('{')) return undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

function describeBody(response: RawHttpResponse): string {
	const type = header(response, 'content-type').split(';')[0].trim() || 'no content type';
	const text = bodyText(response.body).trim();
	if (
		text === '' &&
		(response.body === undefined || response.body === null || response.body === '')
	)
		return `an empty ${type} body`;
	if (/^<(?:!doctype|html)/i.test(text)) return 'an HTML page';
	if (text.startsWith('{') || text.startsWith('['))
		return 'JSON that could not be read (truncated or malformed)';
	return `a ${type} body`;
}

/** base64(HMAC-SHA256(consumer secret, id + issued_at)), compared in constant time. */
export function verifySignature(
	identityUrl: string,
	issuedAt: string,
	signature: string,
	consumerSecret: string,
): boolean {
	const expected = createHmac('sha256', consumerSecret)
		.update(identityUrl + issuedAt)
		.digest();
	let received: Buffer;
	try {
		received = Buffer.from(signature, 'base64');
	} catch {
		return false;
	}
	return received.length === expected.length && timingSafeEqual(received, expected);
}

function badResponse(message: string, httpStatus: number, fix?: string): SalesforceAuthError {
	return new SalesforceAuthError(
		'bad-response',
		message,
		fix ??
			'Salesforce may be in maintenance (status.salesforce.com), or something between n8n and Salesforce answered instead of it — check the Domain field and any proxy.',
		{ httpStatus },
	);
}

/** Reads the org and user ids from the identity URL (…/id/<orgId>/<userId>). */
export function idsFromIdentityUrl(identityUrl: string): { orgId: string; userId: string } {
	const match = /\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(identityUrl);
	return match ? { orgId: match[1], userId: match[2] } : { orgId: '', userId: '' };
}

export function parseTokenResponse(
	response: RawHttpResponse,
	context: ResponseContext,
): SalesforceSession {
	const status = response.statusCode;
	const where = context.host.hostname;

	if (status >= 300 && status < 400) {
		const location = header(response, 'location');
		let target = 'another address';
		try {
			target = location ? new URL(location, context.host.origin).host : target;
		} catch {
			// keep the generic wording
		}
		throw new SalesforceAuthError(
			'redirect',
			`${where} answered with a redirect (HTTP ${status}) to ${target} instead of a token; credentials are never re-sent to a redirect.`,
			`Put the host Salesforce redirects to in the Domain field — usually the org's My Domain, e.g. "acme.my.salesforce.com" (Setup → My Domain).`,
			{ httpStatus: status },
		);
	}

	const body = jsonBody(response.body);
	if (status >= 400 && body && typeof body.error === 'string') {
		throw explainOAuthError(body as { error: string; error_description?: string }, status, context);
	}
	if (status >= 500) {
		throw new SalesforceAuthError(
			'server-error',
			`${where} answered HTTP ${status} with ${describeBody(response)} instead of a token.`,
			'Salesforce or a proxy in between is having trouble; this is usually temporary (status.salesforce.com). Run again later.',
			{ httpStatus: status },
		);
	}
	if (status !== 200) {
		throw badResponse(
			`${where} answered HTTP ${status} with ${describeBody(response)} instead of a token.`,
			status,
		);
	}
	if (!body) {
		throw badResponse(
			`${where} answered HTTP 200 with ${describeBody(response)} instead of a token.`,
			status,
		);
	}

	// The JWT Bearer answer has no `signature` and no `issued_at` — and this flow has no consumer
	// secret to check a signature with — so for it they are neither required nor checked.
	const signed = context.flow !== 'jwtBearer';
	const required = signed
		? ['access_token', 'instance_url', 'id', 'issued_at', 'signature']
		: ['access_token', 'instance_url', 'id'];
	const missing = required.filter((field) => typeof body[field] !== 'string' || body[field] === '');
	if (missing.length > 0) {
		throw badResponse(`${where} answered HTTP 200 without ${missing.join(', ')}.`, status);
	}
	const session: SalesforceSession = {
		accessToken: body.access_token as string,
		instanceUrl: (body.instance_url as string).replace(/\/+$/, ''),
		identityUrl: body.id as string,
		tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
		issuedAt:
			typeof body.issued_at === 'string' && body.issued_at !== ''
				? body.issued_at
				: String(context.receivedAtMs ?? Date.now()),
		...idsFromIdentityUrl(body.id as string),
	};
	if (
		signed &&
		!verifySignature(
			session.identityUrl,
			session.issuedAt,
			body.signature as string,
			context.consumerSecret,
		)
	) {
		throw new SalesforceAuthError(
			'bad-signature',
			`The token from ${where} failed its signature check, so it was not used.`,
			"Salesforce signs every token with the connected app's Consumer Secret. Check the Consumer Secret belongs to the same connected app as the Consumer Key; if it does, something between n8n and Salesforce altered the answer.",
			{ httpStatus: status },
		);
	}
	if (!isTrustedInstanceUrl(session.instanceUrl, context.host)) {
		throw badResponse(
			`${where} returned an instance URL that is not a Salesforce host, so the token was not used.`,
			status,
			'Check the Domain field points at Salesforce and that no proxy rewrites its answers.',
		);
	}
	return session;
}
