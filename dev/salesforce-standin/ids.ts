import { createHash, randomBytes } from 'node:crypto';

/**
 * Identifiers shaped like Salesforce's, so consumers that parse or validate them (org id from the
 * identity URL, `00D...!` session ids) meet the same shapes as in a real org.
 */

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function pick(alphabet: string, bytes: Buffer): string {
	let out = '';
	for (const byte of bytes) out += alphabet[byte % alphabet.length];
	return out;
}

/** Random bytes drawn from a pool refilled 4 KB at a time: a 100,000-record Bulk job makes 200,000 ids. */
let pool = Buffer.alloc(0);
let pooled = 0;

function randomPool(length: number): Buffer {
	if (pooled + length > pool.length) {
		pool = randomBytes(Math.max(4096, length));
		pooled = 0;
	}
	pooled += length;
	return pool.subarray(pooled - length, pooled);
}

export function randomChars(length: number, alphabet = BASE62): string {
	return pick(alphabet, randomPool(length));
}

/** Stable characters derived from a seed: the demo credentials stay the same across restarts. */
export function seededChars(seed: string, length: number, alphabet = BASE62): string {
	let bytes = Buffer.alloc(0);
	for (let round = 0; bytes.length < length; round++) {
		bytes = Buffer.concat([bytes, createHash('sha256').update(`${seed}#${round}`).digest()]);
	}
	return pick(alphabet, bytes.subarray(0, length));
}

/** Salesforce's 3-character suffix that makes a 15-character id case-insensitively unique. */
export function checksumSuffix(id15: string): string {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const ch = id15[chunk * 5 + i];
			if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
		}
		suffix += CHECKSUM_ALPHABET[bits];
	}
	return suffix;
}

/** An 18-character record id with the given key prefix ('00D' org, '005' user, '001' account). */
export function salesforceId(keyPrefix: string): string {
	const id15 = `${keyPrefix}${randomChars(2)}0000${randomChars(6)}`;
	return id15 + checksumSuffix(id15);
}

/** Letters and digits of a label, for places (tokens, usernames) that must stay URL-safe. */
export function labelSlug(label: string): string {
	return label.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * A session id as Salesforce issues it: org id, `!`, then opaque characters from [A-Za-z0-9._].
 * The `!` is what trips naive encoders, so it is kept on purpose.
 */
export function newSessionId(orgId: string, label: string): string {
	const opaque = randomBytes(60).toString('base64url').replace(/-/g, '.');
	const slug = labelSlug(label);
	return `${orgId}!${slug ? `${slug}.` : ''}${opaque}`;
}
