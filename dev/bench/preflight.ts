/**
 * Before anything is built or started: does the node offer the operations the benchmark runs? Read
 * from the node's source, which is what the packed package is built from. Without them the script
 * stops with a clear message rather than measure something else.
 */
import { join } from 'node:path';

import { REPO_ROOT } from '../n8n/packed-package';

interface Property {
	name: string;
	options?: Array<{ value?: unknown }>;
	displayOptions?: { show?: Record<string, unknown[] | undefined> };
}

interface Description {
	version: number | number[];
	defaultVersion?: number;
	properties: Property[];
}

/** resource → operation pairs the scenarios use. */
const NEEDED: Array<[resource: string, operation: string, what: string]> = [
	['session', 'getAccessToken', 'Session → Get Access Token'],
	['record', 'create', 'Record → Create'],
	['query', 'soql', 'Query → Run SOQL'],
];

const NODE_SOURCE = join(REPO_ROOT, 'nodes', 'SalesforceAction', 'SalesforceAction.node');

async function loadDescription(): Promise<Description> {
	try {
		const module = (await import(`${NODE_SOURCE}.ts`)) as {
			SalesforceAction?: new () => { description: Description };
		};
		if (!module.SalesforceAction) throw new Error('it exports no SalesforceAction class');
		return new module.SalesforceAction().description;
	} catch (error) {
		throw new Error(
			`Cannot load the Salesforce Action node (${NODE_SOURCE}.ts): ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}

function offers(properties: Property[], resource: string, operation: string): boolean {
	const resources = properties.find((property) => property.name === 'resource');
	const hasResource =
		resources?.options?.some((option) => option.value === resource) ?? resource === 'session';
	const operations = properties.filter(
		(property) =>
			property.name === 'operation' &&
			(property.displayOptions?.show?.resource?.includes(resource) ?? resource === 'session'),
	);
	return (
		hasResource &&
		operations.some((property) => property.options?.some((option) => option.value === operation))
	);
}

/**
 * The node version new workflows get (the one the benchmark's data workflows use); throws when an
 * operation the chosen scenarios run is missing.
 */
export async function checkNodeOperations(scenarios: {
	create: boolean;
	query: boolean;
}): Promise<number> {
	const description = await loadDescription();
	const needed = NEEDED.filter(
		([resource]) =>
			resource === 'session' || (resource === 'record' ? scenarios.create : scenarios.query),
	);
	const missing = needed.filter(
		([resource, operation]) => !offers(description.properties, resource, operation),
	);
	if (missing.length > 0) {
		throw new Error(
			`The Salesforce Action node offers no ${missing.map(([resource, operation, what]) => `${what} (resource "${resource}", operation "${operation}")`).join(', ')}. ` +
				'The benchmark measures those operations and will not stand in anything else for them: nothing was measured.',
		);
	}
	const versions = Array.isArray(description.version) ? description.version : [description.version];
	return description.defaultVersion ?? Math.max(...versions);
}
