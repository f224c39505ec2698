/**
 * Errors reach the package wrapped: n8n-core wraps what a request or the credential threw in its
 * NodeApiError, axios wraps Node's socket error, n8n 1.x wraps once more. Every question asked of
 * such an error — which Salesforce error is inside, which HTTP answer, which socket code — is one
 * walk down its `cause` chain, bounded so a chain that loops back on itself still ends.
 */
const MAX_DEPTH = 8;

/** The first non-undefined answer of `pick` along the error's cause chain, the error itself first. */
export function findInCauses<T>(
	error: unknown,
	pick: (link: object) => T | undefined,
): T | undefined {
	let current: unknown = error;
	for (
		let depth = 0;
		depth < MAX_DEPTH && current !== null && typeof current === 'object';
		depth++
	) {
		const found = pick(current);
		if (found !== undefined) return found;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
