import type {
	SalesforceStandin,
	StandinOptions,
	StandinStreamingOptions,
} from '../../dev/salesforce-standin';
import { login, rest, start, type Rest } from './restSupport';
import { TestBayeuxClient, type BayeuxOptions } from './bayeuxClient';

/**
 * A stand-in with a short long poll (tests cannot wait 110 s), a session and a Bayeux client. The
 * reconnect timeout stays long, so a slow machine never loses a client between two steps of a test;
 * the tests of that timeout shorten it themselves.
 */

export const SHORT: StandinStreamingOptions = {
	longPollTimeoutMs: 400,
	reconnectTimeoutMs: 30_000,
	sessionCheckIntervalMs: 50,
};

export interface Streaming {
	standin: SalesforceStandin;
	token: string;
	api: Rest;
	client: TestBayeuxClient;
	newClient(options?: BayeuxOptions): TestBayeuxClient;
}

export async function streaming(
	options: StandinOptions = {},
	bayeux: BayeuxOptions = {},
): Promise<Streaming> {
	const standin = await start({ ...options, streaming: { ...SHORT, ...options.streaming } });
	const token = await login(standin);
	const newClient = (clientOptions: BayeuxOptions = bayeux) =>
		new TestBayeuxClient(standin, token, clientOptions);
	return { standin, token, api: rest(standin, token), client: newClient(), newClient };
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the condition holds (polling); fails the test after a generous bound, never asserting a time. */
export async function until(condition: () => boolean, what: string): Promise<void> {
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > 10_000) throw new Error(`timed out waiting until ${what}`);
		await sleep(10);
	}
}
