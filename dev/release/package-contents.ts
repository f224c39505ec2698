/**
 * What the published tarball may hold, and what its package.json may say. Pure functions over the
 * unpacked tarball's file list and contents, so the rules are unit-tested without packing.
 */

/** Everything else in the tarball is a mistake: tests, dev tools, TypeScript sources, notes. */
const ALLOWED: Array<{ pattern: RegExp; what: string }> = [
	{ pattern: /^package\.json$/, what: 'the manifest' },
	{ pattern: /^README\.md$/, what: 'the README' },
	{ pattern: /^LICENSE$/, what: 'the licence' },
	{ pattern: /^dist\/(nodes|credentials)\/.+\.js$/, what: 'compiled code' },
	{ pattern: /^dist\/(nodes|credentials)\/.+\.d\.ts$/, what: 'type declarations' },
	{
		pattern: /^dist\/(nodes|credentials)\/.+\.js\.map$/,
		what: 'source maps (without embedded sources)',
	},
	{ pattern: /^dist\/nodes\/.+\.node\.json$/, what: 'codex files' },
	{ pattern: /^dist\/(icons|nodes|credentials)\/.+\.(svg|png)$/, what: 'icons' },
];

/** Never wanted, even where the patterns above would let them through. */
const FORBIDDEN: Array<{ pattern: RegExp; why: string }> = [
	{ pattern: /\.(test|spec)\.(js|d\.ts|js\.map)$/, why: 'a compiled test' },
	{
		pattern: /(^|\/)(__tests__|test|tests|fixtures|dev|migrate)\//,
		why: 'test or development code',
	},
];

/** Scripts npm runs when someone installs the package (or installs it from git): none allowed. */
export const INSTALL_LIFECYCLE_SCRIPTS = [
	'preinstall',
	'install',
	'postinstall',
	'preprepare',
	'prepare',
	'postprepare',
	'prepublish',
];

export const ALLOWED_CONTENTS = ALLOWED.map((rule) => rule.what);

/** Files that are not on the allow-list, each with the reason. */
export function unexpectedFiles(files: string[]): string[] {
	const problems: string[] = [];
	for (const file of files) {
		const forbidden = FORBIDDEN.find((rule) => rule.pattern.test(file));
		if (forbidden) problems.push(`${file}: ${forbidden.why}`);
		else if (!ALLOWED.some((rule) => rule.pattern.test(file)))
			problems.push(
				`${file}: not compiled code, an icon, a codex file, README.md, LICENSE or package.json`,
			);
	}
	return problems;
}

export interface PackedManifest {
	name?: string;
	version?: string;
	scripts?: Record<string, string>;
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	bundleDependencies?: unknown;
	bundledDependencies?: unknown;
	n8n?: { n8nNodesApiVersion?: number; nodes?: string[]; credentials?: string[] };
}

function isNonEmpty(value: unknown): boolean {
	if (value === undefined || value === null || value === false) return false;
	if (Array.isArray(value)) return value.length > 0;
	if (typeof value === 'object') return Object.keys(value).length > 0;
	return true;
}

/** What the packed package.json gets wrong for a verified community package. */
export function manifestProblems(manifest: PackedManifest, files: string[]): string[] {
	const problems: string[] = [];
	const present = new Set(files);
	for (const field of [
		'dependencies',
		'optionalDependencies',
		'bundleDependencies',
		'bundledDependencies',
	] as const) {
		if (isNonEmpty(manifest[field])) {
			problems.push(
				`package.json has ${field} (${JSON.stringify(manifest[field])}): verified community nodes may not have runtime dependencies`,
			);
		}
	}
	for (const script of INSTALL_LIFECYCLE_SCRIPTS) {
		if (manifest.scripts?.[script] !== undefined)
			problems.push(
				`package.json has a "${script}" script: n8n refuses packages with install lifecycle scripts`,
			);
	}
	const n8n = manifest.n8n;
	if (!n8n) return [...problems, 'package.json has no "n8n" section'];
	if (n8n.n8nNodesApiVersion !== 1)
		problems.push(
			`package.json n8n.n8nNodesApiVersion is ${JSON.stringify(n8n.n8nNodesApiVersion)}, not 1`,
		);
	const listed = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
	if ((n8n.nodes ?? []).length === 0) problems.push('package.json n8n.nodes lists no node');
	for (const path of listed) {
		if (!present.has(path))
			problems.push(`package.json n8n lists ${path}, which is not in the tarball`);
	}
	for (const node of n8n.nodes ?? []) {
		const codex = node.replace(/\.js$/, '.json');
		if (!present.has(codex)) problems.push(`${node} has no codex file ${codex} beside it`);
	}
	for (const file of files) {
		if (/\.(node|credentials)\.js$/.test(file) && !listed.includes(file)) {
			problems.push(
				`${file} is in the tarball but not listed in package.json's n8n section: n8n would never load it`,
			);
		}
	}
	return problems;
}

function directoryOf(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash === -1 ? '' : path.slice(0, slash);
}

/** Resolves `relative` against the folder `from`, within the package (no leading `/`). */
export function resolveInPackage(from: string, relative: string): string {
	const parts = from === '' ? [] : from.split('/');
	for (const part of relative.split('/')) {
		if (part === '..') parts.pop();
		else if (part !== '.' && part !== '') parts.push(part);
	}
	return parts.join('/');
}

/**
 * Problems inside the files themselves: a source map that embeds the TypeScript sources or has no
 * compiled file beside it, a codex file that is not JSON, an icon (`file:...`) the code names but
 * the tarball lacks.
 */
export function contentProblems(files: string[], read: (file: string) => string): string[] {
	const problems: string[] = [];
	const present = new Set(files);
	for (const file of files) {
		if (file.endsWith('.js.map')) {
			if (!present.has(file.replace(/\.map$/, '')))
				problems.push(`${file} has no ${file.replace(/\.map$/, '')} beside it`);
			try {
				const map = JSON.parse(read(file)) as { sourcesContent?: unknown[] };
				if (map.sourcesContent?.some((content) => content !== null))
					problems.push(`${file} embeds its TypeScript sources (sourcesContent)`);
			} catch {
				problems.push(`${file} is not valid JSON`);
			}
		} else if (file.endsWith('.node.json')) {
			try {
				JSON.parse(read(file));
			} catch {
				problems.push(`${file} (codex file) is not valid JSON`);
			}
		} else if (file.endsWith('.js')) {
			for (const match of read(file).matchAll(/['"`]file:([^'"`]+\.(?:svg|png))['"`]/g)) {
				const icon = resolveInPackage(directoryOf(file), match[1]);
				if (!present.has(icon))
					problems.push(
						`${file} names the icon file:${match[1]}, but ${icon} is not in the tarball`,
					);
			}
		}
	}
	return problems;
}
