/**
 * The volume scenarios of `npm run bench` (issue 15): what Files and Bulk API 2.0 cost in API
 * requests and in the n8n process's memory, in real n8n (binary data on disk, n8n 2.x's default)
 * against the stand-in. Each workflow is
 *
 *   Webhook (answers when the last node is done) → <steps> → Limit (1 item: a small answer)
 *
 * and differs from its comparison only in the step:
 * (f) a 200 MB file — Upload (Read/Write Files reads it, Salesforce Action uploads it) vs the same
 *     workflow without the upload; Download (Salesforce Action into n8n's binary data) vs n8n's
 *     Read/Write Files node storing the same file;
 * (g) create 100,000 Accounts from a Code node — Record → Create, API Automatic (one Bulk API 2.0
 *     job) vs API sObject Collections vs a No Operation node passing the same items; n8n's built-in
 *     Salesforce node sends one request per item (scenario d measures it), so 100,000 here;
 * (h) query 1,000,000 Leads — Run SOQL as a Bulk query job vs REST paging (Return All).
 *
 * Memory: the n8n main process's peak resident set during the run, its high-water mark reset
 * before each run (Linux: `5` into /proc/<pid>/clear_refs), minus what it held before — the
 * memory the run added. Never asserted: printed beside its comparison, with the issue's targets.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { CREDENTIAL_TYPE, SALESFORCE_ACTION_TYPE } from '../demo-workflow';
import { newId, type N8nServer, type WorkflowToImport } from '../n8n/cli';
import { chain, webhookNode, type NodeSpec } from '../n8n/workflow-builder';
import type { SalesforceStandin } from '../salesforce-standin';
import { countRequests } from './measure';
import { whenReady } from './n8n';
import type { Table } from './report';
import type { CredentialRef } from './workflows';

export type VolumeKey = 'f' | 'g' | 'h';
export const VOLUME_KEYS: VolumeKey[] = ['f', 'g', 'h'];

export const VOLUME_FILE = 'bench-200mb.bin';
export const QUERY_VOLUME_SOBJECT = 'Lead';

export interface VolumeInputs {
	credential: CredentialRef;
	packageTypeVersion: number;
	/** Where the 200 MB file is (n8n may read and write files only there). */
	filesFolder: string;
	fileBytes: number;
	bulkItems: number;
	queryRecords: number;
}

interface VolumeVariant {
	scenario: VolumeKey;
	key: string;
	label: string;
	webhookPath: string;
	workflow: WorkflowToImport;
	/** The webhook's body (the id of the file to download). */
	body?: () => Record<string, unknown>;
}

export interface VolumeRow {
	scenario: VolumeKey;
	key: string;
	label: string;
	apiRequests: number;
	/** MB the n8n process's resident set rose above what it held before the run, at its peak. */
	peakIncreaseMb: number;
	peakMb: number;
	wallMs: number;
}

function workflow(name: string, webhookPath: string, steps: NodeSpec[]): WorkflowToImport {
	const trigger = webhookNode(webhookPath, 'Webhook', 'POST');
	const limit: NodeSpec = {
		name: 'One Item',
		type: 'n8n-nodes-base.limit',
		typeVersion: 1,
		parameters: { maxItems: 1 },
	};
	return { ...chain(name, [trigger, ...steps, limit]), id: newId() };
}

export function volumeVariants(
	inputs: VolumeInputs,
	wanted: (key: VolumeKey) => boolean,
): VolumeVariant[] {
	const action = (name: string, parameters: Record<string, unknown>): NodeSpec =>
		({
			name,
			type: SALESFORCE_ACTION_TYPE,
			typeVersion: inputs.packageTypeVersion,
			parameters,
			credentials: {
				[CREDENTIAL_TYPE]: { id: inputs.credential.id, name: inputs.credential.name },
			},
		}) as NodeSpec;
	const readFile: NodeSpec = {
		name: 'Read File',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1.1,
		parameters: {
			operation: 'read',
			fileSelector: join(inputs.filesFolder, VOLUME_FILE),
			options: {},
		},
	};
	const accounts: NodeSpec = {
		name: 'Accounts',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			jsCode: `return Array.from({ length: ${inputs.bulkItems} }, (_, n) => ({ json: { Name: 'Volume Account ' + n, NumberOfEmployees: n % 500 } }));`,
		},
	};
	const create = (api: string) =>
		action('Create', {
			resource: 'record',
			operation: 'create',
			sobject: { __rl: true, mode: 'name', value: 'Account' },
			columns: { mappingMode: 'autoMapInputData', value: null },
			options: { api },
		});
	const query = (useBulkApi: boolean) =>
		action('Run SOQL', {
			resource: 'query',
			operation: 'soql',
			query: `SELECT Id, LastName, Company FROM ${QUERY_VOLUME_SOBJECT}`,
			returnAll: true,
			options: { useBulkApi },
		});
	const variants: VolumeVariant[] = [];
	const add = (
		scenario: VolumeKey,
		key: string,
		label: string,
		steps: NodeSpec[],
		body?: () => Record<string, unknown>,
	) => {
		const webhookPath = `bench-volume-${key}`;
		variants.push({
			scenario,
			key,
			label,
			webhookPath,
			workflow: workflow(`Bench volume: ${label}`, webhookPath, steps),
			body,
		});
	};
	const size = `${Math.round(inputs.fileBytes / 1024 ** 2)} MB`;
	if (wanted('f')) {
		add('f', 'read', `Read/Write Files stores the ${size} file (no upload)`, [readFile]);
		add('f', 'upload', 'Read/Write Files + File → Upload (streamed multipart)', [
			readFile,
			action('Upload', { resource: 'file', operation: 'upload', binaryPropertyName: 'data' }),
		]);
		add('f', 'download', "File → Download into n8n's binary data", [
			action('Download', {
				resource: 'file',
				operation: 'download',
				contentVersionId: '={{ $json.body.id }}',
				binaryPropertyName: 'data',
			}),
		]);
	}
	if (wanted('g')) {
		add('g', 'noop', `Code → No Operation (${inputs.bulkItems.toLocaleString('en-US')} items)`, [
			accounts,
			{ name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
		]);
		add('g', 'bulk', 'Code → Record → Create, API Automatic (Bulk API 2.0)', [
			accounts,
			create('auto'),
		]);
		add('g', 'collections', 'Code → Record → Create, API sObject Collections', [
			accounts,
			create('collections'),
		]);
	}
	if (wanted('h')) {
		add('h', 'bulkQuery', 'Run SOQL, Use Bulk API', [query(true)]);
		add('h', 'restQuery', 'Run SOQL, REST paging (Return All)', [query(false)]);
	}
	return variants;
}

/** The 200 MB file, written in 1 MB pieces of random bytes (so no compression helps anyone). */
export function writeVolumeFile(folder: string, bytes: number): string {
	const path = join(folder, VOLUME_FILE);
	const fd = openSync(path, 'w');
	try {
		const piece = randomBytes(1024 * 1024);
		for (let written = 0; written < bytes; written += piece.length)
			writeSync(fd, piece, 0, Math.min(piece.length, bytes - written));
	} finally {
		closeSync(fd);
	}
	return path;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
		readFileSync(`/proc/${pid}/status`, 'utf8'),
	);
	if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
	return Number(match[1]);
}

/** The process and every process below it (n8n's launcher starts the real n8n, which starts the task runner). */
function processTree(root: number): number[] {
	const parents = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// The process ended meanwhile.
		}
	}
	const tree = [root];
	for (let index = 0; index < tree.length; index++)
		for (const [pid, parent] of parents) if (parent === tree[index]) tree.push(pid);
	return tree;
}

/** n8n's main process: the largest in the server's tree that is not the task runner (which runs Code nodes). */
export function n8nMainProcess(root: number): number {
	let best = root;
	let bestRss = -1;
	for (const pid of processTree(root)) {
		try {
			if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('task-runner')) continue;
			const rss = statusKb(pid, 'VmRSS');
			if (rss > bestRss) [best, bestRss] = [pid, rss];
		} catch {
			// Gone meanwhile.
		}
	}
	return best;
}

/** Resets the process's peak resident set to its current one (Linux ≥ 4.0; needs the right to write there). */
function resetPeak(pid: number): void {
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

async function runOnce(server: N8nServer, variant: VolumeVariant): Promise<number> {
	const started = performance.now();
	const response = await fetch(`${server.apiUrl}/webhook/${variant.webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(variant.body?.() ?? {}),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(
			`${variant.label}: the webhook answered ${response.status}: ${text.slice(0, 300)} (n8n's log: ${server.logFile})`,
		);
	return performance.now() - started;
}

export interface VolumeContext {
	server: N8nServer;
	standin: SalesforceStandin;
	log: (line: string) => void;
}

/** Runs each variant once (after a warm-up of the file scenario's reader), measuring requests and memory. */
export async function measureVolume(
	context: VolumeContext,
	variants: VolumeVariant[],
): Promise<VolumeRow[]> {
	const { server, standin, log } = context;
	if (server.process.pid === undefined)
		throw new Error('n8n has no process id: cannot read its memory');
	const pid = n8nMainProcess(server.process.pid);
	log(
		`  n8n's main process: ${pid} (${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 3).join(' ')})`,
	);
	const rows: VolumeRow[] = [];
	let uploadedId: string | undefined;
	for (const variant of variants) {
		if (variant.key === 'download') variant.body = () => ({ id: uploadedId });
		if (variant.key === 'read')
			await whenReady(
				server,
				'a warm-up of the file reader',
				async () => await runOnce(server, variant),
				log,
			);
		standin.resetRecords();
		const before = statusKb(pid, 'VmRSS');
		resetPeak(pid);
		const wallMs = await whenReady(
			server,
			`the volume run ${variant.key}`,
			async () => await runOnce(server, variant),
			log,
		);
		const peak = statusKb(pid, 'VmHWM');
		const counts = countRequests(standin);
		if (variant.key === 'upload')
			uploadedId = String(standin.records('ContentVersion').at(-1)?.Id ?? '');
		const row: VolumeRow = {
			scenario: variant.scenario,
			key: variant.key,
			label: variant.label,
			apiRequests: counts.apiRequests,
			peakIncreaseMb: Math.max(0, peak - before) / 1024,
			peakMb: peak / 1024,
			wallMs,
		};
		rows.push(row);
		log(
			`  ${variant.key.padEnd(12)} ${(wallMs / 1000).toFixed(1).padStart(7)} s  API requests ${String(row.apiRequests).padStart(4)}  peak +${row.peakIncreaseMb.toFixed(0)} MB (peak ${row.peakMb.toFixed(0)} MB)`,
		);
	}
	return rows;
}

function mb(value: number): string {
	return `${value.toFixed(0)} MB`;
}

function find(rows: VolumeRow[], key: string): VolumeRow | undefined {
	return rows.find((row) => row.key === key);
}

/** The table: each row beside its comparison, requests and memory with ratios. */
export function volumeTable(
	rows: VolumeRow[],
	inputs: Pick<VolumeInputs, 'fileBytes' | 'bulkItems' | 'queryRecords'>,
): Table {
	const comparison: Record<string, string> = {
		upload: 'read',
		download: 'read',
		bulk: 'noop',
		collections: 'noop',
		restQuery: 'bulkQuery',
	};
	const header = [
		'Scenario',
		'Variant',
		'API requests',
		'Peak memory added',
		'vs',
		'Peak RSS',
		'Wall time',
	];
	const body = rows.map((row) => {
		const base = find(rows, comparison[row.key] ?? '');
		const ratio =
			base && base.peakIncreaseMb > 0
				? `${(row.peakIncreaseMb / base.peakIncreaseMb).toFixed(2)}× ${base.key}`
				: '—';
		return [
			row.scenario,
			row.label,
			row.apiRequests.toLocaleString('en-US'),
			mb(row.peakIncreaseMb),
			ratio,
			mb(row.peakMb),
			`${(row.wallMs / 1000).toFixed(1)} s`,
		];
	});
	if (find(rows, 'bulk'))
		body.push([
			'g',
			`n8n's built-in Salesforce node (1 request per item, measured in d)`,
			inputs.bulkItems.toLocaleString('en-US'),
			'—',
			'—',
			'—',
			'—',
		]);
	return { headers: header, rows: body, numeric: [2, 3, 5, 6] };
}

/** The issue's targets, met or not, in words. */
export function volumeTargets(rows: VolumeRow[]): string[] {
	const lines: string[] = [];
	const [read, upload, download] = ['read', 'upload', 'download'].map((key) => find(rows, key));
	if (read && upload) {
		const added = upload.peakIncreaseMb - read.peakIncreaseMb;
		lines.push(
			`${added < 64 ? 'MET ' : 'MISS'} the upload adds ${mb(added)} of peak memory over the same workflow without it (target < 64 MB); ${upload.apiRequests} requests`,
		);
	}
	if (read && download) {
		const gap = download.peakIncreaseMb - read.peakIncreaseMb;
		lines.push(
			`${gap <= 64 ? 'MET ' : 'MISS'} download peaks ${mb(gap)} above Read/Write Files storing the same file (target within 64 MB); ${download.apiRequests} requests`,
		);
	}
	const [noop, bulk, collections] = ['noop', 'bulk', 'collections'].map((key) => find(rows, key));
	if (bulk) {
		lines.push(
			`${bulk.apiRequests <= 10 ? 'MET ' : 'MISS'} Bulk create: ${bulk.apiRequests} API requests (target ≤ 10; Collections: ${collections?.apiRequests ?? '—'})`,
		);
		if (noop) {
			const ratio = bulk.peakMb / noop.peakMb;
			lines.push(
				`${ratio <= 1.5 ? 'MET ' : 'MISS'} Bulk create peak RSS ${mb(bulk.peakMb)} = ${ratio.toFixed(2)}× the No Operation workflow's ${mb(noop.peakMb)} (target ≤ 1.5×)`,
			);
		}
	}
	const [bulkQuery, restQuery] = ['bulkQuery', 'restQuery'].map((key) => find(rows, key));
	if (bulkQuery)
		lines.push(
			`${bulkQuery.apiRequests <= 25 ? 'MET ' : 'MISS'} Bulk query: ${bulkQuery.apiRequests} API requests (target ≤ 25; REST paging: ${restQuery?.apiRequests ?? '—'})`,
		);
	return lines;
}
