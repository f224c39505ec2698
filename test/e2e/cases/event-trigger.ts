/**
 * The event trigger's smoke case, run in every n8n the package is tested with (n8n 1.x has it in
 * its smoke set; the full set in 2.41 is test/e2e/event-trigger/): publishing a workflow starts the
 * subscription, one change is one execution, deactivating ends the long poll with /meta/disconnect.
 */
import type { SalesforceStandin } from '../../../dev/salesforce-standin';
import {
	listensOn,
	startTriggerEnv,
	until,
	type TriggerEnv,
} from '../event-trigger/support/trigger-env';
import { titled, type E2eCaseOptions } from './options';

export function describeEventTriggerSmoke(options: E2eCaseOptions = {}): void {
	describe(titled('Salesforce Event Trigger: activation, one event, deactivation', options), () => {
		let env: TriggerEnv;
		let sf: SalesforceStandin;

		beforeAll(async () => {
			env = await startTriggerEnv('event-trigger-smoke', options);
			sf = await env.standin({ label: 'smoke' });
		});

		afterAll(async () => {
			await env?.stop();
		});

		it('delivers a change as one execution and disconnects when deactivated', async () => {
			const credential = await env.createCredential('Smoke Env', sf);
			const workflowId = await env.publishTrigger('Account changes', credential, {
				source: 'changeEvents',
				sobject: { __rl: true, mode: 'list', value: 'Account' },
			});
			await until('the trigger listens', () => listensOn(sf, '/data/AccountChangeEvent'));
			const [id] = sf.insertRecords('Account', [{ Name: 'Smoke Inc' }]);
			const [run] = await env.runs(workflowId, 1);
			expect(run.status).toBe('success');
			expect(run.item).toMatchObject({
				changeType: 'CREATE',
				entityName: 'Account',
				recordIds: [id],
				Name: 'Smoke Inc',
				replayId: expect.any(Number),
			});
			expect(await env.replayState(workflowId)).toMatchObject({
				channel: '/data/AccountChangeEvent',
			});
			await env.deactivate(workflowId);
			await until('the client disconnected', () => sf.streamingClients().length === 0, 30_000);
			expect(sf.streamingCounts.disconnects).toBe(1);
		});
	});
}
