import { createHash, type Hash } from 'node:crypto';
import {
	createReadStream,
	createWriteStream,
	statSync,
	type ReadStream,
	type WriteStream,
} from 'node:fs';
import { unlink } from 'node:fs/promises';
import { TempDir } from '../../tempDir';

/**
 * Blob bytes (ContentVersion.VersionData, Attachment.Body, Document.Body) live in files, one per
 * record, in a directory of the stand-in's own that close() removes: a 200 MB or 2 GB upload is
 * streamed to disk and back, never held in memory. A row keeps only its blob's key. Checksums are
 * computed while the bytes pass (MD5 is ContentVersion.Checksum; SHA-256 is for tests).
 */

export interface BlobInfo {
	bytes: number;
	md5: string;
	sha256: string;
}

export interface StoredBlob extends BlobInfo {
	key: string;
	path: string;
}

/** Thrown by a writer when the bytes pass its limit (the caller answers with the object's own error). */
export class BlobTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`blob larger than ${limit} bytes`);
	}
}

/** Receives one blob's bytes; `done()` keeps the file, `discard()` deletes it. */
export class BlobWriter {
	private bytes = 0;
	private readonly md5: Hash = createHash('md5');
	private readonly sha256: Hash = createHash('sha256');
	private readonly out: WriteStream;
	private failed: Error | undefined;

	constructor(
		readonly key: string,
		readonly path: string,
		private readonly limit: number,
		private readonly store: BlobStore,
	) {
		this.out = createWriteStream(path);
		this.out.on('error', (error) => {
			this.failed = error;
		});
	}

	async write(chunk: Buffer): Promise<void> {
		if (this.failed) throw this.failed;
		this.bytes += chunk.length;
		if (this.bytes > this.limit) throw new BlobTooLargeError(this.limit);
		this.md5.update(chunk);
		this.sha256.update(chunk);
		if (!this.out.write(chunk))
			await new Promise<void>((resolve) => this.out.once('drain', resolve));
	}

	async done(): Promise<StoredBlob> {
		await new Promise<void>((resolve, reject) =>
			this.out.end((error?: Error | null) => (error ? reject(error) : resolve())),
		);
		if (this.failed) throw this.failed;
		const blob: StoredBlob = {
			key: this.key,
			path: this.path,
			bytes: this.bytes,
			md5: this.md5.digest('hex'),
			sha256: this.sha256.digest('hex'),
		};
		this.store.keep(blob);
		return blob;
	}

	async discard(): Promise<void> {
		this.out.destroy();
		await unlink(this.path).catch(() => undefined);
	}
}

export class BlobStore {
	private readonly dir = new TempDir('salesforce-standin-files-');
	private sequence = 0;
	private readonly blobs = new Map<string, StoredBlob>();

	writer(limit: number): BlobWriter {
		const key = `blob-${++this.sequence}`;
		return new BlobWriter(key, this.dir.path(key), limit, this);
	}

	async fromBuffer(bytes: Buffer, limit: number): Promise<StoredBlob> {
		const writer = this.writer(limit);
		try {
			await writer.write(bytes);
			return await writer.done();
		} catch (error) {
			await writer.discard();
			throw error;
		}
	}

	/** Called by a writer that finished. */
	keep(blob: StoredBlob): void {
		this.blobs.set(blob.key, blob);
	}

	get(key: string): StoredBlob | undefined {
		return this.blobs.get(key);
	}

	open(key: string): ReadStream {
		const blob = this.blobs.get(key);
		if (!blob) throw new Error(`no blob ${key}`);
		return createReadStream(blob.path);
	}

	async delete(key: string): Promise<void> {
		const blob = this.blobs.get(key);
		this.blobs.delete(key);
		if (blob) await unlink(blob.path).catch(() => undefined);
	}

	/** What the directory holds, finished blobs or not (an unfinished one has no checksums). */
	onDisk(): StoredBlob[] {
		return this.dir.list().map(
			(key) =>
				this.blobs.get(key) ?? {
					key,
					path: this.dir.path(key),
					bytes: statSync(this.dir.path(key)).size,
					md5: '',
					sha256: '',
				},
		);
	}

	/** Every stored file goes (resetData, close). */
	clear(): void {
		this.dir.clear();
		this.blobs.clear();
	}
}
