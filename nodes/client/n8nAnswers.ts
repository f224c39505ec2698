/**
 * What an error n8n threw for a request holds: the HTTP answer (axios's `response`, somewhere in the
 * cause chain of n8n's NodeApiError), or Node's socket error code when no answer came. Read here
 * only; the error itself is never shown, since n8n's error of a request carries its options — the
 * Bearer header among them.
 */
import { findInCauses } from '../salesforce';

export interface ThrownAnswer {
	status: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

/** The HTTP answer inside an error n8n threw, if an answer came. */
export function answerIn(error: unknown): ThrownAnswer | undefined {
	return findInCauses(error, (link) => {
		const { response } = link as {
			response?: { status?: unknown; data?: unknown; headers?: Record<string, unknown> };
		};
		const status = response?.status;
		return typeof status === 'number' && status > 0
			? { status, body: response?.data, headers: response?.headers }
			: undefined;
	});
}

/**
 * The HTTP status of a thrown error: the answer's, or the `httpCode` of n8n's NodeApiError where n8n
 * 1.x dropped the answer with the cause (its error class resets `cause` after construction).
 */
export function statusIn(error: unknown): number | undefined {
	return (
		answerIn(error)?.status ??
		findInCauses(error, (link) => {
			const status = Number((link as { httpCode?: unknown }).httpCode);
			return Number.isInteger(status) && status > 0 ? status : undefined;
		})
	);
}

/** Node's socket error code (ECONNRESET, ETIMEDOUT, ENOTFOUND …) inside an error n8n threw. */
export function networkCodeIn(error: unknown): string | undefined {
	return findInCauses(error, (link) => {
		const { code } = link as { code?: unknown };
		return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : undefined;
	});
}
