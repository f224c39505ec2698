/**
 * The scripted changes the end-to-end suite and the benchmark judge triggers by: what each event must
 * emit, once, and what a judge calls missed and repeated.
 */
import { ChangeScript, runRound, SCENARIOS, seedExisting } from '../../../dev/trigger-scenarios';
import { startSalesforceStandin, type SalesforceStandin } from '../../../dev/salesforce-standin';
import { pollsOf } from '../../../dev/trigger-runs';

let sf: SalesforceStandin;
beforeEach(async () => {
	sf = await startSalesforceStandin({ seedData: false });
});
afterEach(async () => await sf.close());

/** Runs every round, a minute of the org's clock apart. */
function scripted(scenario: ReturnType<(typeof SCENARIOS)[keyof typeof SCENARIOS]>): ChangeScript {
	const script = new ChangeScript(sf);
	const state = seedExisting(scenario, sf);
	scenario.rounds.forEach((_, index) => {
		runRound(scenario, script, state, index);
		sf.setClockSkew(sf.clockSkewMs + 60_000);
	});
	return script;
}

/** Items as a trigger emits them: the rows as stored now. */
const rows = (ids?: string[]) =>
	sf.records('Account').filter((row) => !ids || ids.includes(row.Id));

it("normal flow: each event's changes, once per record and round (two changes in one round are one); records from before are no creations", () => {
	const script = scripted(SCENARIOS.normalFlow());
	expect(script.expected('created').size).toBe(4);
	expect(script.expected('deleted').size).toBe(3);
	// Round 1: Existing 1 (twice), Normal 1 and 2; round 2: Normal 1, Existing 1 and 2.
	expect(script.expected('updated').size).toBe(6);
	expect(script.expected('createdOrUpdated').size).toBe(10);
	expect(
		sf
			.records('Account')
			.filter((row) => String(row.Name).startsWith('Existing'))
			.map((row) => row.CreatedDate),
	).toHaveLength(2);
});

it('judges what was emitted: each expected once; a repeat, a miss and a stranger counted', () => {
	const script = scripted(SCENARIOS.normalFlow());
	const created = rows().filter((row) => String(row.Name).startsWith('Normal'));
	expect(script.judge('created', created)).toEqual({
		expected: 4,
		emitted: 4,
		missed: 0,
		repeated: 0,
	});
	expect(script.judge('created', [...created, created[0]])).toEqual({
		expected: 4,
		emitted: 5,
		missed: 0,
		repeated: 1,
	});
	expect(script.judge('created', created.slice(1))).toEqual({
		expected: 4,
		emitted: 3,
		missed: 1,
		repeated: 0,
	});
	expect(script.judge('created', [...created, { Id: '001000000000000AAA' }])).toMatchObject({
		missed: 0,
		repeated: 1,
	});
});

it('updates are keyed by the round their stamp falls in: the latest state of a record counts for its last round only', () => {
	const script = new ChangeScript(sf);
	let id = '';
	script.round((writer) => ([id] = writer.create(['A'])));
	sf.setClockSkew(sf.clockSkewMs + 60_000);
	script.round((writer) => writer.update([id]));
	sf.setClockSkew(sf.clockSkewMs + 60_000);
	script.round((writer) => writer.update([id]));
	// A trigger that read only after the last round emits the latest state once: the middle change is missed.
	expect(script.judge('updated', rows([id]))).toEqual({
		expected: 2,
		emitted: 1,
		missed: 1,
		repeated: 0,
	});
	expect(script.judge('createdOrUpdated', rows([id]))).toEqual({
		expected: 3,
		emitted: 1,
		missed: 2,
		repeated: 0,
	});
});

it('a late commit counts in the round its transaction began', () => {
	const scenario = SCENARIOS.lateCommit();
	const script = scripted(scenario);
	const late = rows().filter((row) => String(row.Name).startsWith('Late') || row.Name === 'Old 1');
	// New 1, Late 1, Late 2, Old 1's late change, Quick 1: the rows as they stand hold each once.
	expect(script.judge('createdOrUpdated', rows())).toEqual({
		expected: 5,
		emitted: 5,
		missed: 0,
		repeated: 0,
	});
	expect(late.every((row) => row.SystemModstamp === late[0].SystemModstamp)).toBe(true);
});

describe('requests per poll', () => {
	const request = (
		method: string,
		path: string,
		at: number,
		query: Record<string, string> = {},
	) => ({ method, path, at, query, username: 'watcher', headers: {}, rawBody: '' });
	const watcherWith = (requests: ReturnType<typeof request>[]) => ({
		label: 'w',
		event: 'created' as const,
		workflowId: 'w',
		username: 'watcher',
		sf: { requests } as unknown as SalesforceStandin,
	});

	it('counts each poll from the request that starts it; a describe before it belongs to it; the versions list is not counted', () => {
		const api = '/services/data/v62.0';
		const polls = pollsOf(
			watcherWith([
				request('GET', '/services/data/', 1),
				request('GET', `${api}/sobjects/Account/describe`, 2),
				request('POST', `${api}/composite`, 3),
				// The next poll a second later (n8n's first scheduled poll right after the activation's).
				request('POST', `${api}/composite`, 1_003),
				request('POST', `${api}/composite`, 61_000),
				request('GET', `${api}/query/01gxx-2000`, 61_500),
				request('GET', `${api}/query/01gxx-4000`, 62_000),
				// n8n's own trigger: a query, then its pages.
				request('GET', `${api}/query`, 120_000, { q: 'SELECT …' }),
				request('GET', `${api}/query/01gyy-2000`, 120_500),
			]),
		);
		expect(polls).toEqual([2, 1, 3, 2]);
	});
});
