/**
 * Logins: sends the core's token request through n8n's own HTTP helper, so proxies, n8n's
 * outbound-request settings and its TLS trust store apply exactly as for every other node. The
 * credential's preAuthentication and the legacy node log in through it (they hold no session yet,
 * so they use n8n's plain `httpRequest`, not the connection).
 */
import { sleep } from 'n8n-workflow';
import type { IHttpRequestOptions } from 'n8n-workflow';
import { RETRY_DELAYS_MS, type RetryPolicy, type SendHttpRequest } from '../salesforce';
import type { N8nFullResponse } from './requests';

type N8nHttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

export function sendThroughN8n(httpRequest: N8nHttpRequest): SendHttpRequest {
	return async (request) => {
		const response = (await httpRequest({
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body,
			timeout: request.timeoutMs,
			json: false,
			// Keep the raw text: the core tells an HTML error page from truncated JSON itself.
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect would re-send (or drop) the credentials somewhere else; the core reports it instead.
			disableFollowRedirect: true,
		})) as N8nFullResponse;
		return {
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			body: response.body,
		};
	};
}

/** Connection resets and 502/503/504 are sent again on the package's one retry schedule; nothing else is. */
export const N8N_RETRY_POLICY: RetryPolicy = { delaysMs: RETRY_DELAYS_MS, wait: sleep };
