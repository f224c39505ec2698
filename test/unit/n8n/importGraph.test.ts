/**
 * The house rules for imports, checked on the source: no import circles anywhere under nodes/ and
 * credentials/ (type-only imports included — a circle of types still ties the modules together),
 * the Salesforce core (nodes/salesforce) imports nothing of n8n, directly or through a module, and
 * the shared folders stack up: core < n8n glue < client < editor lists < nodes. A shared folder
 * imports only itself and the folders below it (so the client imports no node folder), and a node
 * (a folder holding a *.node.ts) imports the shared folders, never another node.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');

function sourceFiles(directory: string): string[] {
	return readdirSync(directory).flatMap((name) => {
		const path = join(directory, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

function resolveImport(from: string, specifier: string): string | undefined {
	if (!specifier.startsWith('.')) return undefined;
	const base = resolve(dirname(from), specifier);
	for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
		try {
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// Not this one.
		}
	}
	throw new Error(`${relative(ROOT, from)} imports ${specifier}, which does not exist`);
}

interface Module {
	local: string[];
	packages: string[];
}

function importGraph(): Map<string, Module> {
	const graph = new Map<string, Module>();
	for (const file of [
		...sourceFiles(join(ROOT, 'nodes')),
		...sourceFiles(join(ROOT, 'credentials')),
	]) {
		const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
		const module: Module = { local: [], packages: [] };
		for (const { fileName } of importedFiles) {
			const target = resolveImport(file, fileName);
			if (target) module.local.push(target);
			else module.packages.push(fileName);
		}
		graph.set(file, module);
	}
	return graph;
}

function findCircles(graph: Map<string, Module>): string[][] {
	const circles: string[][] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const stack: string[] = [];
	const visit = (file: string) => {
		if (state.get(file) === 'done') return;
		if (state.get(file) === 'visiting') {
			circles.push([...stack.slice(stack.indexOf(file)), file].map((path) => relative(ROOT, path)));
			return;
		}
		state.set(file, 'visiting');
		stack.push(file);
		for (const next of graph.get(file)?.local ?? []) visit(next);
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of graph.keys()) visit(file);
	return circles;
}

/** The shared folders under nodes/, lowest first: each may import only itself and those before it. */
const LAYERS = ['salesforce', 'n8n', 'client', 'editor'];

/** The folder under nodes/ (or 'credentials') a file belongs to. */
function folderOf(file: string): string {
	const path = relative(ROOT, file).split(/[\\/]/);
	return path[0] === 'nodes' ? path[1] : path[0];
}

/** Folders under nodes/ that hold a node (a *.node.ts file). */
function nodeFolders(graph: Map<string, Module>): Set<string> {
	return new Set([...graph.keys()].filter((file) => file.endsWith('.node.ts')).map(folderOf));
}

/** Every import that breaks the layering, as "from → to". */
function layeringBreaks(graph: Map<string, Module>, nodes: Set<string>): string[] {
	const breaks: string[] = [];
	for (const [file, module] of graph) {
		const from = folderOf(file);
		for (const target of module.local) {
			const to = folderOf(target);
			if (to === from) continue;
			const allowed = LAYERS.includes(from)
				? LAYERS.includes(to) && LAYERS.indexOf(to) < LAYERS.indexOf(from)
				: LAYERS.includes(to) || (from === 'credentials' && !nodes.has(to));
			if (!allowed) breaks.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
		}
	}
	return breaks;
}

describe('imports', () => {
	const graph = importGraph();

	it('reads the whole tree (a broken walk would prove nothing)', () => {
		expect(graph.size).toBeGreaterThan(40);
		expect([...graph.keys()].some((file) => file.endsWith(join('rest', 'soql.ts')))).toBe(true);
	});

	it('form no circle', () => {
		expect(findCircles(graph)).toEqual([]);
	});

	it('the circle finder finds one (explainFailure → loginGuard → tokenResponse → explainFailure, as before the fix)', () => {
		const a = '/x/explainFailure.ts';
		const b = '/x/loginGuard.ts';
		const c = '/x/tokenResponse.ts';
		const circular = new Map<string, Module>([
			[a, { local: [b], packages: [] }],
			[b, { local: [c], packages: [] }],
			[c, { local: [a], packages: [] }],
		]);
		expect(findCircles(circular)).toHaveLength(1);
	});

	it("the Salesforce core imports nothing of n8n, and only Node's crypto besides itself", () => {
		const core = join(ROOT, 'nodes', 'salesforce');
		for (const [file, module] of graph) {
			if (!file.startsWith(core)) continue;
			expect({
				file: relative(ROOT, file),
				packages: module.packages.filter((name) => name !== 'crypto' && name !== 'node:crypto'),
			}).toEqual({ file: relative(ROOT, file), packages: [] });
			for (const target of module.local)
				expect({ file: relative(ROOT, file), imports: target.startsWith(core) }).toEqual({
					file: relative(ROOT, file),
					imports: true,
				});
		}
	});

	it('stack up: the client imports no node folder (nor the editor lists), nodes import no other node', () => {
		const nodes = nodeFolders(graph);
		expect([...nodes].sort()).toEqual(
			expect.arrayContaining(['SalesforceAction', 'SalesforceAuth']),
		);
		expect(
			[...graph.keys()]
				.map(folderOf)
				.filter(
					(folder) => folder !== 'credentials' && !nodes.has(folder) && !LAYERS.includes(folder),
				),
		).toEqual([]);
		expect(layeringBreaks(graph, nodes)).toEqual([]);
	});

	it('the layering check finds what breaks it (the client importing a node, a node another, the glue the client)', () => {
		const file = (path: string) => join(ROOT, 'nodes', path);
		const graph = new Map<string, Module>([
			[
				file('client/query.ts'),
				{
					local: [file('SalesforceAction/actions/router.ts'), file('salesforce/index.ts')],
					packages: [],
				},
			],
			[
				file('SalesforceTrigger/SalesforceTrigger.node.ts'),
				{
					local: [file('SalesforceAction/methods/index.ts'), file('editor/index.ts')],
					packages: [],
				},
			],
			[
				file('SalesforceAction/SalesforceAction.node.ts'),
				{ local: [file('client/index.ts')], packages: [] },
			],
			[file('n8n/errors.ts'), { local: [file('client/index.ts')], packages: [] }],
		]);
		expect(layeringBreaks(graph, nodeFolders(graph))).toEqual([
			'nodes/client/query.ts → nodes/SalesforceAction/actions/router.ts',
			'nodes/SalesforceTrigger/SalesforceTrigger.node.ts → nodes/SalesforceAction/methods/index.ts',
			'nodes/n8n/errors.ts → nodes/client/index.ts',
		]);
	});
});
