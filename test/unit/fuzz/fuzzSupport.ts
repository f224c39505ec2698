/**
 * Shared pieces of the fuzz and property tests: the nasty values the issue lists, fast-check
 * arbitraries built from them, a byte-exact reader for what the stand-in received, a watch on every
 * outgoing TCP connection, and the secret scan.
 */
import net from 'node:net';
import fc from 'fast-check';
import { SalesforceAuthError } from '../../../nodes/salesforce';

/**
 * Fragments the issue names (and their friends). Combined by the arbitraries below; each is also used
 * on its own as a hand-picked example.
 */
export const NASTY_PIECES: readonly string[] = [
	'',
	' ',
	'  ',
	'\t',
	'\n',
	'\r\n',
	'\u0000',
	'\u0007',
	'\u001f',
	'\u007f',
	'\u0085',
	'\u009f',
	'%00',
	'%23',
	'%2B',
	'%25',
	'%',
	'%%',
	'%zz',
	'#',
	'&',
	'+',
	'=',
	'?',
	'/',
	';',
	':',
	',',
	'@',
	'!',
	'*',
	'../',
	'..\\',
	'\\',
	'"',
	"'",
	'`',
	'<',
	'>',
	'<script>',
	'{{',
	'}}',
	'{{ $json }}',
	'${x}',
	'[',
	']',
	'é',
	'ß',
	'İ',
	'ﬃ',
	'漢字',
	'Ω',
	'Ａ',
	'😀',
	'👩‍👩‍👧',
	'\u{10FFFF}',
	'\u{1D11E}',
	'a\u0301',
	'\u00a0',
	'\u200b',
	'\u200d',
	'\u202e',
	'\u2028',
	'\u2029',
	'\u3000',
	'\ufeff',
	'\ufffd',
	'\uffff',
	'acme',
	'x',
	'Z',
	'0',
	'9',
	'-',
	'_',
	'.',
	'my.salesforce.com',
	'evil.test',
	'null',
	'undefined',
	'__proto__',
];

/** Printable pieces only: no control characters, no surrounding-whitespace pieces. */
const PRINTABLE_PIECES = NASTY_PIECES.filter(
	(piece) => piece !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(piece) && piece.trim() === piece,
);

/**
 * n8n treats any parameter or credential value that starts with "=" as an expression (see
 * n8n-io/n8n#13201), so such a value never reaches a node or credential as typed. That is n8n's
 * behaviour, not the package's; the generators leave those values out and the tests that pin the
 * behaviour live in inputs.fuzz.test.ts.
 */
export function notAnN8nExpression(value: string): boolean {
	return !value.startsWith('=');
}

/** Text made of the nasty pieces, full unicode, or long runs that straddle the 1,000-character limit. */
export function nastyText(
	options: { maxPieces?: number; maxLength?: number } = {},
): fc.Arbitrary<string> {
	const maxLength = options.maxLength ?? 1000;
	return fc
		.oneof(
			{
				arbitrary: fc.string({
					unit: fc.constantFrom(...NASTY_PIECES),
					maxLength: options.maxPieces ?? 12,
				}),
				weight: 4,
			},
			{ arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
			{ arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
			{
				arbitrary: fc.string({ unit: 'binary', minLength: Math.floor(maxLength * 0.9), maxLength }),
				weight: 1,
			},
			{
				arbitrary: fc
					.tuple(
						fc.integer({ min: maxLength - 10, max: maxLength + 10 }),
						fc.constantFrom('a', '%', '#', 'é', '漢', '😀', ' '),
					)
					.map(([count, character]) => character.repeat(count)),
				weight: 1,
			},
		)
		.filter(notAnN8nExpression);
}

/** Mostly printable text (so that a good share is accepted), with nasty pieces around and inside. */
export function mostlyPrintableText(): fc.Arbitrary<string> {
	return fc
		.oneof(
			{
				arbitrary: fc.string({
					unit: fc.constantFrom(...PRINTABLE_PIECES),
					minLength: 1,
					maxLength: 10,
				}),
				weight: 4,
			},
			{ arbitrary: nastyText(), weight: 3 },
		)
		.filter(notAnN8nExpression);
}

/** Strings that look like Salesforce usernames (they must contain "@"), plus the nasty ones. */
export function usernameText(): fc.Arbitrary<string> {
	return fc
		.oneof(
			{
				arbitrary: fc
					.tuple(
						mostlyPrintableText(),
						fc.constantFrom('@', '@@', '@acme.com', '@acme.com.uat'),
						fc.string({ unit: fc.constantFrom(...PRINTABLE_PIECES), maxLength: 4 }),
					)
					.map((parts) => parts.join('')),
				weight: 3,
			},
			{ arbitrary: nastyText(), weight: 1 },
		)
		.filter(notAnN8nExpression);
}

/** The listed special cases as whole values, for every text field. */
export const HAND_PICKED_TEXT: readonly string[] = [
	'',
	' ',
	'   ',
	'\t',
	' padded ',
	'padded ',
	' padded',
	'\tpadded',
	'padded\n',
	'line\nbreak',
	'nul\u0000inside',
	'%00',
	'a%00b',
	'%23',
	'%2B%20',
	'#',
	'a#b',
	'&',
	'a&b=c',
	'+',
	'a+b',
	'?',
	'/',
	';',
	'../',
	'../../etc/passwd',
	'..\\..\\',
	'@',
	'a@b',
	'api.user@acme.com',
	'api.user@acme.com.uat',
	'evil.test#.my.salesforce.com',
	'acme.my.salesforce.com.evil.test',
	'é漢字😀',
	'\u{10FFFF}',
	'\u00a0nbsp\u00a0',
	'zero\u200bwidth',
	'rtl\u202eoverride',
	'\ufeffbom',
	'del\u007f',
	'c1\u0085',
	'{{ $json }}',
	'${process.env.HOME}',
	'<script>alert(1)</script>',
	'"quoted"',
	"'single'",
	'__proto__',
	'constructor',
	'x'.repeat(999),
	'x'.repeat(1000),
	'x'.repeat(1001),
	'😀'.repeat(500),
	'😀'.repeat(501),
	'é'.repeat(1000),
	' '.repeat(1000),
];

/** Percent-decodes one field of a form body into raw bytes (`+` is a space), without going through a JS string. */
export function formFieldBytes(rawBody: string, name: string): Buffer | undefined {
	for (const pair of rawBody.split('&')) {
		const equals = pair.indexOf('=');
		const key = equals === -1 ? pair : pair.slice(0, equals);
		if (key !== name) continue;
		const value = equals === -1 ? '' : pair.slice(equals + 1);
		const bytes: number[] = [];
		for (let index = 0; index < value.length; index++) {
			const character = value[index];
			if (character === '+') bytes.push(0x20);
			else if (character === '%' && /^[0-9a-f]{2}$/i.test(value.slice(index + 1, index + 3))) {
				bytes.push(parseInt(value.slice(index + 1, index + 3), 16));
				index += 2;
			} else bytes.push(...Buffer.from(character, 'utf8'));
		}
		return Buffer.from(bytes);
	}
	return undefined;
}

export function utf8(value: string): Buffer {
	return Buffer.from(value, 'utf8');
}

/**
 * Counts outgoing TCP connections (every http, https and tls request opens its socket through
 * net.Socket.prototype.connect; a host name is resolved inside it). Call `count()` around a case.
 */
export function watchConnections(): { count: () => number; restore: () => void } {
	const spy = jest.spyOn(net.Socket.prototype, 'connect');
	return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
}

/** Everything a user can see of an error: message, description, and (for n8n's errors) the serialised error. */
export function visibleText(error: unknown): string {
	if (!error || typeof error !== 'object') return String(error);
	const shape = error as { message?: unknown; description?: unknown; context?: unknown };
	let serialised = '';
	try {
		serialised = JSON.stringify(error) ?? '';
	} catch {
		serialised = '';
	}
	return [
		String(shape.message ?? ''),
		String(shape.description ?? ''),
		JSON.stringify(shape.context ?? {}),
		serialised,
	].join('\n');
}

/**
 * Secrets worth scanning for: a one-character "password" such as "a" is in every sentence, so
 * only values that could not appear in a message by chance (8+ non-space characters) are checked.
 */
export function scannableSecrets(values: unknown[]): string[] {
	return values.filter(
		(value): value is string => typeof value === 'string' && value.trim().length >= 8,
	);
}

export function expectNoSecret(error: unknown, secrets: unknown[]): void {
	const text = visibleText(error);
	for (const secret of scannableSecrets(secrets)) {
		if (text.includes(secret)) {
			throw new Error(
				`a secret (${secret.length} characters) appears in the error: ${String((error as Error)?.message)}`,
			);
		}
	}
}

/** The SalesforceAuthError a failure carries, whether thrown directly or wrapped by n8n. */
export function authErrorIn(error: unknown): SalesforceAuthError | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
		if (current instanceof SalesforceAuthError) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Runs a promise to an outcome instead of a rejection. */
export async function settle<T>(
	promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	return await promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
}

/** A short, readable form of a generated value for failure messages and tallies. */
export function describeValue(value: string): string {
	const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	return `${shown} (${value.length} UTF-16 units)`;
}
