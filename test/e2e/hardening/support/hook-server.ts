/**
 * A tiny local HTTP server a workflow can call (plain HTTP Request node) to make something happen at
 * an exact point of an execution — e.g. end every Salesforce session between two nodes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HookServer {
	/** http://127.0.0.1:<port>/<name> runs the hook registered under that name. */
	urlFor: (name: string) => string;
	calls: (name: string) => number;
	close: () => Promise<void>;
}

export async function startHookServer(hooks: Record<string, () => void | Promise<void>>): Promise<HookServer> {
	const counts = new Map<string, number>();
	const server: Server = createServer((req, res) => {
		const name = (req.url ?? '/').slice(1).split('?')[0];
		const hook = hooks[name];
		void (async () => {
			if (!hook) {
				res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `no hook ${name}` }));
				return;
			}
			counts.set(name, (counts.get(name) ?? 0) + 1);
			await hook();
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hook: name, done: true }));
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		urlFor: (name) => `http://127.0.0.1:${port}/${name}`,
		calls: (name) => counts.get(name) ?? 0,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
