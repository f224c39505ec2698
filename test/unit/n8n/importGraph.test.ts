/**
 * The house rules for imports, checked on the source: no import circles anywhere under nodes/ and
 * credentials/ (type-only imports included — a circle of types still ties the modules together),
 * and the Salesforce core (nodes/salesforce) imports nothing of n8n, directly or through a module.
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
	for (const file of [...sourceFiles(join(ROOT, 'nodes')), ...sourceFiles(join(ROOT, 'credentials'))]) {
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

	it('the Salesforce core imports nothing of n8n, and only Node\'s crypto besides itself', () => {
		const core = join(ROOT, 'nodes', 'salesforce');
		for (const [file, module] of graph) {
			if (!file.startsWith(core)) continue;
			expect({ file: relative(ROOT, file), packages: module.packages.filter((name) => name !== 'crypto' && name !== 'node:crypto') }).toEqual({ file: relative(ROOT, file), packages: [] });
			for (const target of module.local) expect({ file: relative(ROOT, file), imports: target.startsWith(core) }).toEqual({ file: relative(ROOT, file), imports: true });
		}
	});
});
