/**
 * The Salesforce Trigger as n8n runs it (test/support/n8n-polling.ts: n8n-core's real PollContext,
 * activation, scheduled polls, saves, restarts) against a stand-in whose clock the test controls:
 * - `passTime` moves time on for this machine and the org alike (Date.now, which n8n, the trigger and
 *   the stand-in all read), as minutes passing between polls;
 * - the org's clock skew (`setOrgTime`, `sf.setClockSkew`) is how far the org's clock disagrees with
 *   n8n's; the trigger only learns it from Salesforce's answers, as from a real org.
 */
import type { INodeParameters } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../../dev/salesforce-standin';
import { forgetAllSessions } from '../../../../nodes/client/liveSessions';
import { SalesforceTrigger } from '../../../../nodes/SalesforceTrigger/SalesforceTrigger.node';
import { N8nPolling } from '../../../support/n8n-polling';
import { CredentialStore, type StoredCredential } from '../../../support/n8n-harness';
import { credentialType, storedCredential, useStandin } from '../../../support/fixtures';

export const object = (name: string) => ({ __rl: true, mode: 'list', value: name });

export interface TriggerUnderTest {
	n8n: N8nPolling;
	credential: StoredCredential;
	store: CredentialStore;
}

/** A Salesforce Trigger node with these parameters in a workflow n8n has not activated yet. */
export function salesforceTrigger(
	sf: SalesforceStandin,
	parameters: INodeParameters,
	options: { credential?: StoredCredential; store?: CredentialStore } = {},
): TriggerUnderTest {
	const credential = options.credential ?? storedCredential(sf);
	const store = options.store ?? new CredentialStore();
	const n8n = new N8nPolling({
		node: new SalesforceTrigger(),
		parameters,
		credential,
		credentialTypes: [credentialType],
		store,
	});
	return { n8n, credential, store };
}

/** A fresh stand-in (no sample records) per test, time under the test's control, no session remembered: call at the top of a file. */
export function useTriggerTests(): () => SalesforceStandin {
	const standin = useStandin({ seedData: false });
	useControlledTime();
	beforeEach(() => forgetAllSessions());
	return standin;
}

/** When the tests' org clock starts: a trigger activated then polls past a minute's end half a minute later. */
export const ORG_START = '2026-12-04T10:00:30.000Z';

/** A trigger with these parameters that n8n has just activated at ORG_START (the first poll emits nothing). */
export async function activeTrigger(
	sf: SalesforceStandin,
	parameters: INodeParameters,
	options: { credential?: StoredCredential; store?: CredentialStore } = {},
): Promise<TriggerUnderTest> {
	setOrgTime(sf, ORG_START);
	const trigger = salesforceTrigger(sf, parameters, options);
	await trigger.n8n.activate();
	return trigger;
}

/** Sets the org's clock to this instant (it runs on from there): a skew against this machine's. */
export function setOrgTime(sf: SalesforceStandin, iso: string): void {
	sf.setClockSkew(Date.parse(iso) - Date.now());
}

let timeShift = 0;

/** Lets tests move time on. */
function useControlledTime(): void {
	beforeEach(() => {
		timeShift = 0;
		const realNow = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + timeShift);
	});
	afterEach(() => jest.restoreAllMocks());
}

/** Time passes, for n8n and the org alike. */
export function passTime(ms: number): void {
	timeShift += ms;
}

/** This machine's clock is set `ms` on (or back): the org's time does not move. */
export function setLocalClock(sf: SalesforceStandin, ms: number): void {
	timeShift += ms;
	sf.setClockSkew(sf.clockSkewMs - ms);
}

/** REST requests the stand-in counted against the API allocation since the last reset, then resets. */
export function apiRequestsSince(sf: SalesforceStandin): number {
	const count = sf.apiRequestCount;
	sf.resetRecords();
	return count;
}

/** The names of items, in emitted order. */
export function names(items: Array<Record<string, unknown>>): unknown[] {
	return items.map((item) => item.Name);
}
