/**
 * The trigger's core, case by case, against the model org with Salesforce's real page size (2,000):
 * what each poll asks, what it costs, what it emits — the cases n8n's built-in trigger gets wrong
 * (issues #21028, #25606, #36993) among them.
 */
import {
	type ChangeWatch,
	type SalesforceRequest,
	SalesforceRestError,
	startPoll,
	startSample,
} from '../../../../nodes/salesforce';
import { LOST_DELETIONS_CODE } from '../../../../nodes/salesforce/changes/lostDeletions';
import { apiDateTime, ModelOrg } from './model/modelOrg';
import { ModelPoller } from './model/modelPoller';
import { FIELD_TYPES, START, watchOf } from './model/modelRun';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface Setup {
	org: ModelOrg;
	poller: ModelPoller;
	requests: SalesforceRequest[];
	create: (count: number, options?: { rating?: string; transaction?: number }) => string[];
}

function setup(
	watch: ChangeWatch,
	options: { maxRecords?: number; refuseStartBeforePurge?: boolean } = {},
): Setup {
	const org = new ModelOrg({
		start: START,
		refuseStartBeforePurge: options.refuseStartBeforePurge,
	});
	const requests: SalesforceRequest[] = [];
	const handle = org.handle.bind(org);
	org.handle = (request) => {
		requests.push(request);
		return handle(request);
	};
	const poller = new ModelPoller(org, watch, options.maxRecords);
	const create = (
		count: number,
		{ rating = 'Hot', transaction }: { rating?: string; transaction?: number } = {},
	) =>
		Array.from({ length: count }, () => {
			const id = org.newId();
			org.run({ kind: 'create', id, rating }, transaction);
			return id;
		});
	return { org, poller, requests, create };
}

const changes = (
	event: ChangeWatch['event'] = 'createdOrUpdated',
	extra: Partial<ChangeWatch> = {},
): ChangeWatch => ({ ...watchOf({ event: event as never, hotOnly: false }).watch, ...extra });
const subrequestUrls = (request: SalesforceRequest) =>
	(request.body?.compositeRequest ?? []).map((subrequest) => decodeURIComponent(subrequest.url));
const ids = (records: Array<Record<string, unknown>>) => records.map((record) => record.Id).sort();

describe('one Composite request per poll', () => {
	it('the first poll emits nothing: getUpdated, the keys since 15 minutes back, the probe — one request', () => {
		const { org, poller, requests, create } = setup(changes());
		create(3);
		org.advance(30 * SECOND);
		const first = poller.poll(true);
		expect(first.emitted).toEqual([]);
		expect(first.outcome.started).toBe('nothing-stored');
		expect(first.requests).toBe(1);
		expect(subrequestUrls(requests[0])).toEqual([
			'/services/data/v62.0/sobjects/Account/updated/?start=2026-12-04T09:45:00+00:00&end=2026-12-04T10:00:00+00:00',
			'/services/data/v62.0/query/?q=SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= 2026-12-04T09:45:00Z ORDER BY SystemModstamp, Id',
			'/services/data/v62.0/query/?q=SELECT Id, SystemModstamp, Name, Rating FROM Account WHERE SystemModstamp >= 2026-12-04T10:00:00Z LIMIT 1',
		]);
		expect(first.outcome.stored).toMatchObject({
			horizon: '2026-12-04T10:00:00.000Z',
			seen: { 0: expect.any(String) },
		});
	});

	it("a poll: getUpdated from the horizon's minute, then the query from the horizon, the SOQL in the body; each record once, in its latest state", () => {
		const { org, poller, requests, create } = setup(changes());
		org.advance(30 * SECOND);
		poller.poll(true);
		const [a, b] = create(2);
		org.advance(5 * SECOND);
		org.run({ kind: 'update', id: a, rating: 'Cold', automation: false });
		org.run({ kind: 'update', id: a, rating: 'Warm', automation: true });
		org.advance(70 * SECOND);
		requests.length = 0;
		const poll = poller.poll();
		expect(poll.requests).toBe(1);
		expect(requests[0]).toMatchObject({ method: 'POST', path: '/services/data/v62.0/composite' });
		expect(subrequestUrls(requests[0])).toEqual([
			'/services/data/v62.0/sobjects/Account/updated/?start=2026-12-04T10:00:00+00:00&end=2026-12-04T10:01:00+00:00',
			'/services/data/v62.0/query/?q=SELECT Id, SystemModstamp, Name, Rating FROM Account WHERE SystemModstamp >= 2026-12-04T10:00:00Z ORDER BY SystemModstamp, Id',
		]);
		expect(poll.emitted).toEqual([
			{
				Id: b,
				SystemModstamp: '2026-12-04T10:00:30.000+0000',
				Name: expect.any(String),
				Rating: 'Hot',
			},
			{
				Id: a,
				SystemModstamp: '2026-12-04T10:00:35.000+0000',
				Name: expect.any(String),
				Rating: 'Warm',
			},
		]);
		expect(poll.outcome.stored?.horizon).toBe('2026-12-04T10:01:00.000Z');
		org.advance(60 * SECOND);
		expect(poller.poll().emitted).toEqual([]);
	});
});

describe('bursts', () => {
	it('5,000 records created in one second between two polls: one poll, ⌈5,000 / 2,000⌉ = 3 requests, each once', () => {
		const { org, poller, create } = setup(changes('created'));
		org.advance(30 * SECOND);
		poller.poll(true);
		const created = create(5_000);
		org.advance(90 * SECOND);
		const poll = poller.poll();
		expect(poll.requests).toBe(3);
		expect(poll.pages).toBe(2);
		expect(ids(poll.emitted)).toEqual([...created].sort());
		expect(JSON.stringify(poll.outcome.stored).length).toBeLessThan(1_000);
	});

	it('25,000 changes: at most 10,000 rows a poll (5 requests), the next polls go on, each once', () => {
		const { org, poller, create } = setup(changes('created'));
		org.advance(30 * SECOND);
		poller.poll(true);
		const created: string[] = [];
		for (let second = 0; second < 50; second++) {
			created.push(...create(500));
			org.advance(SECOND);
		}
		org.advance(MINUTE);
		const emitted: unknown[] = [];
		const costs: number[] = [];
		for (let poll = 0; poll < 4; poll++) {
			const result = poller.poll();
			emitted.push(...result.emitted.map((record) => record.Id));
			costs.push(result.requests);
			expect(JSON.stringify(result.outcome.stored).length).toBeLessThan(10_000);
			org.advance(MINUTE);
		}
		// Each poll re-reads the rows of the second it stopped in (its last page's), then goes on.
		expect(costs).toEqual([5, 5, 3, 1]);
		expect(new Set(emitted).size).toBe(25_000);
		expect(emitted).toHaveLength(25_000);
	});

	it('a burst in the last seconds before a poll is kept as keys: about 80 KB for 5,000', () => {
		const { org, poller, create } = setup(changes());
		org.advance(30 * SECOND);
		poller.poll(true);
		org.advance(32 * SECOND);
		create(5_000);
		org.advance(2 * SECOND);
		const poll = poller.poll();
		expect(poll.emitted).toHaveLength(5_000);
		expect(JSON.stringify(poll.outcome.stored).length).toBeLessThan(80_000);
		org.advance(MINUTE);
		expect(poller.poll().emitted).toEqual([]);
	});
});

describe("Salesforce's clock, not n8n's", () => {
	it.each([
		['ten minutes ahead of n8n', -10 * MINUTE],
		['ten minutes behind n8n', 10 * MINUTE],
	])(
		"with the org's clock %s, every change once, and no window ends in Salesforce's future",
		(_name, skew) => {
			const { org, poller, requests, create } = setup(changes());
			poller.skew = skew;
			org.advance(30 * SECOND);
			poller.poll(true);
			const made: string[] = [];
			const emitted: unknown[] = [];
			for (let round = 0; round < 5; round++) {
				made.push(...create(3));
				org.advance(20 * SECOND);
				made.push(...create(2));
				org.advance(45 * SECOND);
				requests.length = 0;
				emitted.push(...poller.poll().emitted.map((record) => record.Id));
				const end = new URL(
					requests[0].body?.compositeRequest[0].url as string,
					'https://x.example',
				).searchParams.get('end');
				expect(Date.parse(end as string)).toBeLessThanOrEqual(org.now);
			}
			expect(emitted).toEqual(made);
		},
	);
});

describe('late commits', () => {
	it('a change stamped before changes already emitted (its transaction committed later) is emitted once', () => {
		const { org, poller, create } = setup(changes());
		org.advance(30 * SECOND);
		poller.poll(true);
		const transaction = org.begin();
		const [late] = create(1, { transaction });
		org.advance(20 * SECOND);
		const [early] = create(1);
		org.advance(60 * SECOND);
		const before = poller.poll();
		expect(ids(before.emitted)).toEqual([early]);
		org.commit(transaction);
		org.advance(60 * SECOND);
		const after = poller.poll();
		expect(after.emitted).toEqual([
			expect.objectContaining({ Id: late, SystemModstamp: '2026-12-04T10:00:30.000+0000' }),
		]);
		expect(String(after.emitted[0].SystemModstamp) < String(before.emitted[0].SystemModstamp)).toBe(
			true,
		);
		org.advance(60 * SECOND);
		expect(poller.poll().emitted).toEqual([]);
	});
});

describe('updated: changes after the creation', () => {
	it("an edit in the creation's second is the creation; a record created and changed before the next poll is an update, once", () => {
		const { org, poller, create } = setup(changes('updated'));
		org.advance(30 * SECOND);
		poller.poll(true);
		const [sameSecond, nextSecond] = create(2);
		org.run({ kind: 'update', id: sameSecond, rating: 'Cold', automation: true });
		org.advance(SECOND);
		org.run({ kind: 'update', id: nextSecond, rating: 'Cold', automation: false });
		org.advance(70 * SECOND);
		expect(poller.poll().emitted).toEqual([
			expect.objectContaining({
				Id: nextSecond,
				Rating: 'Cold',
				CreatedDate: '2026-12-04T10:00:30.000+0000',
				SystemModstamp: '2026-12-04T10:00:31.000+0000',
			}),
		]);
		org.advance(MINUTE);
		expect(poller.poll().emitted).toEqual([]);
	});
});

describe('restarts', () => {
	it('n8n stopped for ten minutes: the first poll after the start emits what changed meanwhile, once', () => {
		const { org, poller, create } = setup(changes());
		org.advance(30 * SECOND);
		poller.poll(true);
		const before = create(2);
		org.advance(MINUTE);
		expect(ids(poller.poll().emitted)).toEqual(before.sort());
		const meanwhile: string[] = [];
		for (let minute = 0; minute < 10; minute++) {
			meanwhile.push(...create(1));
			org.advance(MINUTE);
		}
		const restart = poller.restart();
		expect(restart.activation).toBe(true);
		expect(ids(restart.emitted)).toEqual(meanwhile.sort());
		org.advance(MINUTE);
		expect(poller.poll().emitted).toEqual([]);
	});

	it('n8n saves only when a poll emits: resuming from that older state repeats nothing and loses nothing', () => {
		const { org, poller, create } = setup(changes());
		org.advance(30 * SECOND);
		poller.poll(true);
		const [first] = create(1);
		org.advance(MINUTE);
		expect(ids(poller.poll().emitted)).toEqual([first]);
		const savedAfterFirst = poller.saved;
		for (let quiet = 0; quiet < 5; quiet++) {
			org.advance(MINUTE);
			expect(poller.poll().emitted).toEqual([]);
		}
		expect(poller.saved).toBe(savedAfterFirst);
		const [second] = create(1);
		org.advance(20 * SECOND);
		const restart = poller.restart();
		expect(ids(restart.emitted)).toEqual([second]);
	});
});

describe('deleted', () => {
	const deleted = (extra: Partial<ChangeWatch> = {}) => ({ ...changes('deleted'), ...extra });

	it('each deletion once: Id, deletedDate, inRecycleBin and the fields the Recycle Bin holds — or only Id and deletedDate once it is emptied', () => {
		const { org, poller, create } = setup(deleted());
		const [kept, emptied] = create(2);
		org.advance(30 * SECOND);
		poller.poll(true);
		org.run({ kind: 'delete', id: kept });
		org.run({ kind: 'delete', id: emptied });
		org.emptyRecycleBin([emptied]);
		org.advance(2 * MINUTE);
		const poll = poller.poll();
		expect(poll.requests).toBe(1);
		expect(poll.emitted).toEqual([
			{
				Id: kept,
				deletedDate: '2026-12-04T10:00:30.000+0000',
				inRecycleBin: true,
				SystemModstamp: '2026-12-04T10:00:30.000+0000',
				Name: expect.any(String),
				Rating: 'Hot',
			},
			{ Id: emptied, deletedDate: '2026-12-04T10:00:30.000+0000', inRecycleBin: false },
		]);
		org.advance(MINUTE);
		expect(poller.poll().emitted).toEqual([]);
	});

	it('with conditions: a deleted record that does not match is not emitted; one the Recycle Bin no longer holds cannot be checked, and is', () => {
		const conditions = [{ field: 'Rating', operator: 'equal', value: 'Hot' }];
		const { org, poller, requests, create } = setup(deleted({ conditions }));
		const [hot] = create(1, { rating: 'Hot' });
		const [cold, coldEmptied] = create(2, { rating: 'Cold' });
		org.advance(30 * SECOND);
		poller.poll(true);
		for (const id of [hot, cold, coldEmptied]) org.run({ kind: 'delete', id });
		org.emptyRecycleBin([coldEmptied]);
		org.advance(2 * MINUTE);
		requests.length = 0;
		const poll = poller.poll();
		expect(subrequestUrls(requests[0]).map((url) => url.replace(/\?.*/, ''))).toEqual([
			'/services/data/v62.0/sobjects/Account/deleted/',
			'/services/data/v62.0/queryAll/',
			'/services/data/v62.0/queryAll/',
		]);
		expect(poll.emitted.map((record) => [record.Id, record.inRecycleBin])).toEqual([
			[hot, true],
			[coldEmptied, false],
		]);
	});

	it('with conditions: a row of a later deletion (made while the poll ran) never makes an earlier one look not matching', () => {
		const conditions = [{ field: 'Rating', operator: 'equal', value: 'Hot' }];
		const { org, poller, create } = setup(deleted({ conditions }));
		const [record] = create(1, { rating: 'Hot' });
		org.advance(30 * SECOND);
		poller.poll(true);
		org.run({ kind: 'delete', id: record });
		org.advance(5 * SECOND);
		org.run({ kind: 'undelete', id: record });
		org.run({ kind: 'update', id: record, rating: 'Cold', automation: false });
		org.advance(MINUTE);
		let subrequest = 0;
		// Deleted again, Cold, after the Recycle Bin's matching rows were read and before its Ids are.
		org.between = () => {
			if (++subrequest === 2) org.run({ kind: 'delete', id: record });
		};
		expect(poller.poll().emitted).toEqual([
			{ Id: record, deletedDate: '2026-12-04T10:00:30.000+0000', inRecycleBin: false },
		]);
		org.between = () => undefined;
		org.advance(MINUTE);
		expect(poller.poll().emitted).toEqual([]);
	});

	it.each([
		['answering with earliestDateAvailable after the horizon', false, 1],
		['refusing the start (INVALID_REPLICATION_DATE)', true, 2],
	])(
		'a purged log, Salesforce %s: the poll fails naming the object, the lost window and what to do; the next emits what is held',
		(_name, refuse, cost) => {
			const { org, poller, create } = setup(deleted(), { refuseStartBeforePurge: refuse });
			const records = create(3);
			org.advance(30 * SECOND);
			poller.poll(true);
			org.advance(3 * MINUTE);
			org.run({ kind: 'delete', id: records[0] });
			org.advance(5 * MINUTE);
			org.purgeLog(org.now - MINUTE);
			org.run({ kind: 'delete', id: records[1] });
			org.advance(2 * MINUTE);
			const failed = poller.poll();
			expect(failed.requests).toBe(cost);
			expect(failed.emitted).toEqual([]);
			const error = failed.outcome.lostDeletions as SalesforceRestError;
			expect(error).toBeInstanceOf(SalesforceRestError);
			expect(error.code).toBe(LOST_DELETIONS_CODE);
			expect(error.message).toBe(
				'Deletions of Account between 2026-12-04 10:00:00 UTC and 2026-12-04 10:08:00 UTC cannot be recovered: Salesforce no longer reports them.',
			);
			expect(error.description).toMatch(
				/15 days at most.*Recycle Bin is emptied.*goes on: the deletions from 2026-12-04 10:08:00 UTC on are emitted by the next polls.*compare the Ids/,
			);
			org.advance(MINUTE);
			expect(poller.poll().emitted).toEqual([
				expect.objectContaining({ Id: records[1], inRecycleBin: true }),
			]);
		},
	);

	it("a lost window found by n8n's activation poll never fails the activation: the next poll reports it, before reading anything", () => {
		const { org, poller, create } = setup(deleted());
		const records = create(2);
		org.advance(30 * SECOND);
		poller.poll(true);
		org.advance(MINUTE);
		org.run({ kind: 'delete', id: records[0] });
		org.advance(MINUTE);
		expect(poller.poll().emitted).toHaveLength(1);
		org.advance(20 * MINUTE);
		org.purgeLog(org.now - MINUTE);
		const activation = poller.restart();
		expect(activation.outcome.lostDeletions).toBeUndefined();
		const next = poller.poll();
		expect(next.requests).toBe(0);
		expect(next.outcome.lostDeletions?.message).toMatch(
			/^Deletions of Account between 2026-12-04 10:02:00 UTC and 2026-12-04 10:22:00 UTC cannot be recovered/,
		);
		expect(poller.poll().outcome.lostDeletions).toBeUndefined();
	});
});

describe("Salesforce's refusals, translated", () => {
	it('a field the user cannot read fails the first poll (so the activation), naming it', () => {
		const { org, poller } = setup(
			changes('createdOrUpdated', { fields: ['Nmae'], fieldTypes: undefined }),
		);
		org.advance(30 * SECOND);
		expect(() => poller.poll(true)).toThrow(
			new SalesforceRestError(
				'INVALID_FIELD',
				"Reading the changes of Account failed: a field is unknown or not accessible — No such column 'Nmae' on entity 'Account' (HTTP 400, INVALID_FIELD).",
				'',
			),
		);
	});

	it('an object the user cannot see fails naming it and the Object parameter', () => {
		const { org, poller } = setup(
			changes('created', { sobject: 'Invoice__c', fieldTypes: undefined, fields: [] }),
		);
		org.advance(30 * SECOND);
		let error: SalesforceRestError | undefined;
		try {
			poller.poll(true);
		} catch (caught) {
			error = caught as SalesforceRestError;
		}
		expect(error?.message).toBe(
			'Reading the changes of Invoice__c failed: Salesforce has no object "Invoice__c" the API user can read (HTTP 404).',
		);
		expect(error?.parameter).toBe('Object');
		expect(error?.description).toMatch(/__c/);
	});

	it('more Ids than getUpdated lists (EXCEEDED_ID_LIMIT): asked again with a narrower window, in the same poll', () => {
		const { org, poller, requests, create } = setup(changes());
		org.advance(30 * SECOND);
		poller.poll(true);
		org.advance(40 * MINUTE);
		const made = create(5);
		org.advance(MINUTE);
		org.idLimit = 4;
		requests.length = 0;
		const poll = poller.restart();
		expect(poll.requests).toBe(3);
		expect(subrequestUrls(requests[1])[0]).toContain('start=2026-12-04T10:26:00+00:00');
		expect(subrequestUrls(requests[2])[0]).toContain('start=2026-12-04T10:40:00+00:00');
		expect(ids(poll.emitted)).toEqual(made.sort());
		expect(poll.outcome.stored?.horizon).toBe('2026-12-04T10:00:00.000Z');
	});
});

describe('Fetch Test Event: the latest matching records, nothing stored', () => {
	function sample(org: ModelOrg, watch: ChangeWatch, count?: number) {
		let step = startSample({ watch, count });
		while (step.request) step = step.resume(org.handle(step.request));
		return step.outcome;
	}

	it.each<[string, ChangeWatch, number | undefined, (ids: string[]) => unknown[]]>([
		['created: the newest', changes('created'), undefined, (made) => [made[3]]],
		['createdOrUpdated: the latest two', changes(), 2, (made) => [made[0], made[3]]],
		[
			'updated: the latest changed after its creation',
			changes('updated'),
			undefined,
			(made) => [made[0]],
		],
		['deleted: the latest in the Recycle Bin', changes('deleted'), undefined, (made) => [made[1]]],
	])('%s', (_name, watch, count, expected) => {
		const org = new ModelOrg({ start: START });
		const made = Array.from({ length: 4 }, (_, index) => {
			const id = org.newId();
			org.run({ kind: 'create', id, rating: 'Hot' });
			if (index < 3) org.advance(SECOND);
			return id;
		});
		org.run({ kind: 'delete', id: made[1] });
		org.advance(SECOND);
		org.run({ kind: 'update', id: made[0], rating: 'Cold', automation: false });
		const outcome = sample(org, watch, count);
		expect(outcome.records.map((record) => record.Id)).toEqual(expected(made));
		expect(outcome.stored).toBeUndefined();
		expect(outcome.requests).toBe(1);
		if (watch.event === 'deleted')
			expect(outcome.records[0]).toMatchObject({
				deletedDate: apiDateTime(START + 3 * SECOND),
				inRecycleBin: true,
			});
	});
});

describe('the loop a node runs', () => {
	it('counts its requests, and keeps nothing of a step it was not given an answer for', () => {
		const step = startPoll({
			watch: changes('created', { fieldTypes: FIELD_TYPES }),
			stored: undefined,
			salesforceNow: START,
		});
		expect(step.request?.method).toBe('POST');
		expect(step.outcome).toBeUndefined();
		expect(() => step.resume?.({ body: { unexpected: true } })).toThrow(
			/Composite answer holds no compositeResponse list/,
		);
	});
});
