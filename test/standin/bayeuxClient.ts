import type { SalesforceStandin } from '../../dev/salesforce-standin';

/**
 * A tiny Bayeux/CometD long-polling client for the stand-in's tests: plain POSTs of JSON message
 * arrays to /cometd/<version>, keeping the BAYEUX_BROWSER cookie the handshake sets (as a browser
 * would) unless told not to. It does only what a test asks; reconnect logic is the node's job.
 */

export type Message = Record<string, any>;

export interface Answer {
	status: number;
	headers: Headers;
	messages: Message[];
	text: string;
}

export interface BayeuxOptions {
	version?: string;
	/** Keep and send back the cookie the handshake sets; default true. */
	keepCookies?: boolean;
}

export class TestBayeuxClient {
	clientId: string | undefined;
	cookie: string | undefined;
	private nextId = 1;

	constructor(
		private readonly standin: SalesforceStandin,
		public token: string,
		private readonly options: BayeuxOptions = {},
	) {}

	get url(): string {
		return `${this.standin.url}/cometd/${this.options.version ?? '62.0'}`;
	}

	async post(
		messages: Message[] | Message,
		init: { signal?: AbortSignal; path?: string } = {},
	): Promise<Answer> {
		const list = Array.isArray(messages) ? messages : [messages];
		const response = await fetch(init.path ? this.standin.url + init.path : this.url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Authorization: `Bearer ${this.token}`,
				...(this.cookie ? { Cookie: this.cookie } : {}),
			},
			body: JSON.stringify(list.map((message) => ({ id: String(this.nextId++), ...message }))),
			signal: init.signal,
		});
		const text = await response.text();
		if (this.options.keepCookies !== false) {
			const browser = response.headers
				.getSetCookie()
				.find((cookie) => cookie.startsWith('BAYEUX_BROWSER='));
			if (browser) this.cookie = browser.split(';')[0];
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = [];
		}
		return {
			status: response.status,
			headers: response.headers,
			messages: Array.isArray(parsed) ? (parsed as Message[]) : [],
			text,
		};
	}

	async handshake(): Promise<Message> {
		const answer = await this.post({
			channel: '/meta/handshake',
			version: '1.0',
			supportedConnectionTypes: ['long-polling'],
		});
		const reply = answer.messages[0];
		if (reply?.successful) this.clientId = reply.clientId;
		return reply;
	}

	/** `replay`: the replay extension's value for the channel (-1, -2 or a replay id); none sends no ext. */
	async subscribe(channel: string, replay?: unknown): Promise<Message> {
		const ext = replay === undefined ? {} : { ext: { replay: { [channel]: replay } } };
		return (
			await this.post({
				channel: '/meta/subscribe',
				clientId: this.clientId,
				subscription: channel,
				...ext,
			})
		).messages[0];
	}

	async unsubscribe(channel: string): Promise<Message> {
		return (
			await this.post({
				channel: '/meta/unsubscribe',
				clientId: this.clientId,
				subscription: channel,
			})
		).messages[0];
	}

	/** Every message of the answer: delivered events first, then the connect reply. */
	async connect(signal?: AbortSignal): Promise<Message[]> {
		return (
			await this.post(
				{ channel: '/meta/connect', clientId: this.clientId, connectionType: 'long-polling' },
				{ signal },
			)
		).messages;
	}

	async disconnect(): Promise<Message> {
		return (await this.post({ channel: '/meta/disconnect', clientId: this.clientId })).messages[0];
	}

	/** Handshake, subscribe to each channel, and the first connect (answered at once): returns the events it brought. */
	async start(channels: Record<string, unknown>): Promise<Message[]> {
		const handshake = await this.handshake();
		if (!handshake?.successful) throw new Error(`handshake failed: ${JSON.stringify(handshake)}`);
		for (const [channel, replay] of Object.entries(channels)) {
			const reply = await this.subscribe(channel, replay);
			if (!reply?.successful)
				throw new Error(`subscribe ${channel} failed: ${JSON.stringify(reply)}`);
		}
		return eventsOf(await this.connect());
	}

	/** Connects until `count` events have arrived (each connect may carry a part of them). */
	async collect(count: number): Promise<Message[]> {
		const events: Message[] = [];
		while (events.length < count) {
			const messages = await this.connect();
			const reply = connectReply(messages);
			if (!reply?.successful) throw new Error(`connect failed: ${JSON.stringify(reply)}`);
			events.push(...eventsOf(messages));
		}
		return events;
	}
}

export function eventsOf(messages: Message[]): Message[] {
	return messages.filter((message) => !String(message.channel).startsWith('/meta/'));
}

export function connectReply(messages: Message[]): Message | undefined {
	return messages.find((message) => message.channel === '/meta/connect');
}
