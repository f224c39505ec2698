/**
 * A small local HTTP server a workflow calls with a plain HTTP Request node (`sinkNode`), so a test
 * sees every item a workflow emits as it happens, in arrival order — and can make something happen at
 * an exact point of an execution (`on`: end every Salesforce session between two nodes), hold a
 * request open (`hold`: an execution that stays running until the test stops it), or answer with a
 * document of its choice (`serve`: an RSS feed a polling trigger reads, an error status).
 *
 * Every request goes to a channel, the first path segment: http://127.0.0.1:<port>/<channel>.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { waitFor } from '../../../dev/n8n/wait';

export interface SinkRequest {
	method: string;
	/** The path after the channel, with the query string. */
	path: string;
	headers: IncomingMessage['headers'];
	/** The body parsed as JSON when it is JSON, else the text ('' for none). */
	body: unknown;
	/** Date.now() when the request arrived. */
	at: number;
}

/** What a channel answers: a status and a body (an object is sent as JSON). */
export interface SinkAnswer {
	status?: number;
	contentType?: string;
	body?: unknown;
}

export interface Sink {
	/** http://127.0.0.1:<port>/<channel> */
	url: (channel: string) => string;
	/** Requests a channel received so far, in arrival order. */
	received: (channel: string) => SinkRequest[];
	/** The JSON bodies a channel received, in arrival order (what `sinkNode` posted: one item each). */
	items: (channel: string) => unknown[];
	/** Waits until a channel received at least `count` requests; returns them all. */
	waitFor: (channel: string, count: number, timeoutMs?: number) => Promise<SinkRequest[]>;
	/** Runs `hook` when a request arrives (before it is answered); its result, if any, is the answer. */
	on: (
		channel: string,
		hook: (request: SinkRequest) => void | SinkAnswer | Promise<void | SinkAnswer>,
	) => void;
	/** The channel answers every request with this from now on (default: 200 `{ received: true }`). */
	serve: (channel: string, answer: SinkAnswer | ((request: SinkRequest) => SinkAnswer)) => void;
	/** Requests to the channel get no answer until `release` (or close): they hang, as a slow API does. */
	hold: (channel: string) => void;
	/** Answers every held request of the channel (and stops holding). */
	release: (channel: string) => void;
	close: () => Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	try {
		return text === '' ? '' : (JSON.parse(text) as unknown);
	} catch {
		return text;
	}
}

function send(res: ServerResponse, answer: SinkAnswer): void {
	const isText = typeof answer.body === 'string';
	const body = isText ? (answer.body as string) : JSON.stringify(answer.body ?? { received: true });
	res
		.writeHead(answer.status ?? 200, {
			'content-type': answer.contentType ?? (isText ? 'text/plain' : 'application/json'),
		})
		.end(body);
}

export async function startSink(): Promise<Sink> {
	const requests = new Map<string, SinkRequest[]>();
	const hooks = new Map<
		string,
		(request: SinkRequest) => void | SinkAnswer | Promise<void | SinkAnswer>
	>();
	const answers = new Map<string, SinkAnswer | ((request: SinkRequest) => SinkAnswer)>();
	const held = new Map<string, Array<() => void>>();

	const server: Server = createServer((req, res) => {
		void (async () => {
			const [, channel = '', ...rest] = (req.url ?? '/').split('/');
			const [name, query] = channel.split('?');
			const request: SinkRequest = {
				method: req.method ?? 'GET',
				path: `/${rest.join('/')}${query === undefined ? '' : `?${query}`}`,
				headers: req.headers,
				body: await readBody(req),
				at: Date.now(),
			};
			requests.set(name, [...(requests.get(name) ?? []), request]);
			const fromHook = await hooks.get(name)?.(request);
			const served = answers.get(name);
			const answer = fromHook ?? (typeof served === 'function' ? served(request) : served) ?? {};
			const waiting = held.get(name);
			if (waiting) waiting.push(() => send(res, answer));
			else send(res, answer);
		})().catch((error: unknown) => send(res, { status: 500, body: { error: String(error) } }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const received = (channel: string): SinkRequest[] => [...(requests.get(channel) ?? [])];
	const release = (channel: string): void => {
		const waiting = held.get(channel) ?? [];
		held.delete(channel);
		for (const answer of waiting) answer();
	};

	return {
		url: (channel) => `http://127.0.0.1:${port}/${channel}`,
		received,
		items: (channel) => received(channel).map((request) => request.body),
		waitFor: async (channel, count, timeoutMs) =>
			await waitFor(
				`${count} requests at the sink's channel "${channel}"`,
				async () => (received(channel).length >= count ? received(channel) : undefined),
				{
					timeoutMs,
					intervalMs: 100,
					detail: () => `${received(channel).length} arrived`,
				},
			),
		on: (channel, hook) => hooks.set(channel, hook),
		serve: (channel, answer) => answers.set(channel, answer),
		hold: (channel) => held.set(channel, held.get(channel) ?? []),
		release,
		close: async () => {
			for (const channel of [...held.keys()]) release(channel);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
