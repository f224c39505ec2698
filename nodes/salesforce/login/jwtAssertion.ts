/**
 * The JWT Bearer flow's assertion: an RS256-signed JWT {iss: consumer key, sub: username, aud, exp},
 * signed with the private key of the certificate uploaded to the connected app or External Client App.
 *
 * The private key is read here, and refused with a message naming the field before anything is sent
 * when it cannot sign: empty, a certificate or public key pasted instead, unreadable, encrypted without
 * its passphrase, or not RSA. No message ever quotes the key, its passphrase or crypto's own error text.
 */
import { createHash, createPrivateKey, createSign, KeyObject } from 'crypto';
import type { SalesforceHost } from './domain';
import { invalidInput, SalesforceAuthError } from '../errors';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce accepts an `exp` at most 3 minutes ahead; 150 s leaves room for a clock running a little fast. */
export const ASSERTION_LIFETIME_SECONDS = 150;

export type JwtAudienceChoice = 'myDomain' | 'login' | 'test';

export const GENERIC_AUDIENCES: Readonly<Record<Exclude<JwtAudienceChoice, 'myDomain'>, string>> = {
	login: 'https://login.salesforce.com',
	test: 'https://test.salesforce.com',
};

export const JWT_FIELD_LABELS = {
	privateKey: 'Private Key',
	passphrase: 'Private Key Passphrase',
	audience: 'Audience',
} as const;

/** A 4096-bit key in PEM is about 3,300 characters; anything far longer is a paste of the wrong thing. */
const MAX_PEM_LENGTH = 20_000;

const KEY_HELP =
	'Paste the whole private key file (e.g. server.key), from "-----BEGIN PRIVATE KEY-----" (or "-----BEGIN RSA PRIVATE KEY-----") ' +
	'to the matching END line. Its certificate (.crt) is what you upload to the app in Salesforce; see the credential guide for the openssl commands.';

function refuseKey(problem: string, fix = KEY_HELP): SalesforceAuthError {
	return invalidInput(JWT_FIELD_LABELS.privateKey, problem, fix);
}

/**
 * Restores line breaks a paste lost: a PEM whose breaks became spaces or literal "\n" (as in an
 * environment variable) is rebuilt from its base64 body. A PEM that reads as is stays as is.
 */
export function restorePemLineBreaks(pem: string): string {
	const text = pem
		.replace(/\\r\\n|\\n/g, '\n')
		.replace(/\r\n?/g, '\n')
		.trim();
	const match = /^-----BEGIN ([A-Z0-9 ]+)-----\s*([\s\S]*?)\s*-----END \1-----$/.exec(text);
	if (!match) return text;
	const [, label, body] = match;
	// Legacy encrypted PKCS#1 keys carry "Proc-Type:" / "DEK-Info:" header lines: keep their layout.
	if (body.includes(':')) return text;
	const base64 = body.replace(/\s+/g, '');
	const lines = base64.match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function errorCode(error: unknown): string {
	return error &&
		typeof error === 'object' &&
		typeof (error as { code?: unknown }).code === 'string'
		? (error as { code: string }).code
		: '';
}

/**
 * Keys already read, by a hash of the field values: the login details are read before every request
 * (to compare them with the stored session's), and parsing an RSA key takes about 2 ms. Holds no more
 * than the credential objects in memory already hold; bounded, oldest dropped first.
 */
const readKeys = new Map<string, KeyObject>();
const MAX_READ_KEYS = 32;

/** Reads the Private Key field (with its passphrase, for an encrypted key) into a key that can sign RS256. */
export function readPrivateKey(value: unknown, passphraseValue: unknown): KeyObject {
	const cacheKey =
		typeof value === 'string'
			? createHash('sha256')
					.update(
						JSON.stringify([value, typeof passphraseValue === 'string' ? passphraseValue : '']),
					)
					.digest('hex')
			: undefined;
	const known = cacheKey === undefined ? undefined : readKeys.get(cacheKey);
	if (known) return known;
	const key = parsePrivateKey(value, passphraseValue);
	if (cacheKey !== undefined) {
		if (readKeys.size >= MAX_READ_KEYS) readKeys.delete(readKeys.keys().next().value as string);
		readKeys.set(cacheKey, key);
	}
	return key;
}

function parsePrivateKey(value: unknown, passphraseValue: unknown): KeyObject {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw refuseKey('is empty.');
	}
	if (typeof value !== 'string') throw refuseKey(`must be text, got ${typeof value}.`);
	if (value.length > MAX_PEM_LENGTH)
		throw refuseKey(`is ${value.length} characters long, far longer than a private key.`);
	const passphrase = typeof passphraseValue === 'string' ? passphraseValue : '';

	if (/-----BEGIN (?:TRUSTED )?CERTIFICATE-----/.test(value)) {
		throw refuseKey(
			'holds a certificate, not a private key.',
			`The certificate is what you upload to the app in Salesforce; here paste the private key it was made from. ${KEY_HELP}`,
		);
	}
	if (/-----BEGIN (?:RSA )?PUBLIC KEY-----|^ssh-rsa /m.test(value)) {
		throw refuseKey(
			'holds a public key, not a private key.',
			`Paste the private key of the key pair instead. ${KEY_HELP}`,
		);
	}
	if (/-----BEGIN CERTIFICATE REQUEST-----/.test(value)) {
		throw refuseKey('holds a certificate signing request, not a private key.', KEY_HELP);
	}
	if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value)) {
		throw refuseKey('is not a PEM private key (no "-----BEGIN … PRIVATE KEY-----" line).');
	}
	const pem = restorePemLineBreaks(value);
	const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem);
	if (encrypted && passphrase === '') {
		throw invalidInput(
			JWT_FIELD_LABELS.passphrase,
			'is empty, but the Private Key is encrypted.',
			'Enter the passphrase the key was encrypted with, or paste an unencrypted key (openssl pkcs8 -topk8 -nocrypt -in encrypted.key -out server.key).',
		);
	}

	let key: KeyObject;
	try {
		key = createPrivateKey(
			encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' },
		);
	} catch (error) {
		if (encrypted) {
			throw invalidInput(
				JWT_FIELD_LABELS.passphrase,
				'does not decrypt the Private Key.',
				'Enter the passphrase the key was encrypted with (check for a trailing space or a changed keyboard layout).',
			);
		}
		if (errorCode(error) === 'ERR_MISSING_PASSPHRASE') {
			throw invalidInput(
				JWT_FIELD_LABELS.passphrase,
				'is empty, but the Private Key is encrypted.',
				'Enter the passphrase the key was encrypted with.',
			);
		}
		throw refuseKey('could not be read as a private key (damaged, cut off or incomplete).');
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw refuseKey(
			`is a${key.asymmetricKeyType === 'ec' || key.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()} key; Salesforce's JWT Bearer flow signs with RSA (RS256).`,
			'Create an RSA key pair (openssl req -x509 -newkey rsa:2048 …, see the credential guide) and upload its certificate to the app.',
		);
	}
	return key;
}

/** The `aud` claim: the org's My Domain URL, or a generic login URL for older connected apps. */
export function audienceFor(choice: JwtAudienceChoice, host: SalesforceHost): string {
	return choice === 'myDomain' ? host.origin : GENERIC_AUDIENCES[choice];
}

function base64url(value: Buffer | string): string {
	return Buffer.from(value).toString('base64url');
}

export interface AssertionClaims {
	iss: string;
	sub: string;
	aud: string;
	exp: number;
}

/** The claims for a login at `nowMs`: `exp` in whole seconds, ASSERTION_LIFETIME_SECONDS ahead. */
export function assertionClaims(
	details: { consumerKey: string; username: string; audience: string },
	nowMs: number,
): AssertionClaims {
	return {
		iss: details.consumerKey,
		sub: details.username,
		aud: details.audience,
		exp: Math.floor(nowMs / 1000) + ASSERTION_LIFETIME_SECONDS,
	};
}

/** header.claims.signature, each base64url; the signature is RSASSA-PKCS1-v1_5 with SHA-256 (RS256). */
export function signAssertion(claims: AssertionClaims, key: KeyObject): string {
	const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
	const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
	return `${signingInput}.${base64url(signature)}`;
}
