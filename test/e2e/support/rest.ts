/**
 * n8n's editor REST API as the editor calls it: logged in as the owner of the running `n8n start`
 * (whichever it is after a restart), each answer kept for the secret scan unless it is read for what
 * it holds (executions are scanned as executions), a clear error on a failed call.
 */
import type { N8nServer } from '../../../dev/n8n/server';
import type { Haystack } from './secret-scan';

/** A REST call n8n answered with a non-2xx status. */
export class RestError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
	}

	/** n8n's own message in the answer (`{ message }`), else the body. */
	get n8nMessage(): string {
		try {
			return String((JSON.parse(this.body) as { message?: unknown }).message ?? this.body);
		} catch {
			return this.body;
		}
	}
}

export class RestClient {
	constructor(
		private readonly server: () => N8nServer,
		private readonly haystacks: Haystack[],
	) {}

	/** The answer's `data`; the answer is kept for the secret scan, labelled with `label`. */
	async json<T>(label: string, path: string, init?: RequestInit): Promise<T> {
		return await this.call<T>(path, init, (text) =>
			this.haystacks.push({
				label: `REST answer to ${init?.method ?? 'GET'} ${path} (${label})`,
				text,
			}),
		);
	}

	/** The answer's `data`, not kept: for answers scanned otherwise (saved executions). */
	async read<T>(path: string, init?: RequestInit): Promise<T> {
		return await this.call<T>(path, init, () => undefined);
	}

	private async call<T>(
		path: string,
		init: RequestInit | undefined,
		keep: (text: string) => void,
	): Promise<T> {
		const response = await this.server().fetch(path, init);
		const text = await response.text();
		keep(text);
		if (!response.ok) throw new RestError(init?.method ?? 'GET', path, response.status, text);
		return (JSON.parse(text) as { data: T }).data;
	}
}
