/**
 * The migration's pure transformation: deprecated Salesforce Authentication nodes → Salesforce Action
 * nodes with one credential per environment, recognised again on a later run, secrets never in the plan.
 */
import {
	ACTION_NODE_VERSION,
	credentialIdFor,
	describePlan,
	planMigration,
	type Workflow,
	type WorkflowNode,
} from '../../../migrate/src/transform';

const LEGACY = 'n8n-nodes-salesforce-integration.salesforceAuth';
const ACTION = 'n8n-nodes-salesforce-integration.salesforceAction';

const acme = {
	consumerKey: '3MVG9acmeKEY',
	consumerSecret: 'acme-consumer-secret',
	domain: 'acme.my.salesforce.com',
	username: 'api@acme.com',
	password: 'p#ss&+%=?/ éTOKEN123',
};
const uat = {
	...acme,
	domain: 'acme--uat.sandbox.my.salesforce.com',
	username: 'api@acme.com.uat',
	consumerSecret: 'uat-secret',
	password: 'uat-pass',
};
const SECRETS = [acme.consumerSecret, acme.password, uat.consumerSecret, uat.password];

function legacyNode(
	name: string,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: `id-${name}`,
		name,
		type: LEGACY,
		typeVersion: 1,
		position: [240, 0],
		parameters,
		...extra,
	};
}

function workflow(id: string, nodes: WorkflowNode[], extra: Partial<Workflow> = {}): Workflow {
	const trigger: WorkflowNode = {
		id: 't',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const connections = { Start: { main: [[{ node: nodes[0]?.name, type: 'main', index: 0 }]] } };
	return {
		id,
		name: `Workflow ${id}`,
		nodes: [trigger, ...nodes],
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		...extra,
	};
}

function expectNoSecret(text: string): void {
	for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('planMigration', () => {
	it('creates one credential per environment and replaces each node in place, keeping its settings', () => {
		const settings = {
			retryOnFail: true,
			maxTries: 4,
			waitBetweenTries: 2000,
			onError: 'continueRegularOutput',
			notes: 'prod login',
			notesInFlow: true,
			disabled: false,
		};
		const workflows = [
			workflow('w1', [legacyNode('Login', { ...acme, outputField: 'token' }, settings)], {
				active: true,
			}),
			// The same environment typed differently (domain form, user in capitals): the same credential.
			workflow('w2', [
				legacyNode('Login', {
					...acme,
					domain: 'https://ACME.my.salesforce.com/',
					username: 'API@acme.com',
				}),
			]),
			workflow('w3', [legacyNode('UAT', uat)]),
		];
		const plan = planMigration({ workflows });

		expect(
			plan.credentials.map(({ name, status, nodeCount }) => ({ name, status, nodeCount })),
		).toEqual([
			{ name: 'Salesforce acme.my.salesforce.com (api@acme.com)', status: 'create', nodeCount: 2 },
			{
				name: 'Salesforce acme--uat.sandbox.my.salesforce.com (api@acme.com.uat)',
				status: 'create',
				nodeCount: 1,
			},
		]);
		const [acmeCredential] = plan.credentialImports;
		expect(acmeCredential).toEqual({
			id: credentialIdFor('https://acme.my.salesforce.com', acme.consumerKey, acme.username),
			name: 'Salesforce acme.my.salesforce.com (api@acme.com)',
			type: 'salesforceIntegrationApi',
			data: { authFlow: 'password', ...acme, securityToken: '', timeout: 10 },
		});
		expect(acmeCredential.id).toMatch(/^[A-Za-z0-9]{16}$/);

		const [migrated] = plan.migratedWorkflows;
		const original = workflows[0];
		expect(migrated.nodes[0]).toBe(original.nodes[0]);
		expect(migrated.nodes[1]).toEqual({
			id: 'id-Login',
			name: 'Login',
			type: ACTION,
			typeVersion: ACTION_NODE_VERSION,
			position: [240, 0],
			...settings,
			parameters: {
				operation: 'getAccessToken',
				responseMapping: { mappings: [{ objectPath: 'access_token', field: 'token' }] },
			},
			credentials: {
				salesforceIntegrationApi: { id: acmeCredential.id, name: acmeCredential.name },
			},
		});
		expect(migrated.connections).toBe(original.connections);
		expect(migrated).toMatchObject({
			id: 'w1',
			name: 'Workflow w1',
			active: true,
			settings: original.settings,
		});
		// The input is not modified.
		expect(original.nodes[1].type).toBe(LEGACY);
		// The default Output Field (not saved by n8n) becomes an explicit SF_ACCESS_TOKEN.
		expect(plan.migratedWorkflows[1].nodes[1].parameters).toMatchObject({
			responseMapping: { mappings: [{ field: 'SF_ACCESS_TOKEN' }] },
		});
		expect(plan.workflows[0].wasActive).toBe(true);
	});

	it('leaves a node with expression fields as it is, with the reason, and does not touch workflows without the node', () => {
		const plain = workflow('plain', [
			{ id: 'c', name: 'Code', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: {} },
		]);
		const expression = workflow('expr', [
			legacyNode('Login', { ...acme, password: '={{ $env.SF_PASSWORD }}' }),
		]);
		const plan = planMigration({ workflows: [plain, expression] });

		expect(plan.migratedWorkflows).toEqual([]);
		expect(plan.credentialImports).toEqual([]);
		expect(plan.untouchedWorkflowCount).toBe(1);
		expect(plan.workflows).toEqual([
			{
				id: 'expr',
				name: 'Workflow expr',
				wasActive: false,
				replaced: [],
				skipped: [{ node: 'Login', reason: expect.stringMatching(/^Password is an expression/) }],
			},
		]);
	});

	it.each([
		['an empty field', { ...acme, consumerSecret: undefined }, /Consumer Secret is empty/],
		[
			'a domain the package refuses',
			{ ...acme, domain: 'acme.my.salesforce.com.evil.test' },
			/Domain: .*not a Salesforce login host/,
		],
		[
			'an unusable Output Field',
			{ ...acme, outputField: ' token' },
			/Output Field: starts or ends with a space/,
		],
		[
			'an expression Output Field',
			{ ...acme, outputField: '={{ "x" }}' },
			/Output Field is an expression/,
		],
	])('leaves a node with %s as it is', (_what, parameters, reason) => {
		const plan = planMigration({ workflows: [workflow('w', [legacyNode('Login', parameters)])] });
		expect(plan.migratedWorkflows).toEqual([]);
		expect(plan.workflows[0].skipped).toEqual([
			{ node: 'Login', reason: expect.stringMatching(reason) },
		]);
		expectNoSecret(describePlan(plan).join('\n'));
	});

	it('refuses an environment whose nodes disagree on a secret, without saying which value', () => {
		const plan = planMigration({
			workflows: [
				workflow('a', [legacyNode('Login', acme)]),
				workflow('b', [legacyNode('Login', { ...acme, password: 'older-password' })]),
				workflow('c', [legacyNode('UAT', uat)]),
			],
		});
		expect(plan.credentialImports.map((credential) => credential.data.username)).toEqual([
			uat.username,
		]);
		expect(plan.workflows[0].skipped[0].reason).toMatch(
			/do not all have the same Consumer Secret and Password/,
		);
		const text = describePlan(plan).join('\n');
		expectNoSecret(text);
		expect(text).not.toContain('older-password');
	});

	it('recognises a credential created by an earlier run, by its id, even renamed: nothing is created twice', () => {
		const first = planMigration({ workflows: [workflow('a', [legacyNode('Login', acme)])] });
		const [created] = first.credentialImports;
		const renamed = { id: created.id, name: 'Production Env', type: 'salesforceIntegrationApi' };

		// Another workflow of the same environment, found by a later run.
		const later = workflow('b', [legacyNode('Login', acme)]);
		for (const input of [
			{ workflows: [later], existingCredentials: [renamed] },
			// Without a credentials export: the migrated workflow shows the credential.
			{
				workflows: [
					...first.migratedWorkflows.map((wf) => ({
						...wf,
						nodes: wf.nodes.map((node) =>
							node.credentials
								? {
										...node,
										credentials: {
											salesforceIntegrationApi: { id: created.id, name: 'Production Env' },
										},
									}
								: node,
						),
					})),
					later,
				],
			},
		]) {
			const plan = planMigration(input);
			expect(plan.credentialImports).toEqual([]);
			expect(plan.credentials).toEqual([
				expect.objectContaining({ id: created.id, name: 'Production Env', status: 'existing' }),
			]);
			expect(plan.migratedWorkflows.map((wf) => wf.id)).toEqual(['b']);
			expect(plan.migratedWorkflows[0].nodes[1].credentials).toEqual({
				salesforceIntegrationApi: { id: created.id, name: 'Production Env' },
			});
		}
	});

	it('changes nothing when run on its own output', () => {
		const workflows = [
			workflow('a', [legacyNode('Login', acme)]),
			workflow('expr', [legacyNode('Login', { ...acme, domain: '={{ $vars.domain }}' })]),
		];
		const first = planMigration({ workflows });
		const second = planMigration({ workflows: [...first.migratedWorkflows, workflows[1]] });
		expect(second.migratedWorkflows).toEqual([]);
		expect(second.credentialImports).toEqual([]);
		expect(second.workflows.map((wf) => wf.skipped.length)).toEqual([1]);
	});

	it('gives a new credential a name no existing credential has', () => {
		const plan = planMigration({
			workflows: [workflow('a', [legacyNode('Login', acme)])],
			existingCredentials: [
				{
					id: 'other',
					name: 'Salesforce acme.my.salesforce.com (api@acme.com)',
					type: 'salesforceIntegrationApi',
				},
			],
		});
		expect(plan.credentialImports[0].name).toBe(
			'Salesforce acme.my.salesforce.com (api@acme.com) 2',
		);
	});

	it('describes the plan without any secret', () => {
		const plan = planMigration({
			workflows: [
				workflow('a', [legacyNode('Login', acme)], { active: true }),
				workflow('b', [legacyNode('UAT', uat)]),
			],
		});
		const text = describePlan(plan).join('\n');
		expectNoSecret(text);
		expect(text).not.toContain(acme.consumerKey);
		expect(text).toContain('create "Salesforce acme.my.salesforce.com (api@acme.com)"');
		expect(text).toContain('replace "Login" with Salesforce Action');
		expect(text).toContain('publish it again');
		expect(text).toMatch(
			/Summary: 2 node\(s\) to replace in 2 workflow\(s\), 2 credential\(s\) to create/,
		);
	});
});

describe('--use-credential: a credential the user already has for an environment', () => {
	const byHand = {
		id: 'handMade0000001',
		name: 'Production Env',
		type: 'salesforceIntegrationApi',
	};
	const workflows = () => [
		workflow('a', [legacyNode('Login', acme)]),
		workflow('b', [legacyNode('UAT', uat)]),
	];

	it.each([
		['the host the plan shows', 'acme.my.salesforce.com'],
		['the domain as typed anywhere', 'https://ACME.my.salesforce.com/'],
		[
			"the planned credential's id",
			credentialIdFor('https://acme.my.salesforce.com', acme.consumerKey, acme.username),
		],
	])(
		"named by %s, with the credential's name: its nodes use it, none is created for it",
		(_how, environment) => {
			const plan = planMigration({
				workflows: workflows(),
				existingCredentials: [byHand],
				chosenCredentials: [{ environment, credential: 'Production Env' }],
			});
			expect(plan.credentialImports.map((credential) => credential.data.username)).toEqual([
				uat.username,
			]);
			expect(plan.credentials[0]).toMatchObject({
				id: byHand.id,
				name: byHand.name,
				status: 'chosen',
				host: 'acme.my.salesforce.com',
				nodeCount: 1,
			});
			expect(plan.migratedWorkflows[0].nodes[1].credentials).toEqual({
				salesforceIntegrationApi: { id: byHand.id, name: byHand.name },
			});
			expect(describePlan(plan).join('\n')).toContain(
				`use your "Production Env" (id ${byHand.id}) (named with --use-credential): acme.my.salesforce.com`,
			);
		},
	);

	it('by id too, and even for nodes that disagree on a secret (the credential holds the right ones)', () => {
		const plan = planMigration({
			workflows: [
				workflow('a', [legacyNode('Login', acme)]),
				workflow('b', [legacyNode('Login', { ...acme, password: 'older-password' })]),
			],
			existingCredentials: [byHand],
			chosenCredentials: [{ environment: 'acme.my.salesforce.com', credential: byHand.id }],
		});
		expect(plan.migratedWorkflows.map((wf) => wf.id)).toEqual(['a', 'b']);
		expect(plan.credentialImports).toEqual([]);
	});

	it.each([
		[
			'no credentials export',
			undefined,
			{ environment: 'acme.my.salesforce.com', credential: 'Production Env' },
			/needs --credentials/,
		],
		[
			'an environment no node logs in to',
			[byHand],
			{ environment: 'other.my.salesforce.com', credential: 'Production Env' },
			/no deprecated node logs in to "other\.my\.salesforce\.com"\. Environments found: acme\.my\.salesforce\.com \(id \w+\), acme--uat/,
		],
		[
			'an unknown credential',
			[byHand],
			{ environment: 'acme.my.salesforce.com', credential: 'Prod' },
			/no Salesforce Integration API credential with the id or name "Prod"/,
		],
		[
			"another type's credential",
			[{ ...byHand, type: 'httpBasicAuth' }],
			{ environment: 'acme.my.salesforce.com', credential: 'Production Env' },
			/no Salesforce Integration API credential/,
		],
		[
			'a name two credentials share',
			[byHand, { ...byHand, id: 'handMade0000002' }],
			{ environment: 'acme.my.salesforce.com', credential: 'Production Env' },
			/several .* named "Production Env" \(ids handMade0000001, handMade0000002\)/,
		],
	])('refuses %s, naming what to change', (_what, existingCredentials, choice, message) => {
		expect(() =>
			planMigration({ workflows: workflows(), existingCredentials, chosenCredentials: [choice] }),
		).toThrow(message);
	});

	it('refuses a host two environments share: the id names one', () => {
		const other = { ...acme, username: 'second@acme.com' };
		const input = {
			workflows: [
				workflow('a', [legacyNode('Login', acme)]),
				workflow('b', [legacyNode('Login', other)]),
			],
			existingCredentials: [byHand],
		};
		expect(() =>
			planMigration({
				...input,
				chosenCredentials: [{ environment: 'acme.my.salesforce.com', credential: byHand.name }],
			}),
		).toThrow(/several environments log in to acme\.my\.salesforce\.com .*Name one by its id/);
		const id = credentialIdFor('https://acme.my.salesforce.com', other.consumerKey, other.username);
		const plan = planMigration({
			...input,
			chosenCredentials: [{ environment: id, credential: byHand.name }],
		});
		expect(plan.credentials.map((credential) => credential.status).sort()).toEqual([
			'chosen',
			'create',
		]);
	});

	it('the dry run says how to use one made by hand', () => {
		expect(describePlan(planMigration({ workflows: workflows() })).join('\n')).toContain(
			"--use-credential=<id or host above>=<your credential's name or id>",
		);
	});
});
