/**
 * File → Upload, Download, Get Many through n8n-core (its real binary data service, on disk and in
 * memory) against the stand-in: the bytes round trip, the request counts, the stream rebuilt after
 * a 401, a file over 2 GB refused before sending, an upload cut off part-way.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../../dev/salesforce-standin';
import { useStandin } from '../../../support/fixtures';
import {
	binaryFile,
	useFilesystemBinaryData,
	useMemoryBinaryData,
} from '../../../support/n8n-binary-data';
import { ensureN8nCoreContainer } from '../../../support/n8n-harness-core-setup';
import { failureOf, restRequests, runOperation } from './support';

const standin = useStandin();

/** Deterministic bytes that are not all alike. */
function bytesOf(size: number, seed = 7): Buffer {
	const bytes = Buffer.alloc(size);
	let state = seed;
	for (let index = 0; index < size; index++) {
		state = (state * 1103515245 + 12345) & 0x7fffffff;
		bytes[index] = state >>> 16;
	}
	return bytes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function bytesOfBinary(binary: IBinaryData): Promise<Buffer> {
	return await (
		ensureN8nCoreContainer().get(BinaryDataService) as unknown as {
			getAsBuffer(data: IBinaryData): Promise<Buffer>;
		}
	).getAsBuffer(binary);
}

async function itemWithFile(
	bytes: Buffer,
	fileName = 'contract.pdf',
	mimeType = 'application/pdf',
): Promise<INodeExecutionData> {
	return { json: {}, binary: { data: await binaryFile(bytes, fileName, mimeType) } };
}

const upload = (more: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	...more,
});
const download = (id: string) => ({
	resource: 'file',
	operation: 'download',
	contentVersionId: id,
});
const filesOf = (recordId: string) => ({ resource: 'file', operation: 'getAll', recordId });

function contentVersions(sf: SalesforceStandin) {
	return sf.records('ContentVersion');
}

describe("File operations, binary data on disk (n8n 2.x's filesystem mode)", () => {
	let restore: () => void = () => undefined;
	beforeEach(async () => {
		({ restore } = await useFilesystemBinaryData());
	});
	afterEach(() => restore());

	it('uploads a file linked to a record, lists it, and downloads the same bytes: 2 + 1 + 2 requests', async () => {
		const sf = standin();
		const [account] = sf.insertRecords('Account', [{ Name: 'With contract' }]);
		const bytes = bytesOf(3 * 1024 * 1024 + 17);
		sf.resetRecords();

		const uploaded = await runOperation(
			sf,
			upload({ linkedRecordId: account, title: 'Signed contract' }),
			{ items: [await itemWithFile(bytes)] },
		);
		expect(uploaded.json).toEqual([
			{
				contentVersionId: expect.stringMatching(/^068/),
				contentDocumentId: expect.stringMatching(/^069/),
				fileName: 'contract.pdf',
				size: bytes.length,
			},
		]);
		expect(restRequests(sf)).toEqual([
			'POST /services/data/v62.0/sobjects/ContentVersion',
			`GET /services/data/v62.0/sobjects/ContentVersion/${String(uploaded.json[0].contentVersionId)}`,
		]);
		const post = sf.requests.find(
			(request) => request.method === 'POST' && request.path.endsWith('/ContentVersion'),
		);
		expect(post?.streamed).toBe(true);
		expect(post?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(Number(post?.headers['content-length'])).toBeGreaterThan(bytes.length);
		const stored = sf
			.storedFiles()
			.find((file) => file.recordId === uploaded.json[0].contentVersionId);
		expect(stored?.sha256).toBe(sha256(bytes));
		expect(contentVersions(sf)[0]).toMatchObject({
			Title: 'Signed contract',
			PathOnClient: 'contract.pdf',
			FirstPublishLocationId: account,
		});

		sf.resetRecords();
		const listed = await runOperation(sf, filesOf(account));
		expect(listed.json).toEqual([
			expect.objectContaining({
				contentVersionId: uploaded.json[0].contentVersionId,
				contentDocumentId: uploaded.json[0].contentDocumentId,
				title: 'Signed contract',
				fileName: 'contract.pdf',
				fileExtension: 'pdf',
				size: bytes.length,
				versionNumber: '1',
			}),
		]);
		expect(restRequests(sf)).toHaveLength(1);

		sf.resetRecords();
		const downloaded = await runOperation(sf, download(String(uploaded.json[0].contentVersionId)));
		const binary = downloaded.output[0][0].binary?.data as IBinaryData;
		expect(binary).toMatchObject({
			fileName: 'contract.pdf',
			mimeType: 'application/pdf',
			id: expect.stringMatching(/^filesystem-v2:/),
		});
		expect(sha256(await bytesOfBinary(binary))).toBe(sha256(bytes));
		expect(downloaded.json[0]).toMatchObject({
			fileName: 'contract.pdf',
			mimeType: 'application/pdf',
			size: bytes.length,
		});
		expect(restRequests(sf)).toHaveLength(2);
	});

	it('a new version of a file: one request (the file id is known), and a download by file id reads the latest version', async () => {
		const sf = standin();
		const first = await runOperation(sf, upload(), {
			items: [await itemWithFile(Buffer.from('version one'), 'notes.txt', 'text/plain')],
		});
		const documentId = String(first.json[0].contentDocumentId);
		sf.resetRecords();
		const second = await runOperation(sf, upload({ contentDocumentId: documentId }), {
			items: [await itemWithFile(Buffer.from('version two!'), 'notes.txt', 'text/plain')],
		});
		expect(second.json[0]).toMatchObject({
			contentDocumentId: documentId,
			contentVersionId: expect.stringMatching(/^068/),
		});
		expect(restRequests(sf)).toEqual(['POST /services/data/v62.0/sobjects/ContentVersion']);

		const latest = await runOperation(sf, download(documentId));
		expect((await bytesOfBinary(latest.output[0][0].binary?.data as IBinaryData)).toString()).toBe(
			'version two!',
		);
		expect(latest.json[0]).toMatchObject({
			contentDocumentId: documentId,
			contentVersionId: second.json[0].contentVersionId,
			fileName: 'notes.txt',
		});
	});

	it('a session that expired before the upload: one login, the file stream built afresh, every byte stored', async () => {
		const sf = standin();
		const bytes = bytesOf(512 * 1024, 3);
		const items = [await itemWithFile(bytes, 'scan.png', 'image/png')];
		const { store } = await runOperation(sf, upload(), { items });
		sf.expireAllSessions();
		sf.resetRecords();
		const again = await runOperation(sf, upload(), { items, store });
		expect(again.json[0].contentVersionId).toMatch(/^068/);
		const stored = sf
			.storedFiles()
			.find((file) => file.recordId === again.json[0].contentVersionId);
		expect(stored).toMatchObject({ bytes: bytes.length, sha256: sha256(bytes) });
		expect(sf.loginCount).toBe(1);
		// The first attempt met the expired session (401); the second carried the whole file again.
		expect(
			restRequests(sf).filter(
				(line) => line.startsWith('POST') && line.endsWith('/ContentVersion'),
			),
		).toHaveLength(2);
	});

	it('an upload cut off part-way leaves no ContentVersion and no bytes behind, and says so', async () => {
		const sf = standin();
		const bytes = bytesOf(2 * 1024 * 1024, 5);
		sf.resetUploadsAfterBytes(256 * 1024, { times: 1 });
		const result = await runOperation(sf, upload(), {
			items: [await itemWithFile(bytes)],
			continueOnFail: true,
		});
		const error = failureOf(result);
		expect(error.message).toMatch(/uploading the file "contract\.pdf" failed/i);
		expect(error.description).toMatch(/stopped after \d+ of 2097152 bytes.*none was created/s);
		expect(contentVersions(sf)).toEqual([]);
		expect(sf.storedFiles()).toEqual([]);
	});

	it('refuses a file over 2 GB before sending anything', async () => {
		const sf = standin();
		const item = await itemWithFile(
			Buffer.from('small stand-in for a huge file'),
			'video.mp4',
			'video/mp4',
		);
		// The store's own record of the file's size is what the node reads.
		const metadataFile = findMetadataFile(String(item.binary?.data.id));
		const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
		writeFileSync(metadataFile, JSON.stringify({ ...metadata, fileSize: 2 * 1024 ** 3 + 1 }));
		sf.resetRecords();
		const error = failureOf(
			await runOperation(sf, upload(), { items: [item], continueOnFail: true }),
		);
		expect(error.message).toBe(
			'The file "video.mp4" is 2048.0 MB: Salesforce takes files of up to 2 GB (2048 MB)',
		);
		expect(restRequests(sf)).toEqual([]);
	});

	it('a missing binary field names the field and the item', async () => {
		const sf = standin();
		const items = [
			await itemWithFile(Buffer.from('x')),
			{
				json: {},
				binary: { attachment: (await itemWithFile(Buffer.from('y'))).binary?.data as IBinaryData },
			},
		];
		const result = await runOperation(sf, upload(), { items, continueOnFail: true });
		expect(result.json[0].contentVersionId).toMatch(/^068/);
		expect(result.json[1].error).toBe(
			'Input Binary Field: item 1 has no binary field "data" (it has "attachment")',
		);
		expect(result.json[1].errorDescription).toMatch(
			/Set Input Binary Field to the field that holds the file, e.g. "attachment"/,
		);
	});

	it('downloads an Attachment body by its id, named and typed from the record', async () => {
		const sf = standin();
		const [account] = sf.insertRecords('Account', [{ Name: 'With attachment' }]);
		const png = bytesOf(4096, 11);
		const attachmentId = await postAttachment(sf, account, png);
		sf.resetRecords();
		const downloaded = await runOperation(sf, download(attachmentId));
		expect(downloaded.output[0][0].binary?.data).toMatchObject({
			fileName: 'photo.png',
			mimeType: 'image/png',
		});
		expect(sha256(await bytesOfBinary(downloaded.output[0][0].binary?.data as IBinaryData))).toBe(
			sha256(png),
		);
		expect(restRequests(sf)).toEqual([
			`GET /services/data/v62.0/sobjects/Attachment/${attachmentId}`,
			`GET /services/data/v62.0/sobjects/Attachment/${attachmentId}/Body`,
		]);
	});

	it('refuses an id that is not of a file before sending', async () => {
		const sf = standin();
		const [account] = sf.insertRecords('Account', [{ Name: 'Not a file' }]);
		sf.resetRecords();
		const error = failureOf(await runOperation(sf, download(account), { continueOnFail: true }));
		expect(error.message).toBe(
			`File ID: "${account}" is not the id of a file, an Attachment or a Document`,
		);
		expect(restRequests(sf)).toEqual([]);
	});
});

describe("File operations, binary data in memory (n8n 1.x's default mode)", () => {
	beforeEach(() => useMemoryBinaryData());

	it('uploads from and downloads into base64 items: the same bytes', async () => {
		const sf = standin();
		const bytes = bytesOf(100_000, 9);
		const item = await itemWithFile(bytes, 'report.csv', 'text/csv');
		expect(item.binary?.data.id).toBeUndefined();
		const uploaded = await runOperation(sf, upload(), { items: [item] });
		expect(sf.storedFiles()[0]).toMatchObject({ bytes: bytes.length, sha256: sha256(bytes) });
		const downloaded = await runOperation(sf, download(String(uploaded.json[0].contentVersionId)));
		const binary = downloaded.output[0][0].binary?.data as IBinaryData;
		expect(binary.id).toBeUndefined();
		expect(Buffer.from(binary.data, 'base64').equals(bytes)).toBe(true);
		expect(binary).toMatchObject({ fileName: 'report.csv', mimeType: 'text/csv' });
	});
});

function findMetadataFile(binaryId: string): string {
	const [, fileId] = binaryId.split(':');
	const root = (
		ensureN8nCoreContainer().get(BinaryDataService) as unknown as {
			config: { localStoragePath: string };
		}
	).config.localStoragePath;
	const folder = join(root, fileId, '..');
	const name = readdirSync(folder).find(
		(entry) => entry.startsWith(fileId.split('/').pop() as string) && entry.endsWith('.metadata'),
	);
	if (!name) throw new Error(`no metadata file for ${binaryId} in ${folder}`);
	return join(folder, name);
}

async function postAttachment(
	sf: SalesforceStandin,
	parentId: string,
	bytes: Buffer,
): Promise<string> {
	const boundary = 'test-attachment-boundary';
	const body = Buffer.concat([
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="entity_attachment"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ Name: 'photo.png', ParentId: parentId, ContentType: 'image/png' })}\r\n`,
		),
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="Body"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`,
		),
		bytes,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	const token = await loginToken(sf);
	const response = await fetch(`${sf.url}/services/data/v62.0/sobjects/Attachment`, {
		method: 'POST',
		headers: {
			Authorization: `Bearer ${token}`,
			'Content-Type': `multipart/form-data; boundary=${boundary}`,
		},
		body,
	});
	return ((await response.json()) as { id: string }).id;
}

async function loginToken(sf: SalesforceStandin): Promise<string> {
	const response = await fetch(`${sf.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'password',
			client_id: sf.demo.consumerKey,
			client_secret: sf.demo.consumerSecret,
			username: sf.demo.username,
			password: sf.demo.password + sf.demo.securityToken,
		}),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}
