// The same rules n8n's community-package scanner runs (via @n8n/node-cli's config), plus the house
// rules on the layers (test/unit/n8n/importGraph.test.ts checks them all on the import graph): the
// Salesforce core (nodes/salesforce) never imports n8n nor anything above it; the n8n glue
// (nodes/n8n) sends nothing and knows no client; the client (nodes/client) imports no node and not
// the editor lists above it. Node folders are named Salesforce* (the core is salesforce: mind the case).
import { config } from '@n8n/node-cli/eslint';

const NODE_FOLDERS = ['../Salesforce*', '../../Salesforce*'];

export default [
	...config,
	{
		files: ['nodes/salesforce/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['n8n-workflow', 'n8n-core', '../../n8n', '../n8n', '../../n8n/*', '../n8n/*', '../client', '../../client', '../client/*', '../../client/*', '../editor', '../../editor', '../editor/*', '../../editor/*', ...NODE_FOLDERS],
							caseSensitive: true,
							message: 'The Salesforce core knows nothing of n8n: put n8n glue in nodes/n8n, sending in nodes/client.',
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
				{ patterns: [{ group: ['../client', '../client/*', '../editor', '../editor/*', ...NODE_FOLDERS], caseSensitive: true, message: 'The n8n glue sits below the client: it sends nothing and knows no node.' }] },
			],
		},
	},
	{
		files: ['nodes/client/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['../editor', '../editor/*', ...NODE_FOLDERS], caseSensitive: true, message: 'Nodes import the client, never the other way: keep node-specific code in its node.' }] },
			],
		},
	},
];
