/** What the client's tests share: a failure's n8n error, the no-token check, records to write. */
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';
import type { SalesforceStandin } from '../../../dev/salesforce-standin';

/** What `run` threw, or a failure of the test when it did not. */
export async function failureOf(run: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	const outcome = await run.then(
		() => undefined,
		(error: unknown) => error,
	);
	if (!outcome) throw new Error('expected a failure');
	return outcome as NodeApiError | NodeOperationError;
}

/** Neither the error nor anything it carries (cause, context, messages) holds a session token. */
export function expectNoToken(
	sf: SalesforceStandin,
	error: unknown,
	extraTokens: string[] = [],
): void {
	const seen = new Set<unknown>();
	const texts: string[] = [];
	const walk = (value: unknown, depth: number) => {
		if (depth > 8 || value === null || value === undefined || seen.has(value)) return;
		if (typeof value === 'string') texts.push(value);
		if (typeof value !== 'object') return;
		seen.add(value);
		for (const key of Object.getOwnPropertyNames(value))
			walk((value as Record<string, unknown>)[key], depth + 1);
	};
	walk(error, 0);
	const everything = texts.join('\n');
	for (const token of [...sf.activeSessions(), ...extraTokens])
		expect(everything).not.toContain(token);
	expect(everything).not.toMatch(/Bearer /);
}

export function accounts(count: number, from = 0): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({ Name: `Account ${from + index}` }));
}
