/**
 * Every event becomes one execution, in the order Salesforce delivered it: through n8n-core's real
 * TriggerContext against the stand-in's CometD endpoint.
 */
import { forgetAllSessions } from '../../../nodes/client/liveSessions';
import { storedCredential, useStandin } from '../../support/fixtures';
import { CredentialStore } from '../../support/n8n-harness';
import { ACCOUNT_CHANGES, accountNames, activate, listening, SHORT_STREAMING, until } from './support';

const standin = useStandin({ streaming: SHORT_STREAMING });

beforeEach(() => forgetAllSessions());

describe('delivery', () => {
	it('one execution per change event, in order, each awaited before the next; the replay state stored before each emit', async () => {
		const sf = standin();
		const setup = { store: new CredentialStore(), credential: storedCredential(sf) };
		const trigger = await activate(setup, ACCOUNT_CHANGES);
		await until(() => listening(sf), 'the trigger listens');
		const ids = sf.insertRecords('Account', accountNames(3));
		await until(() => trigger.database.executions.length === 3, 'three executions');
		await trigger.close();
		const items = trigger.database.items();
		expect(items.map((item) => item.changeType)).toEqual(['CREATE', 'CREATE', 'CREATE']);
		expect(items.map((item) => (item.recordIds as string[])[0])).toEqual(ids);
		expect(sf.streamingCounts.disconnects).toBe(1);
	});
});
