import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { resetConnection } from '../faults';

/**
 * An upload that breaks part-way: the next N streamed uploads (multipart files, Bulk CSV) have
 * their connection reset once `afterBytes` of the body arrived, as a dropped network would. The
 * stand-in then keeps nothing of them, which is what the tests of "no half-created record" need.
 */
export class UploadFaults {
	private afterBytes: number | undefined;
	private remaining: number | undefined;

	set(afterBytes: number | undefined, options: { times?: number } = {}): void {
		const times = options.times;
		this.afterBytes = times !== undefined && times <= 0 ? undefined : afterBytes;
		this.remaining = this.afterBytes === undefined ? undefined : times;
	}

	/** The request body to read: the request itself, or a stream that resets the connection at the fault's byte. */
	body(req: IncomingMessage): Readable {
		const limit = this.afterBytes;
		if (limit === undefined) return req;
		if (this.remaining !== undefined && --this.remaining <= 0) this.set(undefined);
		let received = 0;
		const cut = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				received += chunk.length;
				if (received < limit) return callback(null, chunk);
				// Even when the whole body had already arrived, the reader must see a failure, not an end.
				resetConnection(req.socket);
				callback(new Error(`upload reset by the stand-in after ${limit} bytes`));
			},
		});
		req.pipe(cut);
		req.once('error', (error) => cut.destroy(error));
		req.once('aborted', () => cut.destroy(new Error('upload reset by the stand-in')));
		return cut;
	}
}
