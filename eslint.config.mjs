// The same rules n8n's community-package scanner runs (via @n8n/node-cli's config), plus the house
// rule: the Salesforce core (nodes/salesforce) never imports n8n.
import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{
		files: ['nodes/salesforce/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['n8n-workflow', 'n8n-core', '../../n8n', '../n8n', '../../n8n/*', '../n8n/*'], message: 'The Salesforce core knows nothing of n8n: put n8n glue in nodes/n8n.' }] },
			],
		},
	},
];
