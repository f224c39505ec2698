/**
 * Every package the repository's own tooling imports is declared in package.json. A package that is
 * only there because something else depends on it (esbuild came with tsx) works until that
 * dependency changes its own, and then a fresh clone's build fails for no change of ours.
 *
 * Read from the source with TypeScript's parser: static imports and re-exports, `import x =
 * require()`, `import()`, `require()` and `require.resolve()` with a literal name. Names built at run
 * time are not checked, on purpose: they load n8n's own packages from the cached n8n install by path
 * (dev/n8n/runtime.ts), which package.json must not declare.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');

/** The folders of code that runs at build, test or development time, and the tool files at the root. */
const TOOLING_FOLDERS = ['dev', 'migrate', 'test'];
const TOOLING_FILES = ['gulpfile.js', 'eslint.config.mjs', 'jest.config.js'];
const SOURCE_FILE = /\.(ts|js|mjs|cjs)$/;

function sourceFiles(directory: string): string[] {
	return readdirSync(directory).flatMap((name) => {
		if (name === 'node_modules') return [];
		const path = join(directory, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return SOURCE_FILE.test(name) ? [path] : [];
	});
}

function toolingFiles(): string[] {
	return [
		...TOOLING_FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder))),
		...TOOLING_FILES.map((name) => join(ROOT, name)).filter((path) => existsSync(path)),
	];
}

function isRequireCall(callee: ts.Expression): boolean {
	if (ts.isIdentifier(callee)) return callee.text === 'require';
	return (
		ts.isPropertyAccessExpression(callee) &&
		ts.isIdentifier(callee.expression) &&
		callee.expression.text === 'require' &&
		callee.name.text === 'resolve'
	);
}

/** Every module name the file names literally in an import, re-export, `import()` or `require()`. */
function moduleSpecifiers(fileName: string, text: string): string[] {
	const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		if (
			(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
			node.moduleSpecifier &&
			ts.isStringLiteral(node.moduleSpecifier)
		) {
			found.push(node.moduleSpecifier.text);
		} else if (
			ts.isImportEqualsDeclaration(node) &&
			ts.isExternalModuleReference(node.moduleReference) &&
			ts.isStringLiteral(node.moduleReference.expression)
		) {
			found.push(node.moduleReference.expression.text);
		} else if (ts.isCallExpression(node) && node.arguments.length > 0) {
			const [first] = node.arguments;
			const named =
				node.expression.kind === ts.SyntaxKind.ImportKeyword || isRequireCall(node.expression);
			if (named && ts.isStringLiteralLike(first)) found.push(first.text);
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
			const { literal } = node.argument;
			if (ts.isStringLiteral(literal)) found.push(literal.text);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for a path. */
function packageOf(specifier: string): string | undefined {
	if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier))
		return undefined;
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function declaredPackages(): Set<string> {
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
		string,
		Record<string, string> | undefined
	>;
	return new Set([
		...Object.keys(manifest.dependencies ?? {}),
		...Object.keys(manifest.devDependencies ?? {}),
	]);
}

describe('packages the tooling imports', () => {
	it('reads every literal form of import, and no name in a comment or a string', () => {
		const text = [
			"import a from 'pkg-a';",
			"import type { B } from '@scope/pkg-b/sub';",
			"export * from 'pkg-c';",
			"import d = require('pkg-d');",
			"const e = require('pkg-e/deep/file.js');",
			"const f = require.resolve('pkg-f/package.json');",
			"const g = import('pkg-g');",
			"type H = typeof import('pkg-h');",
			"// import x from 'in-a-comment';",
			'const shell = "require(\'in-a-string\')";',
			'const byName = require(variable);',
		].join('\n');
		expect(moduleSpecifiers('example.ts', text).map(packageOf)).toEqual([
			'pkg-a',
			'@scope/pkg-b',
			'pkg-c',
			'pkg-d',
			'pkg-e',
			'pkg-f',
			'pkg-g',
			'pkg-h',
		]);
		expect(['node:fs', 'fs', 'path/posix', './local', '../up', '/abs/path'].map(packageOf)).toEqual(
			[undefined, undefined, undefined, undefined, undefined, undefined],
		);
	});

	it('are all declared in package.json (or are Node built-ins)', () => {
		const declared = declaredPackages();
		const files = toolingFiles();
		// The folders are where the tooling lives: finding none would make this test pass for nothing.
		expect(files.length).toBeGreaterThan(100);

		const undeclared = files.flatMap((file) =>
			moduleSpecifiers(file, readFileSync(file, 'utf8'))
				.map(packageOf)
				.filter((name): name is string => name !== undefined && !declared.has(name))
				.map((name) => `${relative(ROOT, file)} imports "${name}"`),
		);
		expect(undeclared).toEqual([]);
	});
});
