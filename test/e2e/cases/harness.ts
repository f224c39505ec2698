/**
 * The end-to-end harness itself (test/e2e/support/n8n.ts) in a real n8n, with n8n's own nodes only,
 * so the suites built on it can trust what it says: a published polling workflow is active when
 * publish() resolves (its activation poll has run), an activation that fails is an ActivationError
 * with n8n's reason, the sink sees each emitted item, unpublish() removes the trigger, restart() on
 * the same user folder resolves once the trigger is active again, executions are read in order with
 * their items, and a running execution is stopped through the REST API.
 *
 * The RSS Feed Trigger polls a feed the sink serves, on a yearly schedule: the only polls are the
 * activation polls n8n runs when it publishes the workflow and when it starts. Where n8n 1.x differs
 * (it activates inside the REST call, once, and keeps no status per trigger), the test says so.
 */
import {
	ActivationError,
	createN8n,
	savedNodeOutput,
	type N8nUnderTest,
	type Sink,
} from '../support';
import { usesPublicationOutbox } from '../support/publication';
import {
	chain,
	plainHttpRequestNode,
	sinkNode,
	webhookNode,
	type NodeSpec,
} from '../support/workflows';
import { titled, type E2eCaseOptions } from './options';

const DAY = 24 * 60 * 60_000;

function rssTrigger(feedUrl: string): NodeSpec {
	return {
		name: 'RSS Feed Trigger',
		type: 'n8n-nodes-base.rssFeedReadTrigger',
		typeVersion: 1,
		parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '0 0 1 1 *' }] }, feedUrl },
	};
}

/** An RSS 2.0 feed; items dated in the future are new to a trigger that has seen none of them. */
function feed(items: Array<{ title: string; date: Date }>): string {
	const entries = items.map(
		({ title, date }) =>
			`<item><title>${title}</title><link>http://127.0.0.1/${title}</link><guid>${title}</guid><pubDate>${date.toUTCString()}</pubDate></item>`,
	);
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>Harness</title><link>http://127.0.0.1/</link><description>Harness feed</description>${entries.join('')}</channel></rss>`;
}

export function describeHarness(options: E2eCaseOptions = {}): void {
	const outbox = usesPublicationOutbox(options.n8nVersion);

	describe(titled('the end-to-end harness in real n8n', options), () => {
		let n8n: N8nUnderTest;
		let sink: Sink;
		// Dated in the future: new to a trigger that has seen none of them.
		const feedItems = [{ title: 'first', date: new Date(Date.now() + DAY) }];
		let pollerId: string;

		beforeAll(async () => {
			n8n = await createN8n({ name: 'harness', start: true, n8nVersion: options.n8nVersion });
			sink = await n8n.sink();
			sink.serve('feed', () => ({ contentType: 'application/rss+xml', body: feed(feedItems) }));
			sink.serve('broken-feed', { status: 500, body: 'feed is down' });
			({ id: pollerId } = await n8n.createWorkflow(
				chain('Harness: poll the feed', [
					rssTrigger(sink.url('feed')),
					sinkNode('Sink', sink.url('items')),
				]),
			));
		});

		afterAll(async () => {
			await n8n?.cleanup();
		});

		it('publish() resolves once the trigger is active: its activation poll has run, and its item reaches the sink', async () => {
			const status = await n8n.publish(pollerId);

			// 1.x keeps no status per trigger.
			expect(status).toMatchObject({
				status: 'published',
				triggers: outbox ? [expect.objectContaining({ status: 'activated' })] : [],
			});
			expect(sink.received('feed')).toHaveLength(1);
			const [item] = await sink.waitFor('items', 1);
			expect(item.body).toMatchObject({ title: 'first' });
		});

		it('restart() on the same user folder resolves once the trigger is active again, and executions read in order', async () => {
			// Published while n8n is stopped: only the activation poll at start can see it.
			await n8n.stop();
			feedItems.push({ title: 'second', date: new Date(Date.now() + 2 * DAY) });

			const statuses = await n8n.restart();

			expect(statuses.get(pollerId)).toMatchObject({ status: 'published' });
			expect(sink.received('feed')).toHaveLength(2);
			await sink.waitFor('items', 2);
			expect(sink.items('items')).toEqual([
				expect.objectContaining({ title: 'first' }),
				expect.objectContaining({ title: 'second' }),
			]);
			const executions = await n8n.executions.waitForFinishedData(pollerId, 2);
			expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
			expect(
				executions.map((execution) =>
					savedNodeOutput(execution, 'RSS Feed Trigger').map((json) => json.title),
				),
			).toEqual([['first'], ['second']]);
		});

		it('unpublish() resolves once the trigger is gone', async () => {
			expect(await n8n.unpublish(pollerId)).toMatchObject({
				status: 'not_published',
				triggers: [],
			});
			expect(await n8n.publicationStatus(pollerId)).toMatchObject({ status: 'not_published' });
		});

		it("a trigger that cannot activate is an ActivationError with n8n's reason (2.x: after its retries)", async () => {
			const { id } = await n8n.createWorkflow(
				chain('Harness: a feed that is down', [
					rssTrigger(sink.url('broken-feed')),
					sinkNode('Sink', sink.url('never')),
				]),
			);

			const failure = await n8n.publish(id).then(
				() => undefined,
				(error: unknown) => error,
			);

			expect(failure).toBeInstanceOf(ActivationError);
			const { publication } = failure as ActivationError;
			expect(publication.status).toBe('failed');
			expect(publication.triggers).toEqual([
				expect.objectContaining({ status: 'failed', errorMessage: expect.stringMatching(/500/) }),
			]);
			// 2.x tries more than once before giving up; 1.x refuses the publication at the first failure.
			if (outbox) expect(sink.received('broken-feed').length).toBeGreaterThan(1);
			else expect(sink.received('broken-feed')).toHaveLength(1);
			expect(sink.received('never')).toEqual([]);
		});

		it('stops a running execution through the REST API', async () => {
			sink.hold('slow');
			const workflow = await n8n.publishWebhook(
				chain('Harness: a slow call', [
					webhookNode('harness-slow'),
					plainHttpRequestNode('Slow', sink.url('slow')),
				]),
				'harness-slow',
			);
			const answer = workflow.call();
			await sink.waitFor('slow', 1);
			const [running] = await n8n.executions.list(workflow.id);
			expect(running.status).toBe('running');

			const stopped = await n8n.executions.stop(running.id);

			expect(stopped).toMatchObject({ id: running.id, status: 'canceled' });
			await answer;
			sink.release('slow');
		});
	});
}
