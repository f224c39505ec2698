/**
 * The JWT Bearer grant's assertion, checked as Salesforce checks it: the signature with the public
 * key of the certificate uploaded to the app, then the audience, then the expiry. Salesforce answers
 * each failure with a 400 (descriptions as its clients report them):
 *   - not three base64url parts, unreadable JSON, not RS256       -> invalid_grant 'invalid assertion'
 *   - iss is no app's consumer key                                 -> invalid_client_id 'client identifier invalid'
 *   - the app has no certificate, or the signature does not verify -> invalid_grant 'invalid assertion'
 *   - aud is not one the org accepts                               -> invalid_grant 'audience is invalid'
 *   - exp missing, past, or more than 3 minutes ahead              -> invalid_grant 'expired authorization code'
 * An External Client App accepts only the org's My Domain URL as audience; an older connected app
 * also the generic login URL (login.salesforce.com, or test.salesforce.com in a sandbox).
 */
import { createPublicKey, createVerify, KeyObject, X509Certificate } from 'node:crypto';
import type { Org } from './org';
import type { StandinApp } from './types';
import type { TokenAnswer } from './token';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce allows `exp` up to 3 minutes ahead; a little leeway either way for clocks. */
const MAX_LIFETIME_SECONDS = 180;
const LEEWAY_SECONDS = 5;

export type AssertionCheck = { app: StandinApp; subject: string } | { refusal: TokenAnswer };

function refusal(error: string, error_description: string): { refusal: TokenAnswer } {
	return { refusal: { status: 400, body: { error, error_description }, issued: false } };
}

const INVALID = () => refusal('invalid_grant', 'invalid assertion');

function decodePart(part: string): Record<string, unknown> | undefined {
	if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return value && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** The public key of the app's certificate (or of a PEM public key given instead). */
export function verificationKey(pem: string): KeyObject {
	return pem.includes('CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

function acceptedAudiences(org: Org, app: StandinApp): string[] {
	const own = org.myDomain ? [org.url] : [];
	if (app.externalClientApp) return own;
	return [...own, org.sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com'];
}

export function checkAssertion(
	org: Org,
	assertion: string | undefined,
	nowMs = org.clock.now(),
): AssertionCheck {
	const parts = (assertion ?? '').split('.');
	if (parts.length !== 3) return INVALID();
	const [header, claims] = [decodePart(parts[0]), decodePart(parts[1])];
	if (!header || !claims || header.alg !== 'RS256' || !/^[A-Za-z0-9_-]+$/.test(parts[2]))
		return INVALID();

	const app = org.apps.find((candidate) => candidate.consumerKey === claims.iss);
	if (!app) return refusal('invalid_client_id', 'client identifier invalid');
	if (!app.jwtCertificate) return INVALID();
	const signatureValid = createVerify('RSA-SHA256')
		.update(`${parts[0]}.${parts[1]}`)
		.verify(verificationKey(app.jwtCertificate), Buffer.from(parts[2], 'base64url'));
	if (!signatureValid) return INVALID();

	const audience = typeof claims.aud === 'string' ? claims.aud.replace(/\/+$/, '') : '';
	if (!acceptedAudiences(org, app).includes(audience))
		return refusal('invalid_grant', 'audience is invalid');

	const now = nowMs / 1000;
	const exp = claims.exp;
	if (
		typeof exp !== 'number' ||
		exp < now - LEEWAY_SECONDS ||
		exp > now + MAX_LIFETIME_SECONDS + LEEWAY_SECONDS
	) {
		return refusal('invalid_grant', 'expired authorization code');
	}
	if (typeof claims.sub !== 'string' || claims.sub === '') return INVALID();
	return { app, subject: claims.sub };
}
