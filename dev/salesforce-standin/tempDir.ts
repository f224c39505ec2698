import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory of the stand-in's own under the system's temporary directory, made on first use
 * and removed by clear() (resetData, close): where uploaded files and Bulk API job data live, so
 * volume never sits in memory.
 */
export class TempDir {
	private dir: string | undefined;

	constructor(private readonly prefix: string) {}

	/** A path for `name` inside the directory (created if needed). */
	path(name: string): string {
		this.dir ??= mkdtempSync(join(tmpdir(), this.prefix));
		return join(this.dir, name);
	}

	/** The names of the files it holds now. */
	list(): string[] {
		return this.dir ? readdirSync(this.dir) : [];
	}

	clear(): void {
		if (this.dir) rmSync(this.dir, { recursive: true, force: true });
		this.dir = undefined;
	}
}
