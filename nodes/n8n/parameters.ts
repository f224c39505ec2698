/**
 * Node parameters read once per execution where that is safe. n8n resolves a parameter for each
 * item because it may hold an expression ({{ $json.x }}); one that holds none is the same for every
 * item, and resolving and checking it per item more than doubled the Salesforce Action node's
 * per-item cost (about 7 µs against 3 µs through n8n-core).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A reader for parameter `name`, checked by `check`: per item when the parameter holds an
 * expression, otherwise read and checked on first use and reused for the other items.
 */
export function parameterReader<T>(
	context: IExecuteFunctions,
	name: string,
	fallback: unknown,
	check: (value: unknown) => T,
): (itemIndex: number) => T {
	const read = (itemIndex: number): T => check(context.getNodeParameter(name, itemIndex, fallback));
	if (holdsExpression(context.getNode().parameters[name])) return read;
	let firstRead: { value: T } | undefined;
	return (itemIndex) => (firstRead ??= { value: read(itemIndex) }).value;
}
