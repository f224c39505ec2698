import { Writable } from 'node:stream';

/**
 * A streaming multipart/form-data parser (RFC 7578 over RFC 2046 framing), so a 2 GB upload goes
 * from the socket to a file without the stand-in holding more than a chunk of it. Each part's
 * headers are parsed, then its bytes are handed to the sink the caller chooses for that part.
 * Broken framing (no first boundary, oversized or malformed part headers, a body that ends before
 * the closing boundary) does not throw: the parser records the problem, ignores the rest and lets
 * the caller answer once the request is read, as a server does. A sink that throws (a file over
 * its size limit) fails the stream.
 */

export interface PartHeaders {
	/** Content-Disposition's `name`. */
	name: string;
	/** Content-Disposition's `filename`, when the part is a file. */
	filename?: string;
	/** The part's media type, lower case, without parameters ('' when absent). */
	contentType: string;
}

export interface PartSink {
	write(chunk: Buffer): void | Promise<void>;
	end(): void | Promise<void>;
}

export type PartHandler = (headers: PartHeaders, index: number) => PartSink;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary from a multipart Content-Type, or undefined when it is not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
	const [mediaType, ...parameters] = (contentType ?? '').split(';');
	if (mediaType.trim().toLowerCase() !== 'multipart/form-data') return undefined;
	for (const parameter of parameters) {
		const match = /^\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))\s*$/i.exec(parameter);
		if (match) return match[1] ?? match[2];
	}
	return undefined;
}

function parseHeaders(block: string): PartHeaders | undefined {
	const headers = new Map<string, string>();
	for (const line of block.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon <= 0) return undefined;
		headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	const disposition = headers.get('content-disposition') ?? '';
	if (!/^form-data\b/i.test(disposition)) return undefined;
	const parameter = (key: string) =>
		new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(disposition);
	const name = parameter('name');
	if (!name) return undefined;
	const filename = parameter('filename');
	return {
		name: name[1] ?? name[2],
		...(filename ? { filename: filename[1] ?? filename[2] } : {}),
		contentType: (headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase(),
	};
}

export class MultipartParser extends Writable {
	/** Set when the framing is broken; the rest of the body is ignored. */
	failure: string | undefined;
	/** Parts whose headers were read. */
	parts = 0;

	private state: 'preamble' | 'headers' | 'body' | 'after-delimiter' | 'done' = 'preamble';
	private pending: Buffer = Buffer.alloc(0);
	private sink: PartSink | undefined;
	private readonly opening: Buffer;
	private readonly delimiter: Buffer;

	constructor(
		boundary: string,
		private readonly onPart: PartHandler,
	) {
		super();
		this.opening = Buffer.from(`--${boundary}`);
		this.delimiter = Buffer.from(`\r\n--${boundary}`);
	}

	/** True once the closing boundary was read (a body that stops before it is truncated). */
	get complete(): boolean {
		return this.state === 'done';
	}

	override _write(
		chunk: Buffer,
		_encoding: BufferEncoding,
		callback: (error?: Error | null) => void,
	): void {
		this.consume(chunk).then(() => callback(), callback);
	}

	override _final(callback: (error?: Error | null) => void): void {
		if (this.state !== 'done' && !this.failure)
			this.failure = 'the body ended before the closing boundary';
		callback();
	}

	private fail(reason: string): void {
		this.failure ??= reason;
		this.state = 'done';
		this.pending = Buffer.alloc(0);
	}

	private async consume(chunk: Buffer): Promise<void> {
		if (this.state === 'done') return;
		this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		for (;;) {
			if (this.state === 'preamble') {
				// The first boundary may open the body or follow a preamble line.
				const at = this.pending.indexOf(this.opening);
				if (at < 0 || this.pending.length < at + this.opening.length + 2) {
					if (this.pending.length > MAX_HEADER_BYTES) this.fail('no opening boundary');
					return;
				}
				this.pending = this.pending.subarray(at + this.opening.length);
				this.state = 'after-delimiter';
			} else if (this.state === 'after-delimiter') {
				if (this.pending.length < 2) return;
				if (this.pending[0] === 0x2d && this.pending[1] === 0x2d) {
					this.state = 'done';
					this.pending = Buffer.alloc(0);
					return;
				}
				const lineEnd = this.pending.indexOf(CRLF);
				if (lineEnd < 0) {
					if (this.pending.length > 256) this.fail('a boundary is not followed by a line break');
					return;
				}
				// Transport padding (spaces, tabs) may follow a boundary.
				if (!/^[ \t]*$/.test(this.pending.subarray(0, lineEnd).toString('latin1')))
					return this.fail('a boundary is followed by other text');
				this.pending = this.pending.subarray(lineEnd + 2);
				this.state = 'headers';
			} else if (this.state === 'headers') {
				const end = this.pending.indexOf(HEADER_END);
				if (end < 0) {
					if (this.pending.length > MAX_HEADER_BYTES) this.fail('part headers too large');
					return;
				}
				const headers = parseHeaders(this.pending.subarray(0, end).toString('utf8'));
				if (!headers) return this.fail('a part without a form-data Content-Disposition and name');
				this.pending = this.pending.subarray(end + HEADER_END.length);
				this.sink = this.onPart(headers, this.parts++);
				this.state = 'body';
			} else {
				const sink = this.sink as PartSink;
				const at = this.pending.indexOf(this.delimiter);
				if (at < 0) {
					// Keep what could be the start of a delimiter split across chunks.
					const safe = this.pending.length - (this.delimiter.length - 1);
					if (safe > 0) {
						await sink.write(this.pending.subarray(0, safe));
						this.pending = this.pending.subarray(safe);
					}
					return;
				}
				if (at > 0) await sink.write(this.pending.subarray(0, at));
				await sink.end();
				this.sink = undefined;
				this.pending = this.pending.subarray(at + this.delimiter.length);
				this.state = 'after-delimiter';
			}
		}
	}
}
