import type { IDataObject } from 'n8n-workflow';

import { EdnaPulse } from '../../../../nodes/EdnaPulse/EdnaPulse.node';
import {
	description as getDescription,
	execute as get,
} from '../../../../nodes/EdnaPulse/actions/template/get.operation';
import {
	description as getManyDescription,
	execute as getMany,
} from '../../../../nodes/EdnaPulse/actions/template/getMany.operation';
import { variableColumns } from '../../../../nodes/EdnaPulse/actions/template/columns';
import { getTemplateVariables } from '../../../../nodes/EdnaPulse/methods/resourceMapping';
import {
	searchSendableTemplates,
	searchTemplates,
} from '../../../../nodes/EdnaPulse/methods/templateSearch';
import { fakeContext, rl, type EdnaCall } from '../../../support/fakeContext';
import { fixtureBody } from '../../../support/io';

const TEMPLATES = fixtureBody('templates', 'get-by-request') as IDataObject[];
const LIST = 'message-matchers/get-by-request';

const templatesAnswer = (call: EdnaCall) => (call.path === LIST ? { body: TEMPLATES } : undefined);
const fake = (parameters: IDataObject) => fakeContext({ parameters, edna: templatesAnswer });

describe('Template → Get Many', () => {
	test('approved templates of the channel by default, simplified', async () => {
		const f = fake({
			channel: rl(101),
			statuses: ['APPROVED'],
			returnAll: true,
			filters: {},
			simplify: true,
		});
		const items = await getMany.call(f.context, 0);
		expect(f.to(LIST)[0].body).toEqual({ subjectId: 101 });
		expect(items.map((t) => t.id)).toEqual([5501, 5502, 5503, 5504, 5506, 5507]);
		expect(items[0]).toMatchObject({
			name: 'order_shipped',
			bodyVariables: 2,
			headerVariables: 1,
			buttonVariables: 2,
		});
	});

	test('the Status default is APPROVED', () => {
		expect(getManyDescription.find((p) => p.name === 'statuses')?.default).toEqual(['APPROVED']);
	});

	test('filters: template type goes to edna, category and language here; limit; raw output', async () => {
		const f = fake({
			channel: rl('sandbox_wa', 'name'),
			statuses: [],
			returnAll: false,
			limit: 1,
			filters: { matcherTypes: ['OPERATOR'], categories: ['MARKETING'], languages: 'EN' },
			simplify: false,
		});
		const items = await getMany.call(f.context, 0);
		expect(f.to(LIST)[0].body).toEqual({ subjectId: 101, matcherTypes: ['OPERATOR'] });
		expect(items).toEqual([TEMPLATES[2]]);
	});

	test('an unknown channel is refused before templates are asked for', async () => {
		const f = fake({ channel: rl(999, 'id'), statuses: [], returnAll: true, filters: {} });
		await expect(getMany.call(f.context, 0)).rejects.toThrow('No channel with ID 999');
		expect(f.to(LIST)).toHaveLength(0);
	});
});

describe('Template → Get', () => {
	test('by ID or by name · language', async () => {
		const byId = await get.call(
			fake({ channel: rl(101), template: rl('5503', 'id'), simplify: true }).context,
			0,
		);
		expect(byId).toEqual([
			expect.objectContaining({ id: 5503, name: 'spring_sale', mediaHeader: 'IMAGE' }),
		]);
		const byName = await get.call(
			fake({ channel: rl(101), template: rl('order_shipped · ru', 'name'), simplify: false })
				.context,
			0,
		);
		expect(byName).toEqual([TEMPLATES[1]]);
	});

	test('a clear error when it is not there', async () => {
		await expect(
			get.call(fake({ channel: rl(101), template: rl('gone', 'name') }).context, 0),
		).rejects.toThrow('Channel sandbox_wa has no template named "gone".');
	});

	test('the picker lists every template; by ID and by name modes exist for AI tools', () => {
		const locator = getDescription.find((p) => p.name === 'template');
		expect(locator?.modes?.map((m) => m.name)).toEqual(['list', 'id', 'name']);
		expect(locator?.modes?.[0].typeOptions?.searchListMethod).toBe('searchTemplates');
	});
});

describe('template pickers (listSearch)', () => {
	test('Send Template lists approved, unlocked templates, labelled name · language · category', async () => {
		const result = await searchSendableTemplates.call(fake({ channel: rl(101) }).context);
		expect(result.results.map((r) => [r.name, r.value])).toEqual([
			['odd_braces · en · MARKETING', '5507'],
			['order_shipped · en · UTILITY', '5501'],
			['order_shipped · ru · UTILITY', '5502'],
			['plain_hello · en_US · UTILITY', '5506'],
			['spring_sale · en · MARKETING', '5503'],
		]);
		expect(result.paginationToken).toBeUndefined();
	});

	test('Template → Get lists all; the filter narrows', async () => {
		const all = await searchTemplates.call(fake({ channel: rl(101) }).context);
		expect(all.results).toHaveLength(7);
		const filtered = await searchTemplates.call(fake({ channel: rl(101) }).context, 'otp');
		expect(filtered.results.map((r) => r.value)).toEqual(['5504']);
	});

	test('pages through a long list', async () => {
		const many = Array.from({ length: 75 }, (_, i) => ({
			id: i + 1,
			name: `t${String(i).padStart(2, '0')}`,
			status: 'APPROVED',
		}));
		const f = fakeContext({
			parameters: { channel: rl(101) },
			edna: (c) => (c.path === LIST ? { body: many } : undefined),
		});
		const first = await searchSendableTemplates.call(f.context);
		expect(first.results).toHaveLength(50);
		const second = await searchSendableTemplates.call(f.context, undefined, first.paginationToken);
		expect(second.results).toHaveLength(25);
		expect(second.paginationToken).toBeUndefined();
		// One list per picker call context, not per page of it.
		expect(f.to(LIST)).toHaveLength(1);
	});

	test('no channel yet: an empty list, and edna is not asked', async () => {
		const f = fake({ channel: rl('') });
		expect(await searchSendableTemplates.call(f.context)).toEqual({ results: [] });
		expect(f.calls).toHaveLength(0);
	});
});

describe('variable fields (resourceMapper)', () => {
	test('one required text field per variable, in header, body, button order', async () => {
		const mapped = await getTemplateVariables.call(
			fake({ channel: rl(101), template: rl(5501) }).context,
		);
		expect(mapped.fields.map((f) => [f.id, f.displayName])).toEqual([
			['header_1', 'Header {{1}}'],
			['body_1', 'Body {{1}} (e.g. Alex)'],
			['body_2', 'Body {{2}} (e.g. A-1001)'],
			['button_1', 'Button 1 "Track"'],
			['button_2', 'Button 2 "Invoice"'],
		]);
		expect(mapped.fields[0]).toEqual({
			id: 'header_1',
			displayName: 'Header {{1}}',
			required: true,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		});
	});

	test('notices instead of fields: nothing picked, no variables, template gone', async () => {
		expect(
			await getTemplateVariables.call(fake({ channel: rl(101), template: rl('') }).context),
		).toEqual({
			fields: [],
			emptyFieldsNotice: 'Pick the channel and the template first: their variables appear here.',
		});
		expect(
			await getTemplateVariables.call(fake({ channel: rl(''), template: rl(5501) }).context),
		).toEqual({
			fields: [],
			emptyFieldsNotice: 'Pick the channel first: templates belong to a channel.',
		});
		expect(
			(await getTemplateVariables.call(fake({ channel: rl(101), template: rl(5506) }).context))
				.emptyFieldsNotice,
		).toBe('This template has no variables: nothing to fill in.');
		expect(
			(await getTemplateVariables.call(fake({ channel: rl(101), template: rl(1, 'id') }).context))
				.emptyFieldsNotice,
		).toBe('Channel sandbox_wa has no template with ID 1 (it has 7 templates).');
	});

	test('a template or channel set by an expression points to Variables (JSON)', async () => {
		const byExpression = await getTemplateVariables.call(
			fake({ channel: rl(101), template: rl('={{ $json.templateId }}', 'id') }).context,
		);
		expect(byExpression).toEqual({
			fields: [],
			emptyFieldsNotice:
				'The channel or template is set by an expression, so its variables cannot be shown here: give them in Options → Variables (JSON).',
		});
	});

	test('a media-header template says the header needs a URL', () => {
		const onlyMedia = { content: { header: { headerType: 'VIDEO' }, text: 'Watch this' } };
		expect(variableColumns(onlyMedia).emptyFieldsNotice).toBe(
			'This template has no variables: nothing to fill in. Its video header needs Header Media URL.',
		);
	});
});

describe('registered in the node', () => {
	const node = new EdnaPulse();
	const properties = node.description.properties;

	test('Template and Webhook resources, Send Template operation', () => {
		const resources = properties
			.find((p) => p.name === 'resource')
			?.options?.map((o) => ('value' in o ? o.value : ''));
		expect(resources).toEqual(expect.arrayContaining(['template', 'webhook']));
		const messageOps = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('message'),
		)?.options;
		expect(messageOps?.map((o) => ('value' in o ? o.value : ''))).toContain('sendTemplate');
	});

	test('the pickers and the variable fields have their methods', () => {
		expect(typeof node.methods.listSearch.searchTemplates).toBe('function');
		expect(typeof node.methods.listSearch.searchSendableTemplates).toBe('function');
		expect(typeof node.methods.resourceMapping.getTemplateVariables).toBe('function');
	});
});
