/**
 * n8n's binary data for in-process runs: n8n-core's real BinaryDataService, in one of the two ways
 * a node meets it — `filesystem` (n8n 2.x's default: files in a folder, `id` set, streams from
 * disk) or `memory` (n8n 1.x's default: base64 inside the item, no `id`). The harness leaves the
 * service uninitialised, which is `memory`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { ensureN8nCoreContainer } from './n8n-harness-core-setup';

/** What the helpers set on n8n-core's service (its `config` is private in its types). */
interface ServiceInternals {
	config: { mode: string; localStoragePath: string };
	managers: Record<string, unknown>;
	init(): Promise<void>;
}

function service(): ServiceInternals {
	return ensureN8nCoreContainer().get(BinaryDataService) as unknown as ServiceInternals;
}

/** Binary data on disk in a fresh folder (what N8N_DEFAULT_BINARY_DATA_MODE=filesystem does); returns the folder and an undo. */
export async function useFilesystemBinaryData(): Promise<{ folder: string; restore: () => void }> {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-harness-binary-'));
	const binaryData = service();
	binaryData.config.mode = 'filesystem';
	binaryData.config.localStoragePath = folder;
	await binaryData.init();
	return {
		folder,
		restore: () => {
			binaryData.managers = {};
			rmSync(folder, { recursive: true, force: true });
		},
	};
}

/** Binary data kept in the items as base64, no store (n8n 1.x's default mode). */
export function useMemoryBinaryData(): void {
	service().managers = {};
}

/**
 * A file as an earlier node hands it on: in the store (filesystem) or as base64 (memory), the way
 * n8n-core's prepareBinaryData keeps it in each mode.
 */
export async function binaryFile(
	bytes: Buffer | Readable,
	fileName: string,
	mimeType: string,
): Promise<IBinaryData> {
	const extension = fileName.includes('.') ? fileName.split('.').pop() : undefined;
	const entry: IBinaryData = {
		data: '',
		mimeType,
		fileName,
		...(extension ? { fileExtension: extension } : {}),
	};
	return await (ensureN8nCoreContainer().get(BinaryDataService) as unknown as BinaryStore).store(
		{ type: 'execution', workflowId: 'harness-workflow', executionId: 'earlier-node' },
		bytes,
		entry,
	);
}

interface BinaryStore {
	store(
		location: { type: 'execution'; workflowId: string; executionId: string },
		bytes: Buffer | Readable,
		entry: IBinaryData,
	): Promise<IBinaryData>;
}
