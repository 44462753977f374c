import type { INodeProperties } from 'n8n-workflow';

import { EdnaPulseApi } from '../../credentials/EdnaPulseApi.credentials';
import { EdnaPulse } from '../../nodes/EdnaPulse/EdnaPulse.node';
import { EdnaPulseTrigger } from '../../nodes/EdnaPulse/EdnaPulseTrigger.node';
import { repoFile } from '../support/io';

// Saved workflows store parameter names and option values: every one a user can set is documented in
// the README, in backticks, so a new parameter cannot ship without its line there.
const readme = repoFile('README.md');

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
	[`\`${name}\``, `.${name}\``, `\`${name}.`].some((form) => readme.includes(form));

describe.each([
	['edna Pulse', new EdnaPulse().description.properties],
	['edna Pulse Trigger', new EdnaPulseTrigger().description.properties],
	['Edna Pulse API credential', new EdnaPulseApi().properties],
])('README documents every name of %s', (_, properties) => {
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
