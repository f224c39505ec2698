/**
 * The documentation links n8n shows for the credential and the nodes, and every link of the README
 * and the guides. n8n's editor appends `?utm_source=…` to a node's codex link by plain string
 * concatenation, so a link with a `#anchor` lands at the top of the page (the query ends up inside
 * the fragment): every link n8n opens must be anchor-free and point at a page of this repository that
 * exists. npm shows README.md with its relative links resolved against the repository, not the docs
 * folder, so the README links every page and image by absolute GitHub URL.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { SalesforceIntegrationApi } from '../../../credentials/SalesforceIntegrationApi.credentials';
import { SalesforceAction } from '../../../nodes/SalesforceAction/SalesforceAction.node';
import { SalesforceAuth } from '../../../nodes/SalesforceAuth/SalesforceAuth.node';
import { SalesforceEventTrigger } from '../../../nodes/SalesforceEventTrigger/SalesforceEventTrigger.node';
import { SalesforceTrigger } from '../../../nodes/SalesforceTrigger/SalesforceTrigger.node';

const ROOT = join(__dirname, '../../..');
const REPOSITORY =
	'https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration';
const FILE_URL = `${REPOSITORY}/blob/main/`;
const RAW_URL =
	'https://raw.githubusercontent.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/main/';
function codexLinks(file: string): string[] {
	const codex = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as {
		resources: Record<string, Array<{ url: string }>>;
	};
	return Object.values(codex.resources).flatMap((links) => links.map((link) => link.url));
}

const links: Array<[string, string]> = [
	['credential documentationUrl', new SalesforceIntegrationApi().documentationUrl],
	...codexLinks('nodes/SalesforceAction/SalesforceAction.node.json').map(
		(url): [string, string] => ['Salesforce Action codex', url],
	),
	...codexLinks('nodes/SalesforceAuth/SalesforceAuth.node.json').map((url): [string, string] => [
		'deprecated node codex',
		url,
	]),
	...codexLinks('nodes/SalesforceTrigger/SalesforceTrigger.node.json').map(
		(url): [string, string] => ['Salesforce Trigger codex', url],
	),
	...codexLinks('nodes/SalesforceEventTrigger/SalesforceEventTrigger.node.json').map(
		(url): [string, string] => ['Salesforce Event Trigger codex', url],
	),
];

/** GitHub's id for a heading: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchor(heading: string): string {
	return heading
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.trim()
		.replace(/\s/g, '-');
}

function withoutCode(markdown: string): string {
	return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function anchorsOf(file: string): string[] {
	const headings = withoutCode(readFileSync(join(ROOT, file), 'utf8')).match(/^#{1,6} .+$/gm) ?? [];
	return headings.map((heading) => headingAnchor(heading.replace(/^#+ /, '')));
}

/** The Markdown links and images of a file: [text](target) and ![alt](target), code left out. */
function markdownLinks(file: string): string[] {
	return [...withoutCode(readFileSync(join(ROOT, file), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)].map(
		(match) => match[1],
	);
}

/** What is wrong with a link from `from` (a repository path), or undefined when it leads somewhere real. */
function brokenLink(from: string, url: string): string | undefined {
	const [target, anchor] = url.split('#') as [string, string | undefined];
	let file: string;
	if (target.startsWith(FILE_URL)) file = target.slice(FILE_URL.length);
	else if (target.startsWith(RAW_URL)) file = target.slice(RAW_URL.length);
	else if (target === REPOSITORY) file = 'README.md';
	else if (target.startsWith(`${REPOSITORY}/`))
		return undefined; // issues, releases: GitHub's pages
	else if (/^[a-z]+:/.test(target))
		return undefined; // another site
	else if (target === '') file = from;
	else file = relative(ROOT, normalize(join(ROOT, dirname(from), target)));
	if (!existsSync(join(ROOT, file))) return `${file} does not exist`;
	if (anchor === undefined || !file.endsWith('.md')) return undefined;
	if (file === 'README.md' && anchor === 'readme') return undefined; // GitHub's own anchor of the README
	return anchorsOf(file).includes(anchor) ? undefined : `${file} has no heading #${anchor}`;
}

const GUIDES = readdirSync(join(ROOT, 'docs'))
	.filter((name) => name.endsWith('.md'))
	.map((name) => `docs/${name}`);
const PAGES = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...GUIDES];

describe('documentation links', () => {
	it.each(links)(
		'%s (%s) survives n8n appending ?utm_… and names a page that exists',
		(_where, url) => {
			expect(url).not.toContain('#');
			expect(url).not.toContain('?');
			expect(url.startsWith(FILE_URL)).toBe(true);
			expect(existsSync(join(ROOT, url.slice(FILE_URL.length)))).toBe(true);
		},
	);

	it("the deprecated node's notice links to the migration guide", () => {
		const notice = new SalesforceAuth().description.properties.find(
			(property) => property.type === 'notice',
		);
		expect(notice?.displayName).toContain(
			`${FILE_URL}docs/migrating-from-salesforce-authentication.md`,
		);
	});

	it('every link to this repository in the nodes and the credential leads to a page and heading that exist', () => {
		const sources = ['nodes', 'credentials'].flatMap((folder) =>
			(readdirSync(join(ROOT, folder), { recursive: true }) as string[])
				.filter((file) => /\.(ts|json)$/.test(file))
				.map((file) => join(folder, file)),
		);
		const found = sources.flatMap((file) =>
			[
				...readFileSync(join(ROOT, file), 'utf8').matchAll(
					/https:\/\/github\.com\/n8n-nodes-salesforce-integration\/n8n-nodes-salesforce-integration[^\s'"`<>)]*/g,
				),
			].map((match): [string, string] => [file, match[0]]),
		);
		expect(found.length).toBeGreaterThan(5);
		expect(
			found
				.map(([file, url]) => [file, url, brokenLink(file, url)])
				.filter(([, , broken]) => broken !== undefined),
		).toEqual([]);
	});

	it.each(PAGES)('every link and image of %s leads to a file and heading that exist', (page) => {
		expect(
			markdownLinks(page)
				.map((url) => [url, brokenLink(page, url)])
				.filter(([, broken]) => broken !== undefined),
		).toEqual([]);
	});

	it('the README links pages and images by absolute URL, which npm shows as GitHub does', () => {
		const found = markdownLinks('README.md');
		expect(found.length).toBeGreaterThan(20);
		expect(found.filter((url) => !/^https:\/\//.test(url))).toEqual([]);
	});

	it('the node can be found by what people search for', () => {
		const codex = JSON.parse(
			readFileSync(join(ROOT, 'nodes/SalesforceAction/SalesforceAction.node.json'), 'utf8'),
		) as { alias: string[]; node: string };
		expect(codex.node).toBe(
			`n8n-nodes-salesforce-integration.${new SalesforceAction().description.name}`,
		);
		for (const term of ['access token', 'token', 'SOQL', 'OAuth'])
			expect(codex.alias).toContain(term);
	});

	it('the trigger can be found by what people search for', () => {
		const codex = JSON.parse(
			readFileSync(join(ROOT, 'nodes/SalesforceTrigger/SalesforceTrigger.node.json'), 'utf8'),
		) as { alias: string[]; node: string };
		expect(codex.node).toBe(
			`n8n-nodes-salesforce-integration.${new SalesforceTrigger().description.name}`,
		);
		for (const term of ['record created', 'record updated', 'record deleted', 'SFDC'])
			expect(codex.alias).toContain(term);
	});

	it("the event trigger's codex names the node", () => {
		const codex = JSON.parse(
			readFileSync(
				join(ROOT, 'nodes/SalesforceEventTrigger/SalesforceEventTrigger.node.json'),
				'utf8',
			),
		) as { node: string };
		expect(codex.node).toBe(
			`n8n-nodes-salesforce-integration.${new SalesforceEventTrigger().description.name}`,
		);
	});
});
