import type { INodeProperties } from 'n8n-workflow';

import { EdnaPulseApi } from '../../credentials/EdnaPulseApi.credentials';
import { EdnaPulse } from '../../nodes/EdnaPulse/EdnaPulse.node';
import { EdnaPulseTrigger } from '../../nodes/EdnaPulse/EdnaPulseTrigger.node';
import { docFiles, repoFile, repoPathExists } from '../support/io';

// Saved workflows store parameter names and option values: every one a user can set is documented in
// the README or a reference page in docs/, in backticks, so a new parameter cannot ship without its line.
const pages = docFiles();
const docs = pages.map((page) => repoFile(page)).join('\n');

function userVisible(properties: INodeProperties[], names: Set<string>, values: Set<string>): void {
	for (const p of properties) {
		if (p.type === 'notice') continue;
		names.add(p.name);
		if (p.type === 'options' || p.type === 'multiOptions') {
			for (const o of p.options ?? []) if ('value' in o) values.add(String(o.value));
		}
		if (p.type === 'collection') userVisible((p.options ?? []) as INodeProperties[], names, values);
		if (p.type === 'fixedCollection') {
			for (const group of p.options ?? []) {
				if ('values' in group) userVisible(group.values as INodeProperties[], names, values);
			}
		}
	}
}

// `name`, or as part of a path: `options.name`
const documented = (name: string): boolean =>
	[`\`${name}\``, `.${name}\``, `\`${name}.`].some((form) => docs.includes(form));

describe.each([
	['edna Pulse', new EdnaPulse().description.properties],
	['edna Pulse Trigger', new EdnaPulseTrigger().description.properties],
	['Edna Pulse API credential', new EdnaPulseApi().properties],
])('README and docs/ document every name of %s', (_, properties) => {
	const names = new Set<string>();
	const values = new Set<string>();
	userVisible(properties, names, values);

	test('parameter names', () => {
		expect([...names].filter((n) => !documented(n))).toEqual([]);
	});

	test('option values', () => {
		expect([...values].filter((v) => !documented(v))).toEqual([]);
	});
});

/** The page's text without fenced code blocks, where `[x](y)` is code, not a link. */
const prose = (text: string): string => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens; repeats get -1, -2… */
function anchors(text: string): Set<string> {
	const seen = new Map<string, number>();
	const result = new Set<string>();
	for (const [, heading] of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const slug = heading
			.toLowerCase()
			.replace(/[^\p{L}\p{N}_\- ]/gu, '')
			.replace(/ /g, '-');
		const n = seen.get(slug) ?? 0;
		seen.set(slug, n + 1);
		result.add(n === 0 ? slug : `${slug}-${n}`);
	}
	for (const [, id] of text.matchAll(/<a (?:id|name)="([^"]+)"/g)) result.add(id);
	return result;
}

/** `[text](target)` and `![alt](target)` links that stay inside the repository. */
function relativeLinks(text: string): string[] {
	return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
		.map(([, target]) => target)
		.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The page a link points at, as a path from the repository root ('' for the page itself). */
function resolve(page: string, path: string): string {
	const parts = page.split('/').slice(0, -1);
	for (const part of path.split('/')) {
		if (part === '..') parts.pop();
		else if (part !== '.' && part !== '') parts.push(part);
	}
	return parts.join('/');
}

describe.each(pages)('links in %s', (page) => {
	const text = repoFile(page);

	test('every relative link names a file that exists, and a heading of it', () => {
		const broken = relativeLinks(text).filter((link) => {
			const [path, anchor] = link.split('#', 2);
			const target = path === '' ? page : resolve(page, decodeURI(path));
			if (!repoPathExists(target)) return true;
			if (anchor === undefined || !target.endsWith('.md')) return false;
			return !anchors(repoFile(target)).has(anchor);
		});
		expect(broken).toEqual([]);
	});
});
