import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small HTTP helpers: reading bodies, form decoding, and answers with Salesforce's headers. */

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Bodies larger than this are refused (blob uploads aside); nothing legitimate sent to these endpoints comes close. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				// Read and drop the rest, so the client, still sending, gets the 413 rather than a reset.
				req.removeAllListeners('data');
				req.resume();
				chunks.length = 0;
				reject(new BodyTooLargeError('request body too large'));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export function isFormBody(contentType: string | undefined): boolean {
	const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
	return mediaType === 'application/x-www-form-urlencoded';
}

/**
 * Standard application/x-www-form-urlencoded decoding (`+` is a space, percent-escapes are UTF-8).
 * Like a servlet's getParameter, the first occurrence of a repeated name wins.
 */
export function parseForm(encoded: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const [name, value] of new URLSearchParams(encoded)) {
		if (!(name in fields)) fields[name] = value;
	}
	return fields;
}

/** Where an answer goes: the HTTP response, or what a Composite subrequest captures (rest/composite.ts). */
export interface Reply {
	readonly headersSent: boolean;
	readonly destroyed: boolean;
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: Buffer): unknown;
}

export function sendJson(
	res: Reply,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	send(res, status, JSON.stringify(body), { 'Content-Type': JSON_CONTENT_TYPE, ...headers });
}

export function sendText(
	res: Reply,
	status: number,
	body: string,
	contentType = 'text/plain;charset=UTF-8',
): void {
	send(res, status, body, { 'Content-Type': contentType });
}

export function send(
	res: Reply,
	status: number,
	body: string,
	headers: Record<string, string>,
): void {
	if (res.headersSent || res.destroyed) return;
	const bytes = Buffer.from(body, 'utf8');
	res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
	res.end(bytes);
}

/** The session id from `Authorization: Bearer <token>` (Salesforce also accepts the older `OAuth` scheme). */
export function bearerToken(req: IncomingMessage): string | undefined {
	const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return match?.[1];
}

/** Writes part of a streamed answer, waiting while the client is slower than the stand-in. */
export async function writePart(res: ServerResponse, text: string): Promise<void> {
	if (res.destroyed) throw new Error('the client went away');
	if (res.write(text)) return;
	await new Promise<void>((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}
