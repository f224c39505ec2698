import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { API, closeAll, connect } from './restSupport';
import { BOUNDARY, generatedBytes, MULTIPART_HEADERS } from './filesSupport';

/**
 * A 200 MB file through the stand-in and back: multipart upload streamed to disk, VersionData
 * streamed out. The stand-in runs in this process, so the process's memory while the bytes pass
 * is the stand-in's (plus this test's own streams, which hold one chunk at a time). A stand-in
 * that buffered the body would need 200 MB or more; the bound below is a third of that.
 */

afterEach(closeAll);

const SIZE = 200 * 1024 * 1024;
const BOUND_MB = 64;

interface Sampler {
	stop(): { baselineMb: number; peakMb: number };
}

/** Samples heap + array buffers (Buffers live outside the heap) while the transfer runs. */
function sampleMemory(): Sampler {
	const used = () => {
		const usage = process.memoryUsage();
		return usage.heapUsed + usage.arrayBuffers;
	};
	const baseline = used();
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, used());
	}, 5);
	return {
		stop() {
			clearInterval(timer);
			peak = Math.max(peak, used());
			return { baselineMb: baseline / 2 ** 20, peakMb: (peak - baseline) / 2 ** 20 };
		},
	};
}

function postStreamed(
	url: string,
	token: string,
	body: Readable,
): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{ method: 'POST', headers: { Authorization: `Bearer ${token}`, ...MULTIPART_HEADERS } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			},
		);
		req.on('error', reject);
		pipeline(body, req).catch(reject);
	});
}

it('carries a 200 MB ContentVersion up and down without holding it in memory', async () => {
	const { standin, api } = await connect();
	const file = generatedBytes(SIZE);
	const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ PathOnClient: 'large.bin', Title: 'Large' })}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="VersionData"; filename="large.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
	const body = Readable.from(
		(async function* () {
			yield Buffer.from(head);
			for await (const chunk of file.stream) yield chunk as Buffer;
			yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
		})(),
	);

	const upload = sampleMemory();
	const created = await postStreamed(
		`${standin.url}${API}/sobjects/ContentVersion`,
		api.token,
		body,
	);
	const up = upload.stop();
	expect(created.status).toBe(201);
	const id = (JSON.parse(created.text) as { id: string }).id;
	const sent = file.sha256();
	expect(standin.storedFiles()).toEqual([
		expect.objectContaining({ recordId: id, bytes: SIZE, sha256: sent }),
	]);

	const downloadSampler = sampleMemory();
	const response = await fetch(`${standin.url}${API}/sobjects/ContentVersion/${id}/VersionData`, {
		headers: { Authorization: `Bearer ${api.token}` },
	});
	expect(response.headers.get('content-length')).toBe(String(SIZE));
	const hash = createHash('sha256');
	let received = 0;
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		hash.update(chunk);
		received += chunk.length;
	}
	const down = downloadSampler.stop();
	expect(received).toBe(SIZE);
	expect(hash.digest('hex')).toBe(sent);

	// Printed for the record (not a timing): the memory the transfer added over the baseline.
	console.log(
		`200 MB through the stand-in: upload +${up.peakMb.toFixed(1)} MB, download +${down.peakMb.toFixed(1)} MB (heap + buffers; baseline ${up.baselineMb.toFixed(1)} MB)`,
	);
	expect(up.peakMb).toBeLessThan(BOUND_MB);
	expect(down.peakMb).toBeLessThan(BOUND_MB);
}, 120_000);
