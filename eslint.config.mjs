// Two rule sets, by what the code is for.
// - nodes/ and credentials/ (what is published): the rules n8n's community-package scanner runs (via
//   @n8n/node-cli's config), plus the house rules on the layers (test/unit/n8n/importGraph.test.ts
//   checks them all on the import graph): the Salesforce core (nodes/salesforce) never imports n8n nor
//   anything above it; the n8n glue (nodes/n8n) sends nothing and knows no client; the client
//   (nodes/client) imports no node and not the editor lists above it. Node folders are named
//   Salesforce* (the core is salesforce: mind the case).
// - dev/, migrate/, test/ (never published; they use the file system, processes, timers and the
//   console on purpose): ESLint's and typescript-eslint's recommended sets, as n8n's own repositories use.
import js from '@eslint/js';
import { config as n8nCommunityNodeConfig } from '@n8n/node-cli/eslint';
import tseslint from 'typescript-eslint';

const PUBLISHED_SOURCES = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const TOOLING_SOURCES = ['dev/**/*.ts', 'migrate/**/*.ts', 'test/**/*.ts'];

// n8n's config applies its community rules to every **/*.ts of the folder it lints; they are meant for
// the package's own sources, so here they hold there (every other entry, package.json's included, as is).
const communityNodeConfig = n8nCommunityNodeConfig.map((entry) =>
	entry.files?.includes('**/*.ts') ? { ...entry, files: PUBLISHED_SOURCES } : entry,
);

const NODE_FOLDERS = ['../Salesforce*', '../../Salesforce*'];

export default [
	...communityNodeConfig,
	{
		files: ['nodes/salesforce/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'n8n-workflow',
								'n8n-core',
								'../../n8n',
								'../n8n',
								'../../n8n/*',
								'../n8n/*',
								'../client',
								'../../client',
								'../client/*',
								'../../client/*',
								'../editor',
								'../../editor',
								'../editor/*',
								'../../editor/*',
								...NODE_FOLDERS,
							],
							caseSensitive: true,
							message:
								'The Salesforce core knows nothing of n8n: put n8n glue in nodes/n8n, sending in nodes/client.',
						},
					],
				},
			],
		},
	},
	{
		files: ['nodes/n8n/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['../client', '../client/*', '../editor', '../editor/*', ...NODE_FOLDERS],
							caseSensitive: true,
							message: 'The n8n glue sits below the client: it sends nothing and knows no node.',
						},
					],
				},
			],
		},
	},
	{
		files: ['nodes/client/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['../editor', '../editor/*', ...NODE_FOLDERS],
							caseSensitive: true,
							message:
								'Nodes import the client, never the other way: keep node-specific code in its node.',
						},
					],
				},
			],
		},
	},
	...tseslint.config({
		files: TOOLING_SOURCES,
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: {
			// `const { dropped, ...kept } = value` is how the tools leave keys out of a copy.
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
		},
	}),
	{
		// The stand-in's suites read Salesforce's JSON answers field by field and let expect() judge
		// them; typing every answer would restate the stand-in's own types in the tests meant to check them.
		files: ['test/standin/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	{
		// The fuzz tests and the SOQL tokenizer test helper look for control characters on purpose
		// (what Salesforce refuses in a value); the rule is there to catch them by accident.
		files: ['test/unit/**/*.ts'],
		rules: { 'no-control-regex': 'off' },
	},
];
