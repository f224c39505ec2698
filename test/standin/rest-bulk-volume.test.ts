import { API, closeAll, connect, type Rest } from './restSupport';
import { bulk } from './bulkSupport';

/**
 * The benchmark's volumes through the stand-in: a 100,000-record ingest job and a 1,000,000-record
 * query job (synthetic rows). Printed, not asserted as timings: how long and how much memory the
 * stand-in (this process) needed. What is asserted is that every record comes through.
 */

afterEach(closeAll);

/** Reads a CSV answer as a stream, counting its lines and keeping only the first two. */
async function streamLines(
	api: Rest,
	path: string,
): Promise<{ headers: Headers; lines: number; head: string[] }> {
	const response = await fetch(`${api.url}${API}/${path}`, {
		headers: { Authorization: `Bearer ${api.token}` },
	});
	expect(response.status).toBe(200);
	let lines = 0;
	let head = '';
	const decoder = new TextDecoder();
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		if (head.length < 1000) head += decoder.decode(chunk, { stream: true });
		for (const byte of chunk) if (byte === 0x0a) lines++;
	}
	return { headers: response.headers, lines, head: head.split('\n').slice(0, 2) };
}

const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;

it('runs a 100,000-record insert job: every record written, results for each', async () => {
	const { standin, api } = await connect({ seedData: false });
	const calls = bulk(api);
	const rows = Array.from(
		{ length: 100_000 },
		(_, index) => `"Account ${index}",555-${index},Energy,${index % 1000}`,
	);
	const started = Date.now();
	const before = heapMb();
	const { id, info } = await calls.ingest(
		{ object: 'Account', operation: 'insert' },
		`Name,Phone,Industry,NumberOfEmployees\n${rows.join('\n')}\n`,
	);
	expect(info.body).toMatchObject({
		state: 'JobComplete',
		numberRecordsProcessed: 100_000,
		numberRecordsFailed: 0,
	});
	const results = await streamLines(api, `jobs/ingest/${id}/successfulResults/`);
	expect(results.lines).toBe(100_001);
	expect(standin.records('Account')).toHaveLength(100_000);
	console.log(
		`100,000-record Bulk insert: ${Date.now() - started} ms in the stand-in, heap ${before.toFixed(0)} -> ${heapMb().toFixed(0)} MB (the rows themselves included)`,
	);
}, 120_000);

it('serves a 1,000,000-record query job from synthetic rows, page by page', async () => {
	const { standin, api } = await connect({ seedData: false });
	const seeded = standin.seedSyntheticRecords('Account', 1_000_000, (index) => ({
		Name: `Synthetic ${index}`,
		NumberOfEmployees: index % 500,
	}));
	expect(seeded.idOf(0)).toMatch(/^001zzA[0-9]{9}[A-Z0-5]{3}$/);
	expect(standin.apiRequestCount).toBe(0);
	const before = heapMb();
	let peak = before;
	const started = Date.now();
	const { body: job } = await bulk(api).createQuery({
		operation: 'query',
		query: 'SELECT Id, Name, NumberOfEmployees FROM Account',
	});
	expect((await bulk(api).waitFor('query', job.id)).body).toMatchObject({
		state: 'JobComplete',
		numberRecordsProcessed: 1_000_000,
	});
	let locator = '';
	let records = 0;
	let pages = 0;
	do {
		const page = await streamLines(
			api,
			`jobs/query/${job.id}/results?maxRecords=250000${locator ? `&locator=${locator}` : ''}`,
		);
		peak = Math.max(peak, heapMb());
		if (pages === 0)
			expect(page.head).toEqual([
				'"Id","Name","NumberOfEmployees"',
				`"${seeded.idOf(0)}","Synthetic 0","0"`,
			]);
		expect(Number(page.headers.get('sforce-numberofrecords'))).toBe(page.lines - 1);
		records += page.lines - 1;
		pages++;
		locator = page.headers.get('sforce-locator') as string;
	} while (locator !== 'null');
	expect({ records, pages }).toEqual({ records: 1_000_000, pages: 4 });
	console.log(
		`1,000,000-record Bulk query: ${pages} pages in ${Date.now() - started} ms; heap ${before.toFixed(0)} MB, at most ${peak.toFixed(0)} MB while serving`,
	);
	// The same rows answer REST too: a query's cursor holds handles and renders a page at a time.
	const rest = await api.query('SELECT Id, Name FROM Account');
	expect(rest.body).toMatchObject({
		totalSize: 1_000_000,
		done: false,
		records: expect.any(Array),
	});
	expect(rest.body.records).toHaveLength(2000);
	const next = await api.get(rest.body.nextRecordsUrl);
	expect(next.body.records[0]).toMatchObject({ Id: seeded.idOf(2000), Name: 'Synthetic 2000' });
	expect((await api.get(`sobjects/Account/${seeded.idOf(999_999)}?fields=Name`)).body.Name).toBe(
		'Synthetic 999999',
	);
}, 120_000);
