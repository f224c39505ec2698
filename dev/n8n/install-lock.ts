import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface InstallLockOptions {
	log: (line: string) => void;
	/** What the lock protects, for the waiting message ("installing the n8n runtime"). */
	activity?: string;
	/** Give up waiting for another installer after this long. */
	timeoutMs?: number;
}

interface LockOwner {
	pid: number;
	host: string;
	since: string;
}

function readOwner(lockFile: string): LockOwner | undefined {
	try {
		return JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner;
	} catch {
		return undefined;
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function tryCreate(lockFile: string): boolean {
	try {
		// 'wx' fails when the file exists: creating it is the atomic "take the lock".
		const fd = openSync(lockFile, 'wx');
		const owner: LockOwner = {
			pid: process.pid,
			host: hostname(),
			since: new Date().toISOString(),
		};
		writeSync(fd, JSON.stringify(owner));
		closeSync(fd);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/**
 * Runs `work` while holding an exclusive lock file, so two processes (two jest workers, `npm start`
 * beside `npm test`) never install into the same cache folder at once. A lock left by a process that
 * died (same host, pid gone) is broken; one held by a live process is waited for.
 */
export async function withInstallLock<T>(
	lockFile: string,
	options: InstallLockOptions,
	work: () => Promise<T>,
): Promise<T> {
	const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
	let lastNotice = 0;
	while (!tryCreate(lockFile)) {
		const owner = readOwner(lockFile);
		if (owner && owner.host === hostname() && !isAlive(owner.pid)) {
			options.log(`Removing a stale install lock left by process ${owner.pid}.`);
			try {
				unlinkSync(lockFile);
			} catch {
				// Someone else broke it first.
			}
			continue;
		}
		if (Date.now() > deadline) {
			throw new Error(
				`Timed out waiting for the install lock ${lockFile} (held by ${JSON.stringify(owner)}). ` +
					'If no other install is running, delete that file and try again.',
			);
		}
		if (Date.now() - lastNotice > 15_000) {
			lastNotice = Date.now();
			options.log(
				`Another process (${owner ? `pid ${owner.pid}` : 'unknown'}) is ${options.activity ?? 'installing the n8n runtime'}; waiting for it…`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
	try {
		return await work();
	} finally {
		try {
			unlinkSync(lockFile);
		} catch {
			// Already gone: nothing to release.
		}
	}
}
