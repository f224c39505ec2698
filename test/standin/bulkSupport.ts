import type { Answer, Rest } from './restSupport';

/** Bulk API 2.0 calls for the stand-in's tests (Bulk API 2.0 Developer Guide). */

/** RFC 4180 CSV with any one-character delimiter: an independent reader for what the stand-in writes. */
export function parseCsv(text: string, delimiter = ','): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === delimiter) {
			row.push(field);
			field = '';
		} else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
			if (char === '\r') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += char;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	return rows;
}

/** CSV rows as objects keyed by the header. */
export function csvRecords(text: string, delimiter = ','): Array<Record<string, string>> {
	const [header, ...rows] = parseCsv(text, delimiter);
	return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]])));
}

export const TERMINAL = ['JobComplete', 'Failed', 'Aborted'];

export function bulk(api: Rest) {
	const put = (id: string, csv: string | Buffer, contentType = 'text/csv') =>
		api.call('PUT', `jobs/ingest/${id}/batches`, csv, { 'Content-Type': contentType });
	const state = (kind: 'ingest' | 'query', id: string, value: string) =>
		api.call('PATCH', `jobs/${kind}/${id}`, { state: value });
	return {
		createIngest: (body: Record<string, unknown>) => api.call('POST', 'jobs/ingest', body),
		createQuery: (body: Record<string, unknown>) => api.call('POST', 'jobs/query', body),
		upload: put,
		close: (id: string) => state('ingest', id, 'UploadComplete'),
		abort: (kind: 'ingest' | 'query', id: string) => state(kind, id, 'Aborted'),
		info: (kind: 'ingest' | 'query', id: string) => api.get(`jobs/${kind}/${id}`),
		/** Polls every 20 ms until the job reaches one of `states` (a terminal one by default). */
		async waitFor(kind: 'ingest' | 'query', id: string, states = TERMINAL): Promise<Answer<any>> {
			for (;;) {
				const info = await api.get(`jobs/${kind}/${id}`);
				if (info.status !== 200 || states.includes(info.body.state)) return info;
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		},
		/** create, upload, close, wait: the whole ingest round. */
		async ingest(
			body: Record<string, unknown>,
			csv: string,
		): Promise<{ id: string; info: Answer<any> }> {
			const created = await api.call('POST', 'jobs/ingest', body);
			expect(created.status).toBe(200);
			expect((await put(created.body.id, csv)).status).toBe(201);
			expect((await state('ingest', created.body.id, 'UploadComplete')).status).toBe(200);
			return { id: created.body.id, info: await this.waitFor('ingest', created.body.id) };
		},
		results: (id: string, kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords') =>
			api.get(`jobs/ingest/${id}/${kind}/`),
		queryResults: (id: string, params = '', version?: string) =>
			api.get(`${version ? `/services/data/${version}/` : ''}jobs/query/${id}/results${params}`),
	};
}
