/**
 * Bulk API 2.0 ingest through the connection, where the node's parameters cannot reach: a write
 * whose CSV is over the upload limit runs as several jobs, one after the other, every record
 * matched to its own result across them.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { connect, runIngestJobs } from '../../../nodes/client';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import type { RecordResult } from '../../../nodes/salesforce';
import { useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';
import { accounts } from './support';

const standin = useStandin({ bulk: { queueMs: 0, processingMs: 0 } });

beforeEach(() => forgetAllSessions());

describe('runIngestJobs', () => {
	it('splits an upload over the limit into jobs of whole rows, each under it', async () => {
		const sf = standin();
		sf.resetRecords();
		const limit = 4000;
		const { result } = await runProbe(sf, async function (this: IExecuteFunctions) {
			return await runIngestJobs(connect(this), {
				operation: 'create',
				sobject: 'Account',
				records: accounts(600),
				maxWaitMs: 60_000,
				maxUploadBytes: limit,
			});
		});
		expect(result.jobs.length).toBeGreaterThan(1);
		expect(result.jobs.every((job) => job.state === 'JobComplete')).toBe(true);
		const uploads = sf.requests.filter((request) => request.method === 'PUT');
		expect(uploads).toHaveLength(result.jobs.length);
		// Each row ("Account 123\n") is at least 10 bytes: no job can hold more than limit / 10 rows.
		expect(sf.bulkJobs().every((job) => job.numberRecordsProcessed * 10 <= limit)).toBe(true);
		const saved = new Map(sf.records('Account').map((row) => [row.Id, row.Name]));
		(result.results as RecordResult[]).forEach((entry, index) =>
			expect(saved.get(entry.id as string)).toBe(`Account ${index}`),
		);
		expect(
			sf
				.bulkJobs()
				.map((job) => job.numberRecordsProcessed)
				.reduce((sum, count) => sum + count, 0),
		).toBe(600);
	});
});
