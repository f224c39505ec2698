/**
 * CONTRIBUTING.md's folder map names every folder of the repository, one line each, and nothing
 * that is gone: a folder added, moved or removed without its line fails here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** Every folder holding a file git tracks or would track (ignored ones, such as node_modules, left out). */
function repositoryFolders(): string[] {
	const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
		cwd: ROOT,
		encoding: 'utf8',
	})
		.split('\n')
		.filter(Boolean);
	const folders = new Set<string>();
	for (const file of files) {
		for (let folder = dirname(file); folder !== '.'; folder = dirname(folder))
			folders.add(`${folder}/`);
	}
	return [...folders].sort();
}

/** The lines of the map's code block. */
function mapLines(): string[] {
	const contributing = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
	const section = contributing.slice(contributing.indexOf('## Folder map'));
	const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
	return block.split('\n').filter(Boolean);
}

/** The folders the map names: the first word of each line. */
function mappedFolders(): string[] {
	return mapLines().map((line) => line.split(/\s+/)[0]);
}

describe("CONTRIBUTING.md's folder map", () => {
	it('names every folder of the repository', () => {
		const mapped = mappedFolders();
		expect(repositoryFolders().filter((folder) => !mapped.includes(folder))).toEqual([]);
	});

	it('names only folders that exist, each once, each with what it holds', () => {
		const mapped = mappedFolders();
		const existing = repositoryFolders();
		expect(mapped.filter((folder) => !existing.includes(folder))).toEqual([]);
		expect(mapped.filter((folder, index) => mapped.indexOf(folder) !== index)).toEqual([]);
		expect(mapped.length).toBeGreaterThan(50);
		expect(mapLines().filter((line) => !/^\S+\/\s+\S/.test(line))).toEqual([]);
	});
});
