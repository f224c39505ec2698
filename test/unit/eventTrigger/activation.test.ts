/**
 * Activation: bad input fails it with a message that names what is wrong and where in Setup to fix
 * it (n8n 2.41 shows an activation error's message only, so the hint is in the message), before or
 * at the subscription; a credential that cannot log in fails it once; Salesforce out of reach does
 * not fail it — the trigger keeps trying and delivers once Salesforce is back.
 */
import type { INodeParameters } from 'n8n-workflow';
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { useStandin } from '../../support/fixtures';
import { createLogCapture } from '../../support/n8n-harness';
import { activate, listening, ORDER_SHIPPED, setupFor, SHORT_STREAMING, until } from './support';

const standin = useStandin({ streaming: SHORT_STREAMING });

beforeEach(() => forgetAllSessions());

async function activationError(
	sf: ReturnType<typeof standin>,
	parameters: INodeParameters,
	changes = {},
): Promise<Error> {
	const outcome = await activate(setupFor(sf, changes), parameters).then(
		async (trigger) => {
			await trigger.close();
			return undefined;
		},
		(error: unknown) => error as Error,
	);
	if (!outcome) throw new Error('expected the activation to fail');
	return outcome;
}

const object = (value: string, mode = 'name'): INodeParameters => ({
	source: 'changeEvents',
	sobject: { __rl: true, mode, value },
});

describe('bad input fails the activation, the fix in the message', () => {
	it('an object not selected for Change Data Capture: names it and the Setup page', async () => {
		const sf = standin();
		const error = await activationError(sf, object('Lead'));
		expect(error.message).toMatch(
			/^Salesforce has no channel for the change events of Lead \(\/data\/LeadChangeEvent\)/,
		);
		expect(error.message).toContain('Select Lead in Setup → Integrations → Change Data Capture');
		expect(sf.streamingCounts).toMatchObject({ handshakes: 1, subscribes: 1, connects: 0 });
	});

	it('an unknown channel: names it, says where channels come from', async () => {
		const sf = standin();
		const error = await activationError(sf, { source: 'channel', channel: '/topic/NoSuchTopic' });
		expect(error.message).toMatch(
			/^Salesforce has no channel for the PushTopic channel \/topic\/NoSuchTopic/,
		);
		expect(error.message).toContain('PushTopic');
	});

	it('a Platform Event the API user cannot see: names it and the permission set to give', async () => {
		const sf = standin();
		sf.users[0].withoutEventAccess = ['Order_Shipped__e'];
		const error = await activationError(sf, ORDER_SHIPPED);
		expect(error.message).toMatch(
			/^Salesforce does not let the API user subscribe to the Platform Event Order_Shipped__e/,
		);
		expect(error.message).toContain('Read on Order_Shipped__e');
		expect(error.message).toContain('Setup → Users → Permission Sets');
	});

	it('an object without change events, a Platform Event named as an object, an empty Object: refused before anything is sent', async () => {
		const sf = standin();
		expect((await activationError(sf, object('Settings__mdt'))).message).toMatch(
			/^Object: Settings__mdt has no change events\. .*Setup → Integrations → Change Data Capture/,
		);
		expect((await activationError(sf, object('Order_Shipped__e'))).message).toMatch(
			/^Object: "Order_Shipped__e" is a Platform Event, not an object/,
		);
		expect((await activationError(sf, object('', 'list'))).message).toMatch(/^Object: is empty/);
		expect(
			(await activationError(sf, { source: 'channel', channel: 'data/AccountChangeEvent' }))
				.message,
		).toMatch(/^Channel: "data\/AccountChangeEvent" is not a channel path/);
		expect(sf.requests).toEqual([]);
	});

	it("a credential Salesforce refuses: the credential's error, one login attempt", async () => {
		const sf = standin();
		const error = await activationError(sf, object('Account'), { password: 'wrong' });
		expect(error.message).toMatch(/authentication failure/i);
		expect(sf.tokenRequests()).toHaveLength(1);
		expect(sf.streamingCounts.subscribes).toBe(0);
	});
});

describe('Salesforce out of reach at activation', () => {
	it('activates anyway (logged), keeps trying, and delivers once Salesforce is back', async () => {
		const sf = standin();
		const setup = setupFor(sf);
		// A session stored before: only the Streaming API is out of reach, not the login.
		await (await activate(setup, object('Account'))).close();
		await sf.takeOffline('reset');
		const logs = createLogCapture();
		const trigger = await activate(setup, object('Account'));
		logs.stop();
		expect(
			logs.entries.some(
				(entry) =>
					entry.level === 'warn' &&
					/cannot be reached.*keeps trying to subscribe to \/data\/AccountChangeEvent/.test(
						entry.message,
					),
			),
		).toBe(true);
		await sf.bringOnline();
		await until(() => listening(sf), 'the trigger listens', 60_000);
		sf.insertRecords('Account', [{ Name: 'After the outage' }]);
		await until(() => trigger.database.executions.length === 1, 'the event');
		await trigger.close();
		expect(trigger.database.items()[0].Name).toBe('After the outage');
	}, 120_000);

	it('also before the first login (no session stored yet): the login that got no answer is no refusal', async () => {
		const sf = standin();
		await sf.takeOffline('refuse');
		const trigger = await activate(setupFor(sf), object('Account'));
		expect(trigger.errors).toEqual([]);
		await sf.bringOnline();
		await until(() => listening(sf), 'the trigger listens', 60_000);
		sf.insertRecords('Account', [{ Name: 'After the outage' }]);
		await until(() => trigger.database.executions.length === 1, 'the event');
		await trigger.close();
		expect(sf.loginCount).toBe(1);
	}, 120_000);
});
