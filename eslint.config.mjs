// The same rules n8n's community-package scanner runs (via @n8n/node-cli's config).
import { config } from '@n8n/node-cli/eslint';

export default config;
