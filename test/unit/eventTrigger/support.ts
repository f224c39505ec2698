/**
 * What the event trigger's tests share: a stand-in with a short long poll, the trigger node's
 * activation through n8n-core (test/support/n8n-trigger.ts), and waiting without asserting a time.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import type { SalesforceStandin, StandinStreamingOptions } from '../../../dev/salesforce-standin';
import { SalesforceEventTrigger } from '../../../nodes/SalesforceEventTrigger/SalesforceEventTrigger.node';
import { credentialType, storedCredential } from '../../support/fixtures';
import { CredentialStore, type StoredCredential } from '../../support/n8n-harness';
import {
	activateTrigger,
	listenForTestEvent,
	type ActivateOptions,
	type ActiveTrigger,
	type ManualRun,
} from '../../support/n8n-trigger';

/** Tests cannot wait 110 s for a long poll; the reconnect timeout stays long unless a test is about it. */
export const SHORT_STREAMING: StandinStreamingOptions = {
	longPollTimeoutMs: 500,
	reconnectTimeoutMs: 30_000,
	sessionCheckIntervalMs: 50,
};

export const ACCOUNT_CHANGES: INodeParameters = {
	source: 'changeEvents',
	sobject: { __rl: true, mode: 'list', value: 'Account' },
};
export const ORDER_SHIPPED: INodeParameters = {
	source: 'platformEvent',
	eventName: { __rl: true, mode: 'name', value: 'Order_Shipped__e' },
};

export interface TriggerSetup {
	store: CredentialStore;
	credential: StoredCredential;
}

/** A credential for the stand-in's demo user, in a store of its own. */
export function setupFor(
	sf: SalesforceStandin,
	changes: ICredentialDataDecryptedObject = {},
): TriggerSetup {
	return { store: new CredentialStore(), credential: storedCredential(sf, changes) };
}

export function triggerOptions(
	setup: TriggerSetup,
	parameters: INodeParameters,
	more: Partial<ActivateOptions> = {},
): ActivateOptions {
	return {
		node: new SalesforceEventTrigger(),
		parameters,
		credential: setup.credential,
		credentialTypes: [credentialType],
		store: setup.store,
		...more,
	};
}

/** Triggers still active, closed after each test (before its stand-in), should the test not have got that far. */
const open = new Set<{ close: () => Promise<void> }>();

afterEach(async () => {
	await Promise.all([...open].map(async (trigger) => await trigger.close()));
	open.clear();
});

function tracked<T extends { close: () => Promise<void> }>(trigger: T): T {
	open.add(trigger);
	const close = trigger.close;
	trigger.close = async () => {
		open.delete(trigger);
		await close();
	};
	return trigger;
}

export async function activate(
	setup: TriggerSetup,
	parameters: INodeParameters,
	more: Partial<ActivateOptions> = {},
): Promise<ActiveTrigger> {
	return tracked(await activateTrigger(triggerOptions(setup, parameters, more)));
}

export async function listen(setup: TriggerSetup, parameters: INodeParameters): Promise<ManualRun> {
	return tracked(await listenForTestEvent(triggerOptions(setup, parameters)));
}

export async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the condition holds (polling); fails the test after a generous bound, never asserting a time. */
export async function until(
	condition: () => boolean,
	what: string,
	boundMs = 20_000,
): Promise<void> {
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > boundMs) throw new Error(`timed out waiting until ${what}`);
		await sleep(10);
	}
}

/** A held long poll of the stand-in's only client: the trigger is listening. */
export function listening(sf: SalesforceStandin): boolean {
	return sf.streamingClients().some((client) => client.connectHeld);
}

export function accountNames(count: number, prefix = 'Account'): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, index) => ({ Name: `${prefix} ${index}` }));
}
