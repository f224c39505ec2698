import {
	createN8n,
	CREDENTIAL_TYPE,
	E2E_TIMEOUT_MS,
	LEGACY_AUTH_TYPE,
	SALESFORCE_ACTION_TYPE,
	SALESFORCE_EVENT_TRIGGER_TYPE,
	type N8nUnderTest,
	type N8nServer,
} from './support';

jest.setTimeout(E2E_TIMEOUT_MS);

interface NodeTypeDescription {
	name: string;
	version: number | number[];
	defaultVersion?: number;
	hidden?: boolean;
	properties?: Array<{ name: string; options?: Array<{ name: string; value: unknown }> }>;
}

describe('real n8n with the packed package installed as a community package', () => {
	let n8n: N8nUnderTest;
	let server: N8nServer;
	let workflowId: string;

	beforeAll(async () => {
		n8n = await createN8n({ name: 'loads-package' });
		workflowId = await n8n.cli.importWorkflow({
			name: 'Uses both node types',
			nodes: [
				{
					id: 'n1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'n2',
					name: 'Salesforce Action',
					type: SALESFORCE_ACTION_TYPE,
					typeVersion: 1,
					position: [240, 0],
					parameters: {},
				},
				{
					id: 'n3',
					name: 'Salesforce Authentication',
					type: LEGACY_AUTH_TYPE,
					typeVersion: 1,
					position: [480, 0],
					parameters: {},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Salesforce Action', type: 'main', index: 0 }]] },
				'Salesforce Action': {
					main: [[{ node: 'Salesforce Authentication', type: 'main', index: 0 }]],
				},
			},
		});
		server = await n8n.start();
	});

	afterAll(async () => {
		await n8n?.cleanup();
	});

	it('lists the Salesforce Action node among the node types the editor offers', async () => {
		const nodeTypes = await server.json<NodeTypeDescription[]>('/types/nodes.json');
		const action = nodeTypes.find((type) => type.name === SALESFORCE_ACTION_TYPE);
		expect(action).toBeDefined();
		expect(action?.hidden).toBeFalsy();
	});

	it("says in the nodes panel what sets it apart from n8n's own Salesforce node", async () => {
		const nodeTypes =
			await server.json<Array<NodeTypeDescription & { displayName: string; description: string }>>(
				'/types/nodes.json',
			);
		const ours = nodeTypes.find((type) => type.name === SALESFORCE_ACTION_TYPE);
		const builtIn = nodeTypes.find((type) => type.name === 'n8n-nodes-base.salesforce');
		// Both come up when a flow builder searches "Salesforce": the text under the name tells them apart.
		expect(builtIn?.description).toBe('Consume Salesforce API');
		expect(ours?.displayName).toBe('Salesforce Action');
		expect(ours?.description).toMatch(/^One credential per Salesforce environment/);
		for (const words of ['Username-Password', 'Client Credentials', 'JWT', '200 per request'])
			expect(ours?.description).toContain(words);
		expect(ours?.description).not.toMatch(/deprecated/i);
	});

	it('adds a Salesforce Action to new workflows at version 1.2, and offers no "Custom API Call" operation', async () => {
		const nodeTypes = await server.json<NodeTypeDescription[]>('/types/nodes.json');
		const action = nodeTypes.find((type) => type.name === SALESFORCE_ACTION_TYPE);
		expect(action).toMatchObject({ version: [1, 1.1, 1.2], defaultVersion: 1.2 });
		// n8n appends its own entry to a node's Operation menu where the credential has `authenticate`;
		// on this node it only hid the Response Mapping, and the editor dropped the user's rows.
		const operation = action?.properties?.find((property) => property.name === 'operation');
		expect(operation?.options?.map((option) => option.value)).toEqual(['getAccessToken']);
	});

	it('lists the Salesforce Event Trigger among the triggers (group trigger, no input), with its credential', async () => {
		const nodeTypes = await server.json<
			Array<
				NodeTypeDescription & {
					group?: string[];
					inputs?: unknown[];
					credentials?: Array<{ name: string }>;
				}
			>
		>('/types/nodes.json');
		const trigger = nodeTypes.find((type) => type.name === SALESFORCE_EVENT_TRIGGER_TYPE);
		expect(trigger).toMatchObject({
			group: ['trigger'],
			inputs: [],
			version: 1,
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		});
		expect(trigger?.hidden).toBeFalsy();
	});

	it('keeps the legacy Salesforce Authentication node loadable but hidden from the nodes panel', async () => {
		const nodeTypes = await server.json<NodeTypeDescription[]>('/types/nodes.json');
		expect(nodeTypes.find((type) => type.name === LEGACY_AUTH_TYPE)).toMatchObject({
			hidden: true,
		});
	});

	it('lists the Salesforce Integration credential type', async () => {
		const credentialTypes = await server.json<Array<{ name: string }>>('/types/credentials.json');
		expect(credentialTypes.map((type) => type.name)).toContain(CREDENTIAL_TYPE);
	});

	it('opens the imported workflow with both node types recognised', async () => {
		const { data: workflow } = await server.json<{ data: { nodes: Array<{ type: string }> } }>(
			`/rest/workflows/${workflowId}`,
		);
		expect(workflow.nodes.map((node) => node.type)).toEqual(
			expect.arrayContaining([SALESFORCE_ACTION_TYPE, LEGACY_AUTH_TYPE]),
		);
		const { data: descriptions } = await server.json<{ data: NodeTypeDescription[] }>(
			'/rest/node-types',
			{
				method: 'POST',
				body: JSON.stringify({
					nodeInfos: [
						{ name: SALESFORCE_ACTION_TYPE, version: 1 },
						{ name: LEGACY_AUTH_TYPE, version: 1 },
					],
				}),
			},
		);
		// The full descriptions n8n loads lazily from the package, named without the package prefix.
		expect(descriptions.map((description) => description.name).sort()).toEqual([
			'salesforceAction',
			'salesforceAuth',
		]);
	});
});
