import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { API, type Rest } from './restSupport';

/** Building multipart bodies (REST API Guide, Insert or Update Blob Data) for the stand-in's file tests. */

export const BOUNDARY = 'standin_boundary_9f3e';

export interface Part {
	name: string;
	filename?: string;
	type: string;
	body: Buffer | string;
}

function partHead(part: Omit<Part, 'body'>, first: boolean): string {
	const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
	return `${first ? '' : '\r\n'}--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${part.type}\r\n\r\n`;
}

export function multipartBody(parts: Part[], close = true): Buffer {
	const chunks: Buffer[] = [];
	parts.forEach((part, index) =>
		chunks.push(Buffer.from(partHead(part, index === 0)), Buffer.from(part.body)),
	);
	if (close) chunks.push(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
	return Buffer.concat(chunks);
}

/** The usual ContentVersion upload: the JSON part, then VersionData. */
export function versionParts(
	fields: Record<string, unknown>,
	bytes: Buffer | string,
	filename = String(fields.PathOnClient ?? 'file.bin'),
): Part[] {
	return [
		{ name: 'entity_content', type: 'application/json', body: JSON.stringify(fields) },
		{ name: 'VersionData', filename, type: 'application/octet-stream', body: bytes },
	];
}

export const MULTIPART_HEADERS = { 'Content-Type': `multipart/form-data; boundary="${BOUNDARY}"` };

export function uploadVersion(api: Rest, fields: Record<string, unknown>, bytes: Buffer | string) {
	return api.call(
		'POST',
		'sobjects/ContentVersion',
		multipartBody(versionParts(fields, bytes)),
		MULTIPART_HEADERS,
	);
}

/**
 * `size` deterministic pseudo-random bytes, made as they are read (a large upload never exists in
 * memory in the test either). `hash` is filled in as the bytes go out.
 */
export function generatedBytes(
	size: number,
	chunkSize = 256 * 1024,
): { stream: Readable; sha256: () => string } {
	const hash = createHash('sha256');
	let sent = 0;
	let seed = 0x2545f491;
	const stream = new Readable({
		read() {
			if (sent >= size) return void this.push(null);
			const chunk = Buffer.allocUnsafe(Math.min(chunkSize, size - sent));
			for (let i = 0; i + 4 <= chunk.length; i += 4) {
				seed ^= seed << 13;
				seed ^= seed >>> 17;
				seed ^= seed << 5;
				chunk.writeInt32LE(seed | 0, i);
			}
			chunk.fill(7, chunk.length - (chunk.length % 4));
			sent += chunk.length;
			hash.update(chunk);
			this.push(chunk);
		},
	});
	return { stream, sha256: () => hash.digest('hex') };
}

export function sha256(bytes: Buffer | string): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export function md5(bytes: Buffer | string): string {
	return createHash('md5').update(bytes).digest('hex');
}

export const versionDataUrl = (id: string) => `${API}/sobjects/ContentVersion/${id}/VersionData`;
