/**
 * The test's side of n8n's credentials table: what the harness's credentials helper
 * (n8n-harness-credentials.ts) reads and writes, and what tests inspect and edit. The harness's own
 * code, not a copy of n8n's.
 */
import { randomUUID } from 'node:crypto';

import { UserError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, INodeCredentialsDetails } from 'n8n-workflow';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** One write n8n made to a stored credential (a `credentialsRepository.update` in real n8n). */
export interface CredentialPersistence {
	id: string;
	type: string;
	/** The full data saved, as stored. */
	data: ICredentialDataDecryptedObject;
}

/**
 * Real n8n stores credential data as `encrypt(JSON.stringify(data))`, so whatever is persisted
 * comes back as its JSON round trip (Dates as strings, `undefined` keys gone). Copying through JSON
 * keeps that, and keeps test code from sharing objects with the store.
 */
function jsonCopy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

// Captured at load, so a test that installs jest fake timers later cannot stall the store.
const realSetImmediate = setImmediate;

/** The store answers asynchronously, like the database: concurrent executions interleave around it. */
async function databaseRoundTrip(): Promise<void> {
	await new Promise<void>((resolve) => realSetImmediate(resolve));
}

/**
 * What n8n's credentials table is for the harness: shared by every run given the same store, so a
 * second execution sees the token the first one persisted. Test code reads and edits it with the
 * synchronous methods; n8n's side (the helper) uses `load`/`persist`, which count and record.
 */
export class CredentialStore {
	private readonly credentials = new Map<string, StoredCredential>();

	/** Every write n8n made, in order. */
	readonly persisted: CredentialPersistence[] = [];

	/** How many times n8n wrote a credential (after preAuthentication, OAuth token updates). */
	get updates(): number {
		return this.persisted.length;
	}

	/** How many times n8n read a credential (each `getCredentials`, each persist's re-read). */
	reads = 0;

	constructor(credentials: StoredCredential[] = []) {
		for (const credential of credentials) this.add(credential);
	}

	add(credential: StoredCredential): void {
		if (this.credentials.has(credential.id)) {
			throw new Error(`CredentialStore already holds a credential with id "${credential.id}"`);
		}
		this.credentials.set(credential.id, jsonCopy(credential));
	}

	has(id: string): boolean {
		return this.credentials.has(id);
	}

	/** A copy of the stored credential; edit it with `patchData`/`replaceData`. */
	get(id: string): StoredCredential | undefined {
		const credential = this.credentials.get(id);
		return credential ? jsonCopy(credential) : undefined;
	}

	/** A copy of the stored data; throws when there is no such credential. */
	getData(id: string): ICredentialDataDecryptedObject {
		return this.require(id).data;
	}

	/** Test-side edit (e.g. to plant an expired token); not counted in `updates`. */
	patchData(id: string, changes: ICredentialDataDecryptedObject): void {
		const credential = this.credentials.get(id);
		if (!credential) throw new Error(`CredentialStore has no credential with id "${id}"`);
		credential.data = jsonCopy({ ...credential.data, ...changes });
	}

	/** Test-side edit; not counted in `updates`. */
	replaceData(id: string, data: ICredentialDataDecryptedObject): void {
		const credential = this.credentials.get(id);
		if (!credential) throw new Error(`CredentialStore has no credential with id "${id}"`);
		credential.data = jsonCopy(data);
	}

	private require(id: string): StoredCredential {
		const credential = this.get(id);
		if (!credential) throw new Error(`CredentialStore has no credential with id "${id}"`);
		return credential;
	}

	/**
	 * n8n's read (`CredentialsHelper.getCredentialsEntity`): errors as the CLI's
	 * `CredentialMissingIdError` / `CredentialNotFoundError` word them.
	 */
	async load(nodeCredential: INodeCredentialsDetails, type: string): Promise<StoredCredential> {
		await databaseRoundTrip();
		this.reads++;
		if (!nodeCredential.id) {
			throw new UserError('Found credential with no ID.', {
				extra: { credentialName: nodeCredential.name },
				tags: { credentialType: type },
			});
		}
		const credential = this.credentials.get(nodeCredential.id);
		if (!credential || credential.type !== type) {
			throw new UserError(
				`Credential with ID "${nodeCredential.id}" does not exist for type "${type}".`,
			);
		}
		return jsonCopy(credential);
	}

	/** n8n's write (`credentialsRepository.update`). */
	async persist(id: string, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		await databaseRoundTrip();
		const credential = this.credentials.get(id);
		if (!credential || credential.type !== type) {
			throw new UserError(`Credential with ID "${id}" does not exist for type "${type}".`);
		}
		credential.data = jsonCopy(data);
		this.persisted.push({ id, type, data: jsonCopy(data) });
	}
}

/** An id for a credential the harness saves on a test's behalf (as the editor saves before "Test"). */
export function newCredentialId(): string {
	return randomUUID();
}
