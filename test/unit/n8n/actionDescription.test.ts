/**
 * What the editor shows of Salesforce Action, checked with n8n's own code where n8n has it: the
 * Object picker's "By API Name" check (n8n-workflow's parameter validation, which the editor runs)
 * refuses exactly the names a run refuses (the core's checkApiName), and the canvas subtitle names
 * each operation as the Operation menu does.
 */
import * as fc from 'fast-check';
import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { properties, subtitle } from '../../../nodes/SalesforceAction/actions/description';
import { sobjectLocator } from '../../../nodes/SalesforceAction/actions/record/common';
import { checkApiName } from '../../../nodes/salesforce';

/** The issues n8n finds in the Object picker holding `name` (typed in mode "By API Name"). */
function editorIssues(name: string): string[] {
	const node: INode = {
		id: '1',
		name: 'Salesforce Action',
		type: 'n8n-nodes-salesforce-integration.salesforceAction',
		typeVersion: 1.1,
		position: [0, 0],
		parameters: {
			resource: 'record',
			operation: 'get',
			sobject: { __rl: true, mode: 'name', value: name },
		},
	};
	const issues = NodeHelpers.getNodeParametersIssues([sobjectLocator], node, {
		properties: [sobjectLocator],
	} as unknown as INodeTypeDescription);
	return issues?.parameters?.sobject ?? [];
}

function editorAccepts(name: string): boolean {
	return editorIssues(name).length === 0;
}

function runAccepts(name: string): boolean {
	try {
		checkApiName(name, 'Object');
		return true;
	} catch {
		return false;
	}
}

/** [name, accepted]: what Salesforce names, what the old editor rule let through, what both refuse. */
const NAMES: Array<[string, boolean]> = [
	['Account', true],
	['Invoice__c', true],
	['ns__Invoice__c', true],
	['Invoice_Line__c', true],
	['Location__latitude__s', true],
	['ns__Location__latitude__s', true],
	['Order_Event__e', true],
	['Config__mdt', true],
	['External__x', true],
	['AccountChangeEvent', true],
	[' Account ', true],
	['a'.repeat(255), true],
	['Account_', false],
	['Name__', false],
	['A___c', false],
	['a__b__c__d__e', false],
	['a'.repeat(256), false],
	['1Account', false],
	['_Account', false],
	['Account Name', false],
	['Account.Name', false],
	['', false],
];

describe("the Object picker's API name check is the core's rule", () => {
	it.each(
		NAMES.map(([name, accepted]) => ({
			shown: JSON.stringify(name.length > 30 ? `${name.slice(0, 8)}… (${name.length})` : name),
			name,
			accepted,
		})),
	)('$shown: accepted $accepted by the editor and by a run', ({ name, accepted }) => {
		expect(runAccepts(name)).toBe(accepted);
		expect(editorAccepts(name)).toBe(accepted);
	});

	it('agrees on any text made of the characters names are made of (property)', () => {
		const character = fc.constantFrom('a', 'Z', '0', '9', '_', '_', '_', ' ', '.', '-', '\t');
		fc.assert(
			fc.property(
				fc.array(character, { maxLength: 24 }).map((characters) => characters.join('')),
				(name) => {
					expect(editorAccepts(name)).toBe(runAccepts(name));
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('says what an API name is when it refuses one', () => {
		expect(editorIssues('Account_')).toEqual([
			expect.stringMatching(/^An API name like Account or Invoice__c: a letter first/),
		]);
	});
});

describe('the canvas subtitle', () => {
	const operationMenus = properties.filter((property) => property.name === 'operation');
	const shown = JSON.parse(
		/\((\{.*\})\)\[\$parameter\["operation"\]\]/.exec(subtitle)?.[1] ?? 'null',
	) as Record<string, string>;

	it('names every operation as the Operation menu does', () => {
		const menu = Object.fromEntries(
			operationMenus.flatMap((property) =>
				(property.options as INodePropertyOptions[]).map((option) => [option.value, option.name]),
			),
		);
		expect(Object.keys(menu).length).toBeGreaterThan(8);
		expect(shown).toEqual(menu);
		expect(shown.upsert).toBe('Create or Update');
	});
});
