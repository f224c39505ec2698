import {
	contentProblems,
	manifestProblems,
	resolveInPackage,
	unexpectedFiles,
	type PackedManifest,
} from '../../../dev/release/package-contents';

const NODE = 'dist/nodes/SalesforceAction/SalesforceAction.node.js';
const CREDENTIAL = 'dist/credentials/SalesforceIntegrationApi.credentials.js';
const GOOD_FILES = [
	'LICENSE',
	'README.md',
	'package.json',
	CREDENTIAL,
	'dist/credentials/SalesforceIntegrationApi.credentials.d.ts',
	'dist/credentials/SalesforceIntegrationApi.credentials.js.map',
	'dist/icons/salesforce.svg',
	NODE,
	'dist/nodes/SalesforceAction/SalesforceAction.node.json',
	'dist/nodes/salesforce/text.js',
];
const GOOD_MANIFEST: PackedManifest = {
	scripts: { build: 'tsc', test: 'jest' },
	peerDependencies: { 'n8n-workflow': '*' },
	n8n: { n8nNodesApiVersion: 1, nodes: [NODE], credentials: [CREDENTIAL] },
} as PackedManifest;

describe('the tarball allow-list', () => {
	it('accepts compiled code, declarations, maps, codex files, icons, README, LICENSE and package.json', () => {
		expect(unexpectedFiles(GOOD_FILES)).toEqual([]);
	});

	it('names every file that does not belong, with the reason', () => {
		expect(
			unexpectedFiles([
				'dist/nodes/salesforce/text.ts',
				'dist/nodes/salesforce/text.test.js',
				'dist/test/unit/x.js',
				'dist/dev/start.js',
				'dev/start.ts',
				'NOTES.md',
				'dist/nodes/salesforce/data.json',
				'dist/tsconfig.build.tsbuildinfo',
			]),
		).toEqual([
			'dist/nodes/salesforce/text.ts: not compiled code, an icon, a codex file, README.md, LICENSE or package.json',
			'dist/nodes/salesforce/text.test.js: a compiled test',
			'dist/test/unit/x.js: test or development code',
			'dist/dev/start.js: test or development code',
			'dev/start.ts: test or development code',
			'NOTES.md: not compiled code, an icon, a codex file, README.md, LICENSE or package.json',
			'dist/nodes/salesforce/data.json: not compiled code, an icon, a codex file, README.md, LICENSE or package.json',
			'dist/tsconfig.build.tsbuildinfo: not compiled code, an icon, a codex file, README.md, LICENSE or package.json',
		]);
	});
});

describe('the packed package.json', () => {
	it('passes a package without dependencies or install scripts whose n8n section matches the tarball', () => {
		expect(manifestProblems(GOOD_MANIFEST, GOOD_FILES)).toEqual([]);
	});

	it('refuses runtime dependencies and install lifecycle scripts', () => {
		const problems = manifestProblems(
			{
				...GOOD_MANIFEST,
				dependencies: { axios: '1.0.0' },
				scripts: { postinstall: 'node x', prepare: 'tsc' },
			},
			GOOD_FILES,
		);
		expect(problems).toEqual([
			'package.json has dependencies ({"axios":"1.0.0"}): verified community nodes may not have runtime dependencies',
			'package.json has a "postinstall" script: n8n refuses packages with install lifecycle scripts',
			'package.json has a "prepare" script: n8n refuses packages with install lifecycle scripts',
		]);
	});

	it('accepts an empty dependencies object', () => {
		expect(manifestProblems({ ...GOOD_MANIFEST, dependencies: {} }, GOOD_FILES)).toEqual([]);
	});

	it('names listed files that are missing, nodes without a codex file and packed nodes n8n would not load', () => {
		const files = GOOD_FILES.filter((file) => !file.endsWith('.node.json')).concat(
			'dist/nodes/Other/Other.node.js',
		);
		expect(
			manifestProblems(
				{
					...GOOD_MANIFEST,
					n8n: { ...GOOD_MANIFEST.n8n, credentials: ['dist/credentials/Gone.credentials.js'] },
				},
				files,
			),
		).toEqual([
			'package.json n8n lists dist/credentials/Gone.credentials.js, which is not in the tarball',
			`${NODE} has no codex file dist/nodes/SalesforceAction/SalesforceAction.node.json beside it`,
			`${CREDENTIAL} is in the tarball but not listed in package.json's n8n section: n8n would never load it`,
			"dist/nodes/Other/Other.node.js is in the tarball but not listed in package.json's n8n section: n8n would never load it",
		]);
	});
});

describe('file contents', () => {
	const contents: Record<string, string> = {
		[NODE]:
			"icon: { light: 'file:../../icons/salesforce.svg', dark: 'file:../../icons/salesforce.dark.svg' }",
		'dist/credentials/SalesforceIntegrationApi.credentials.js.map': JSON.stringify({
			version: 3,
			sources: ['../../credentials/x.ts'],
			sourcesContent: ['export const x = 1;'],
		}),
		'dist/nodes/SalesforceAction/SalesforceAction.node.json': '{ "node": "x" ',
	};
	const read = (file: string) => contents[file] ?? '';

	it('names embedded sources, broken codex files and icons the code names but the tarball lacks', () => {
		expect(contentProblems(GOOD_FILES, read)).toEqual([
			'dist/credentials/SalesforceIntegrationApi.credentials.js.map embeds its TypeScript sources (sourcesContent)',
			`${NODE} names the icon file:../../icons/salesforce.dark.svg, but dist/icons/salesforce.dark.svg is not in the tarball`,
			'dist/nodes/SalesforceAction/SalesforceAction.node.json (codex file) is not valid JSON',
		]);
	});

	it('resolves icon paths inside the package', () => {
		expect(resolveInPackage('dist/nodes/SalesforceAction', '../../icons/a.svg')).toBe(
			'dist/icons/a.svg',
		);
		expect(resolveInPackage('dist/credentials', './b.svg')).toBe('dist/credentials/b.svg');
	});
});
