/**
 * What the editor shows of the Salesforce Action node's description, judged by n8n-workflow's own
 * display rules (NodeHelpers.displayParameter, as the editor and n8n's parameter checks use it).
 */
import { NodeHelpers } from 'n8n-workflow';
import type { INodeParameters, INodeProperties } from 'n8n-workflow';
import { SalesforceAction } from '../../../nodes/SalesforceAction/SalesforceAction.node';

const description = new SalesforceAction().description;

function shown(parameters: INodeParameters, name: string): INodeProperties[] {
	const node = {
		id: 'n',
		name: 'Salesforce Action',
		type: 'salesforceAction',
		typeVersion: 1.1,
		position: [0, 0] as [number, number],
		parameters,
	};
	return description.properties.filter(
		(property) =>
			property.name === name &&
			NodeHelpers.displayParameter(parameters, property, node, description),
	);
}

const object = (value: string) => ({ __rl: true, mode: 'list', value });

describe('the Fields mapper in the editor', () => {
	it.each(['create', 'update', 'upsert'])(
		'%s: hidden until an object is chosen (no "No fields found" before), shown after',
		(operation) => {
			expect(shown({ resource: 'record', operation, sobject: object('') }, 'columns')).toHaveLength(
				0,
			);
			expect(
				shown({ resource: 'record', operation, sobject: object('Account') }, 'columns'),
			).toHaveLength(1);
			// An object set by an expression: shown, for "Map Automatically".
			expect(
				shown({ resource: 'record', operation, sobject: object('={{ $json.object }}') }, 'columns'),
			).toHaveLength(1);
		},
	);

	it("words its hints with the object's Salesforce fields", () => {
		const [columns] = shown(
			{ resource: 'record', operation: 'create', sobject: object('Account') },
			'columns',
		);
		expect(columns.typeOptions?.resourceMapper).toMatchObject({
			mode: 'add',
			fieldWords: { singular: 'field', plural: 'Salesforce fields' },
			addAllFields: false,
			supportAutoMap: true,
		});
		const [update] = shown(
			{ resource: 'record', operation: 'update', sobject: object('Account') },
			'columns',
		);
		expect(update.typeOptions?.resourceMapper?.valuesLabel).toBe('Values to Update');
	});
});
