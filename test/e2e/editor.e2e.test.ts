/**
 * What n8n 2.41's editor gets for the Fields mapper, through the endpoint it calls itself
 * (POST /rest/dynamic-node-parameters/resource-mapper-fields, logged in as the owner) against the
 * stand-in, judged by the editor's own rules for "Map Each Column Manually" (mode add, addAllFields
 * false): it lists `display && !removed` fields, offers `display && removed` ones under "Add field to
 * send" / "Add All Salesforce fields", and on picking an object sets `removed = !required` itself.
 */
import { startSalesforceStandin, type SalesforceStandin } from '../../dev/salesforce-standin';
import {
	createN8n,
	CREDENTIAL_TYPE,
	E2E_TIMEOUT_MS,
	SALESFORCE_ACTION_TYPE,
	salesforceCredential,
	type N8nServer,
	type N8nUnderTest,
} from './support';
import { asTheEditorShowsIt } from '../support/resourceMapperView';

jest.setTimeout(E2E_TIMEOUT_MS);

interface MapperField {
	id: string;
	displayName: string;
	required: boolean;
	display: boolean;
	removed?: boolean;
	type?: string;
	canBeUsedToMatch?: boolean;
}

describe("the Fields mapper through n8n's own endpoint", () => {
	let standin: SalesforceStandin;
	let n8n: N8nUnderTest;
	let server: N8nServer;
	const credential = { id: 'editorMapperCred', name: 'Mapper org' };

	beforeAll(async () => {
		standin = await startSalesforceStandin({ label: 'mapper' });
		n8n = await createN8n({ name: 'editor' });
		await n8n.cli.importCredentials([
			salesforceCredential(
				credential.name,
				{ authFlow: 'password', domain: standin.url, ...standin.demo },
				credential.id,
			),
		]);
		server = await n8n.start();
	});

	afterAll(async () => {
		await n8n?.cleanup();
		await standin?.close();
	});

	/** What the editor asks when an object is picked (or its field list refreshed). */
	async function fieldsFor(parameters: Record<string, unknown>): Promise<MapperField[]> {
		const answer = await server.json<{ data: { fields: MapperField[] } }>(
			'/rest/dynamic-node-parameters/resource-mapper-fields',
			{
				method: 'POST',
				body: JSON.stringify({
					nodeTypeAndVersion: { name: SALESFORCE_ACTION_TYPE, version: 1.1 },
					currentNodeParameters: {
						resource: 'record',
						columns: { mappingMode: 'defineBelow', value: null },
						...parameters,
					},
					path: 'parameters.columns',
					methodName: 'getMappingColumns',
					credentials: { [CREDENTIAL_TYPE]: credential },
				}),
			},
		);
		return answer.data.fields;
	}

	const account = { __rl: true, mode: 'list', value: 'Account' };

	it('Create on Account: Account Name shown, every other createable field addable (Industry, Phone, Website…), none unreachable', async () => {
		const fields = await fieldsFor({ operation: 'create', sobject: account });
		const view = asTheEditorShowsIt(fields);
		expect(view.shown).toEqual(['Name']);
		expect(view.addable).toEqual(
			expect.arrayContaining([
				'Industry',
				'Phone',
				'Website',
				'Type',
				'AnnualRevenue',
				'NumberOfEmployees',
				'ParentId',
				'External_Id__c',
			]),
		);
		expect(view.unreachable).toEqual([]);
		expect(fields.find((field) => field.id === 'Name')).toMatchObject({
			displayName: 'Account Name (Name)',
			required: true,
		});
		expect(fields.find((field) => field.id === 'Industry')).toMatchObject({ type: 'options' });
	});

	it('Update on Account: nothing required, every updateable field addable — the mapper always offers fields to set', async () => {
		const view = asTheEditorShowsIt(await fieldsFor({ operation: 'update', sobject: account }));
		expect(view.shown).toEqual([]);
		expect(view.addable).toEqual(expect.arrayContaining(['Name', 'Industry', 'Phone', 'Website']));
		expect(view.addable).not.toContain('CreatedDate');
		expect(view.unreachable).toEqual([]);
	});

	it('Create or Update on Invoice__c: the chosen External ID Field shown and required, the other fields addable', async () => {
		const fields = await fieldsFor({
			operation: 'upsert',
			sobject: { __rl: true, mode: 'name', value: 'Invoice__c' },
			externalIdField: 'Invoice_Number__c',
		});
		const view = asTheEditorShowsIt(fields);
		expect(view.shown).toEqual(['Invoice_Number__c']);
		expect(view.addable).toEqual(
			expect.arrayContaining(['Name', 'Amount__c', 'Paid__c', 'Account__c']),
		);
		expect(fields.find((field) => field.id === 'Invoice_Number__c')).toMatchObject({
			canBeUsedToMatch: true,
		});
	});

	it('before an object is picked: no request to Salesforce, no fields — and the mapper is hidden (no red "No fields found")', async () => {
		standin.resetRecords();
		expect(
			await fieldsFor({ operation: 'create', sobject: { __rl: true, mode: 'list', value: '' } }),
		).toEqual([]);
		expect(standin.requests.filter((request) => request.path.includes('/sobjects'))).toEqual([]);
		const [description] = (
			await server.json<{
				data: Array<{
					properties: Array<{
						name: string;
						displayOptions?: unknown;
						typeOptions?: { resourceMapper?: unknown };
					}>;
				}>;
			}>('/rest/node-types', {
				method: 'POST',
				body: JSON.stringify({ nodeInfos: [{ name: SALESFORCE_ACTION_TYPE, version: 1.1 }] }),
			})
		).data;
		const columns = description.properties.filter((property) => property.name === 'columns');
		expect(columns).toHaveLength(3);
		for (const property of columns) {
			expect(property.displayOptions).toMatchObject({ hide: { sobject: [''] } });
			expect(property.typeOptions?.resourceMapper).toMatchObject({
				mode: 'add',
				addAllFields: false,
				fieldWords: { singular: 'field', plural: 'Salesforce fields' },
			});
		}
	});
});
