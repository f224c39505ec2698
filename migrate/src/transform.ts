/**
 * The migration itself, with no file or process access: workflows exported by
 * `n8n export:workflow` in, migrated workflows and the credentials to import out.
 *
 * Every deprecated Salesforce Authentication node whose fields are plain values is replaced in place
 * (same id, name, position, settings; connections are by name, so they stay) by a Salesforce Action
 * node that uses one Salesforce Integration API credential per environment: same domain, consumer
 * key and user → one credential, with an id derived from those three, so a later run recognises it.
 * Nothing here ever puts a secret into the plan's text: secrets only travel in `credentialImports`.
 */
import { createHash } from 'node:crypto';

import { normaliseDomain } from '../../nodes/salesforce/login/domain';
import { DEFAULT_TIMEOUT_SECONDS } from '../../nodes/salesforce/login/loginDetails';
import { checkFieldName } from '../../nodes/salesforce/login/outputMapping';
import { DEFAULT_OUTPUT_FIELD } from '../../nodes/salesforce/login/sessionFields';

export const CREDENTIAL_TYPE = 'salesforceIntegrationApi';
/** How n8n names the package's types: installed from npm, or loaded from a custom extensions folder. */
const PACKAGE_PREFIXES = ['n8n-nodes-salesforce-integration', 'CUSTOM'];
const LEGACY_NODE = 'salesforceAuth';
const ACTION_NODE = 'salesforceAction';
/** The Salesforce Action version new nodes get in the editor. */
export const ACTION_NODE_VERSION = 1.1;

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string | null; name: string }>;
	[key: string]: unknown;
}

/** A workflow as `n8n export:workflow` writes it; everything but the nodes is passed through. */
export interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** What the migration reads of a credential exported by `n8n export:credentials` (never its data). */
export interface ExistingCredential {
	id: string;
	name: string;
	type: string;
}

/** One entry of the file handed to `n8n import:credentials` (plain data: n8n encrypts it on import). */
export interface CredentialImport {
	id: string;
	name: string;
	type: typeof CREDENTIAL_TYPE;
	data: {
		authFlow: 'password';
		domain: string;
		consumerKey: string;
		consumerSecret: string;
		username: string;
		password: string;
		securityToken: string;
		timeout: number;
	};
}

export interface ReplacedNode {
	node: string;
	credentialId: string;
	credentialName: string;
	outputField: string;
}

export interface SkippedNode {
	node: string;
	reason: string;
}

export interface WorkflowPlan {
	id: string;
	name: string;
	/** Active (published) before: `n8n import:workflow` deactivates it, so it must be published again. */
	wasActive: boolean;
	replaced: ReplacedNode[];
	skipped: SkippedNode[];
}

/** A credential of the plan, described without its secrets. */
export interface PlannedCredential {
	id: string;
	name: string;
	/** The login host (and port, for a local stand-in), e.g. acme.my.salesforce.com. */
	host: string;
	username: string;
	/** How many nodes will use it. */
	nodeCount: number;
	/**
	 * Created by this run; found (created by an earlier run, possibly renamed since); or one the user
	 * named for the environment with --use-credential (made by hand, say).
	 */
	status: 'create' | 'existing' | 'chosen';
}

export interface MigrationPlan {
	/** Only the workflows that hold a deprecated node, in input order. */
	workflows: WorkflowPlan[];
	/** Workflows without the deprecated node: left out of every output. */
	untouchedWorkflowCount: number;
	credentials: PlannedCredential[];
	/** The workflows that change, complete, for `n8n import:workflow`. */
	migratedWorkflows: Workflow[];
	/** The credentials to create, for `n8n import:credentials`. The only place secrets go. */
	credentialImports: CredentialImport[];
}

/**
 * The user's choice of an existing credential for an environment (--use-credential): `environment`
 * is the id the plan gives the environment's credential, or its host (when one environment has it);
 * `credential` the existing credential's id or name.
 */
export interface ChosenCredential {
	environment: string;
	credential: string;
}

export interface MigrationInput {
	workflows: Workflow[];
	/** From `n8n export:credentials` (optional): recognises credentials an earlier run created. */
	existingCredentials?: ExistingCredential[];
	/** Existing credentials the user named for environments (needs `existingCredentials`). */
	chosenCredentials?: ChosenCredential[];
}

/** A choice that names no environment or no credential: nothing is planned until it is fixed. */
export class MigrationInputError extends Error {}

/** The legacy node's login fields, in the order its form shows them, with their labels. */
const LOGIN_FIELDS = [
	['consumerKey', 'Consumer Key'],
	['consumerSecret', 'Consumer Secret'],
	['domain', 'Domain'],
	['username', 'Username'],
	['password', 'Password'],
] as const;

type LoginField = (typeof LOGIN_FIELDS)[number][0];
type LegacyLogin = Record<LoginField, string> & { outputField: string };

interface Environment {
	id: string;
	origin: string;
	host: string;
	username: string;
	/** The first node's values (the group's nodes must agree on the secrets). */
	login: LegacyLogin;
	nodes: Array<{ workflow: Workflow; node: WorkflowNode; login: LegacyLogin }>;
	disagreement: boolean;
}

/** `<prefix>` of a deprecated node's type (`n8n-nodes-salesforce-integration`, `CUSTOM`), if it is one. */
function legacyPrefix(node: WorkflowNode): string | undefined {
	return PACKAGE_PREFIXES.find((prefix) => node.type === `${prefix}.${LEGACY_NODE}`);
}

export function isLegacyNode(node: WorkflowNode): boolean {
	return legacyPrefix(node) !== undefined;
}

/** n8n evaluates any parameter value that starts with "=" (`={{ $json.password }}`) when the node runs. */
function isExpression(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith('=');
}

/**
 * The node's login as plain values, or why it cannot be migrated. n8n saves only the parameters that
 * differ from their defaults, so a missing one is the default (empty; SF_ACCESS_TOKEN for the field).
 * Reasons name fields, never their values.
 */
function readLegacyLogin(node: WorkflowNode): { login: LegacyLogin } | { reason: string } {
	if (node.typeVersion !== 1)
		return { reason: `its version ${String(node.typeVersion)} is unknown to this migration` };
	const parameters = node.parameters ?? {};
	const fields = [...LOGIN_FIELDS, ['outputField', 'Output Field'] as const];
	const expressions = fields
		.filter(([name]) => isExpression(parameters[name]))
		.map(([, label]) => label);
	if (expressions.length > 0) {
		const list = expressions.join(', ');
		return {
			reason: `${list} ${expressions.length === 1 ? 'is an expression' : 'are expressions'}: the value only exists when the workflow runs, so it cannot be copied into a credential. Migrate this node by hand (see the guide).`,
		};
	}
	const login = {} as LegacyLogin;
	for (const [name, label] of fields) {
		const value = parameters[name] ?? (name === 'outputField' ? DEFAULT_OUTPUT_FIELD : '');
		if (typeof value !== 'string') return { reason: `${label} is not text` };
		if (name !== 'outputField' && value.trim() === '')
			return { reason: `${label} is empty: the node cannot log in as it is` };
		login[name] = value;
	}
	try {
		checkFieldName(login.outputField, 'Output Field');
		normaliseDomain(login.domain);
	} catch (error) {
		return { reason: `${(error as Error).message} The node cannot log in as it is; fix it first` };
	}
	return { login };
}

/** n8n-style id (16 letters and digits) from a hash of the environment: the same environment, the same id. */
export function credentialIdFor(origin: string, consumerKey: string, username: string): string {
	const digest = createHash('sha256')
		.update(
			[
				'n8n-nodes-salesforce-integration migration v1',
				origin,
				consumerKey,
				username.toLowerCase(),
			].join('\n'),
		)
		.digest('base64')
		.replace(/[^A-Za-z0-9]/g, '');
	return digest.slice(0, 16);
}

function hostOf(origin: string): string {
	return new URL(origin).host;
}

export function credentialNameFor(host: string, username: string): string {
	return `Salesforce ${host} (${username})`;
}

/** The name, made unique among the names already taken by appending " 2", " 3"… */
function uniqueName(name: string, taken: Set<string>): string {
	let candidate = name;
	for (let counter = 2; taken.has(candidate); counter++) candidate = `${name} ${counter}`;
	taken.add(candidate);
	return candidate;
}

/** Credentials the workflows themselves show: an earlier run's Salesforce Action nodes reference them. */
function credentialsReferencedBy(workflows: Workflow[]): Map<string, string> {
	const referenced = new Map<string, string>();
	for (const workflow of workflows) {
		for (const node of workflow.nodes) {
			const reference = node.credentials?.[CREDENTIAL_TYPE];
			if (reference?.id) referenced.set(reference.id, reference.name);
		}
	}
	return referenced;
}

function actionNodeFor(
	node: WorkflowNode,
	prefix: string,
	credential: { id: string; name: string },
	outputField: string,
): WorkflowNode {
	const replaced: WorkflowNode = { ...node };
	// Same keys in the same order (id, name, position, notes, retries, onError…); only these change.
	replaced.type = `${prefix}.${ACTION_NODE}`;
	replaced.typeVersion = ACTION_NODE_VERSION;
	replaced.parameters = {
		operation: 'getAccessToken',
		responseMapping: { mappings: [{ objectPath: 'access_token', field: outputField }] },
	};
	replaced.credentials = {
		...(node.credentials ?? {}),
		[CREDENTIAL_TYPE]: { id: credential.id, name: credential.name },
	};
	return replaced;
}

function sameSecrets(a: LegacyLogin, b: LegacyLogin): boolean {
	return a.consumerSecret === b.consumerSecret && a.password === b.password;
}

export function planMigration(input: MigrationInput): MigrationPlan {
	const existingById = new Map<string, string>();
	for (const credential of input.existingCredentials ?? []) {
		if (credential.type === CREDENTIAL_TYPE) existingById.set(credential.id, credential.name);
	}
	for (const [id, name] of credentialsReferencedBy(input.workflows))
		if (!existingById.has(id)) existingById.set(id, name);
	const takenNames = new Set([
		...(input.existingCredentials ?? []).map((credential) => credential.name),
		...existingById.values(),
	]);

	const skipped = new Map<WorkflowNode, string>();
	const environments = new Map<string, Environment>();
	const withLegacy = input.workflows.filter((workflow) => workflow.nodes.some(isLegacyNode));

	for (const workflow of withLegacy) {
		for (const node of workflow.nodes.filter(isLegacyNode)) {
			const read = readLegacyLogin(node);
			if ('reason' in read) {
				skipped.set(node, read.reason);
				continue;
			}
			const { login } = read;
			const { origin } = normaliseDomain(login.domain);
			const id = credentialIdFor(origin, login.consumerKey, login.username);
			let environment = environments.get(id);
			if (!environment) {
				environment = {
					id,
					origin,
					host: hostOf(origin),
					username: login.username,
					login,
					nodes: [],
					disagreement: false,
				};
				environments.set(id, environment);
			}
			if (!sameSecrets(environment.login, login)) environment.disagreement = true;
			environment.nodes.push({ workflow, node, login });
		}
	}

	const chosen = resolveChoices(
		input.chosenCredentials ?? [],
		[...environments.values()],
		input.existingCredentials,
	);
	const credentials: PlannedCredential[] = [];
	const credentialImports: CredentialImport[] = [];
	const credentialOf = new Map<WorkflowNode, { id: string; name: string }>();
	for (const environment of environments.values()) {
		const choice = chosen.get(environment.id);
		if (choice) {
			// Its details are the user's business: the nodes only need to name it (disagreeing secrets included).
			credentials.push({
				...choice,
				host: environment.host,
				username: environment.username,
				nodeCount: environment.nodes.length,
				status: 'chosen',
			});
			for (const { node } of environment.nodes) credentialOf.set(node, choice);
			continue;
		}
		const existingName = existingById.get(environment.id);
		if (existingName === undefined && environment.disagreement) {
			const others = environment.nodes
				.map(({ workflow, node }) => `"${node.name}" in "${workflow.name}"`)
				.join(', ');
			for (const { node } of environment.nodes) {
				skipped.set(
					node,
					`the nodes of ${environment.host} (${environment.username}) do not all have the same Consumer Secret and Password (${others}). Make them the same (the ones that work) and run the migration again`,
				);
			}
			continue;
		}
		const name =
			existingName ??
			uniqueName(credentialNameFor(environment.host, environment.username), takenNames);
		credentials.push({
			id: environment.id,
			name,
			host: environment.host,
			username: environment.username,
			nodeCount: environment.nodes.length,
			status: existingName === undefined ? 'create' : 'existing',
		});
		if (existingName === undefined) {
			const { login } = environment;
			credentialImports.push({
				id: environment.id,
				name,
				type: CREDENTIAL_TYPE,
				data: {
					authFlow: 'password',
					domain: login.domain.trim(),
					consumerKey: login.consumerKey,
					consumerSecret: login.consumerSecret,
					username: login.username,
					// The old node took the security token appended to the password; the credential appends
					// its Security Token to the password, so an empty one sends exactly the same.
					password: login.password,
					securityToken: '',
					timeout: DEFAULT_TIMEOUT_SECONDS,
				},
			});
		}
		for (const { node } of environment.nodes) credentialOf.set(node, { id: environment.id, name });
	}

	const workflows: WorkflowPlan[] = [];
	const migratedWorkflows: Workflow[] = [];
	for (const workflow of withLegacy) {
		const plan: WorkflowPlan = {
			id: workflow.id,
			name: workflow.name,
			wasActive: workflow.active === true,
			replaced: [],
			skipped: [],
		};
		const nodes = workflow.nodes.map((node) => {
			const prefix = legacyPrefix(node);
			if (prefix === undefined) return node;
			const reason = skipped.get(node);
			const credential = credentialOf.get(node);
			if (reason !== undefined || !credential) {
				plan.skipped.push({ node: node.name, reason: reason ?? 'not migrated' });
				return node;
			}
			const outputField =
				(node.parameters?.outputField as string | undefined) ?? DEFAULT_OUTPUT_FIELD;
			plan.replaced.push({
				node: node.name,
				credentialId: credential.id,
				credentialName: credential.name,
				outputField,
			});
			return actionNodeFor(node, prefix, credential, outputField);
		});
		workflows.push(plan);
		if (plan.replaced.length > 0) migratedWorkflows.push({ ...workflow, nodes });
	}

	return {
		workflows,
		untouchedWorkflowCount: input.workflows.length - withLegacy.length,
		credentials,
		migratedWorkflows,
		credentialImports,
	};
}

/** The host a user typed (`acme`, `https://acme.my.salesforce.com/`, `127.0.0.1:5690`), as the plan shows hosts. */
function hostTyped(text: string): string {
	try {
		return hostOf(normaliseDomain(text).origin);
	} catch {
		return text.trim().toLowerCase();
	}
}

/** Environment id → the existing credential the user chose for it; refuses a choice that names nothing. */
function resolveChoices(
	choices: ChosenCredential[],
	environments: Environment[],
	existing: ExistingCredential[] | undefined,
): Map<string, { id: string; name: string }> {
	const chosen = new Map<string, { id: string; name: string }>();
	if (choices.length === 0) return chosen;
	if (!existing)
		throw new MigrationInputError(
			'--use-credential needs --credentials=<what "n8n export:credentials --all --output=<file>" wrote>, to find the credential it names.',
		);
	const ours = existing.filter((credential) => credential.type === CREDENTIAL_TYPE);
	for (const { environment, credential } of choices) {
		const host = hostTyped(environment);
		const matching = environments.filter(
			(candidate) => candidate.id === environment || candidate.host.toLowerCase() === host,
		);
		if (matching.length === 0) {
			const known =
				environments.map((candidate) => `${candidate.host} (id ${candidate.id})`).join(', ') ||
				'none';
			throw new MigrationInputError(
				`--use-credential: no deprecated node logs in to "${environment}". Environments found: ${known}.`,
			);
		}
		if (matching.length > 1) {
			throw new MigrationInputError(
				`--use-credential: several environments log in to ${host} (${matching.map((candidate) => `${candidate.username}: id ${candidate.id}`).join(', ')}). Name one by its id.`,
			);
		}
		const byId = ours.find((candidate) => candidate.id === credential);
		const byName = ours.filter((candidate) => candidate.name === credential);
		if (!byId && byName.length !== 1) {
			throw new MigrationInputError(
				byName.length > 1
					? `--use-credential: several Salesforce Integration API credentials are named "${credential}" (ids ${byName.map((candidate) => candidate.id).join(', ')}). Name one by its id.`
					: `--use-credential: the credentials export holds no Salesforce Integration API credential with the id or name "${credential}".`,
			);
		}
		const found = byId ?? byName[0];
		chosen.set(matching[0].id, { id: found.id, name: found.name });
	}
	return chosen;
}

/** The plan as the lines the CLI prints: names, hosts, users and reasons; never a secret. */
export function describePlan(plan: MigrationPlan): string[] {
	const lines: string[] = [];
	const changing = plan.workflows.filter((workflow) => workflow.replaced.length > 0);
	const skippedCount = plan.workflows.reduce(
		(count, workflow) => count + workflow.skipped.length,
		0,
	);
	const replacedCount = changing.reduce((count, workflow) => count + workflow.replaced.length, 0);

	lines.push('Credentials (Salesforce Integration API, one per environment):');
	if (plan.credentials.length === 0) lines.push('  none');
	for (const credential of plan.credentials) {
		const what = { create: 'create', existing: 'use existing', chosen: 'use your' }[
			credential.status
		];
		const how = credential.status === 'chosen' ? ' (named with --use-credential)' : '';
		lines.push(
			`  ${what} "${credential.name}" (id ${credential.id})${how}: ${credential.host}, user ${credential.username}, ${credential.nodeCount} node(s)`,
		);
	}
	if (plan.credentials.some((credential) => credential.status === 'create')) {
		lines.push(
			"  (Made a credential for one of these already, e.g. by hand? Use it instead: --use-credential=<id or host above>=<your credential's name or id>.)",
		);
	}
	lines.push('');
	lines.push('Workflows:');
	if (plan.workflows.length === 0)
		lines.push('  none uses the deprecated Salesforce Authentication node');
	for (const workflow of plan.workflows) {
		const state =
			workflow.replaced.length === 0
				? 'unchanged'
				: workflow.wasActive
					? 'changes; was active: publish it again after the import'
					: 'changes';
		lines.push(`  "${workflow.name}" (id ${workflow.id}): ${state}`);
		for (const node of workflow.replaced) {
			lines.push(
				`    replace "${node.node}" with Salesforce Action using "${node.credentialName}", token into ${node.outputField}`,
			);
		}
		for (const node of workflow.skipped)
			lines.push(`    leave "${node.node}" as it is: ${node.reason}`);
	}
	lines.push('');
	lines.push(
		`Summary: ${replacedCount} node(s) to replace in ${changing.length} workflow(s), ` +
			`${plan.credentialImports.length} credential(s) to create, ${skippedCount} node(s) left as they are, ` +
			`${plan.untouchedWorkflowCount} workflow(s) without the deprecated node not touched.`,
	);
	return lines;
}
