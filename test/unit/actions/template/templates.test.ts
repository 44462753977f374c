import type { IDataObject } from 'n8n-workflow';

import {
	filterTemplates,
	findTemplate,
	isSendable,
	simplifyTemplate,
	splitList,
	templateLabel,
	templateList,
	templateListBody,
	templateSearchPage,
} from '../../../../nodes/EdnaPulse/actions/template/templates';
import { fixtureBody } from '../../../support/io';

const templates = fixtureBody('templates', 'get-by-request') as IDataObject[];
const ids = (list: IDataObject[]) => list.map((t) => t.id);

describe('template list: request and answer', () => {
	test('the body names the channel, and the types only when some are chosen', () => {
		expect(templateListBody(101)).toEqual({ subjectId: 101 });
		expect(templateListBody(101, [])).toEqual({ subjectId: 101 });
		expect(templateListBody(101, ['OPERATOR', 'USER'])).toEqual({
			subjectId: 101,
			matcherTypes: ['OPERATOR', 'USER'],
		});
	});

	test('an answer that is not a list of objects gives no templates', () => {
		expect(templateList(null)).toEqual([]);
		expect(templateList({ id: 1 })).toEqual([]);
		expect(templateList([{ id: 1 }, 'x', null, [2]])).toEqual([{ id: 1 }]);
	});
});

describe('template list: filters', () => {
	test('status APPROVED (the default) keeps approved ones, locked included', () => {
		expect(ids(filterTemplates(templates, { statuses: ['APPROVED'] }))).toEqual([
			5501, 5502, 5503, 5504, 5506, 5507,
		]);
	});

	test('no filter keeps all', () => {
		expect(filterTemplates(templates, {})).toHaveLength(templates.length);
		expect(
			filterTemplates(templates, { statuses: [], categories: [], languages: [] }),
		).toHaveLength(templates.length);
	});

	test('category and language, case-insensitive, combined', () => {
		expect(ids(filterTemplates(templates, { categories: ['marketing'] }))).toEqual([
			5503, 5505, 5507,
		]);
		expect(ids(filterTemplates(templates, { languages: splitList('RU, en_us') }))).toEqual([
			5502, 5506,
		]);
		expect(
			ids(
				filterTemplates(templates, {
					statuses: ['APPROVED'],
					categories: ['UTILITY'],
					languages: ['en'],
				}),
			),
		).toEqual([5501]);
	});

	test('sendable means approved and not locked', () => {
		expect(ids(templates.filter(isSendable))).toEqual([5501, 5502, 5503, 5506, 5507]);
	});

	test('splitList', () => {
		expect(splitList(' en, ,ru ')).toEqual(['en', 'ru']);
		expect(splitList(undefined)).toEqual([]);
	});
});

describe('template list: simplified output and label', () => {
	test('the label is "name · language · category"', () => {
		expect(templateLabel(templates[0])).toBe('order_shipped · en · UTILITY');
		expect(templateLabel({ name: 'x', language: null, category: 'MARKETING' })).toBe(
			'x · MARKETING',
		);
	});

	test('the simplified item carries the variable counts', () => {
		expect(simplifyTemplate(templates[0])).toEqual({
			id: 5501,
			name: 'order_shipped',
			language: 'en',
			category: 'UTILITY',
			status: 'APPROVED',
			locked: false,
			type: 'OPERATOR',
			channelType: 'WHATSAPP',
			text: 'Hello {{1}}, your order {{2}} has shipped. Thank you, {{1}}!',
			headerType: 'TEXT',
			bodyVariables: 2,
			headerVariables: 1,
			buttonVariables: 2,
			mediaHeader: null,
		});
		expect(simplifyTemplate(templates[2])).toMatchObject({
			headerType: 'IMAGE',
			mediaHeader: 'IMAGE',
		});
		expect(simplifyTemplate({})).toMatchObject({
			id: null,
			name: null,
			locked: false,
			bodyVariables: 0,
		});
	});
});

describe('template list: lookup by ID or name', () => {
	test('by ID, as a number or text', () => {
		expect(findTemplate(templates, 'id', 5503, 'sandbox_wa')).toEqual({
			found: true,
			template: templates[2],
		});
		expect(findTemplate(templates, 'id', ' 5503 ', 'sandbox_wa')).toMatchObject({ found: true });
	});

	test('an unknown ID says which channel was searched', () => {
		expect(findTemplate(templates, 'id', 9999, 'sandbox_wa')).toEqual({
			found: false,
			message: 'Channel sandbox_wa has no template with ID 9999 (it has 7 templates).',
		});
		expect(findTemplate(templates, 'id', '', 'sandbox_wa')).toEqual({
			found: false,
			message: 'No template ID was given.',
		});
	});

	test('by a unique name', () => {
		expect(findTemplate(templates, 'name', 'spring_sale', 'sandbox_wa')).toMatchObject({
			found: true,
			template: { id: 5503 },
		});
	});

	test('a name in two languages needs the language; the label works as it is', () => {
		const ambiguous = findTemplate(templates, 'name', 'order_shipped', 'sandbox_wa');
		expect(ambiguous).toEqual({
			found: false,
			message:
				'Channel sandbox_wa has 2 templates named "order_shipped": give one as "name · language", e.g. "order_shipped · en · UTILITY", "order_shipped · ru · UTILITY".',
		});
		expect(findTemplate(templates, 'name', 'order_shipped · RU', 'sandbox_wa')).toMatchObject({
			template: { id: 5502 },
		});
		expect(
			findTemplate(templates, 'name', 'order_shipped · en · UTILITY', 'sandbox_wa'),
		).toMatchObject({
			template: { id: 5501 },
		});
	});

	test('an unknown name', () => {
		expect(findTemplate(templates, 'name', 'nope', 'sandbox_wa')).toEqual({
			found: false,
			message: 'Channel sandbox_wa has no template named "nope".',
		});
	});
});

describe('template picker: search and paging', () => {
	const many: IDataObject[] = Array.from({ length: 120 }, (_, i) => ({
		id: 1000 + i,
		name: `t_${String(i).padStart(3, '0')}`,
		language: 'en',
		category: 'UTILITY',
		content: { text: `Text ${i}` },
	}));

	test('pages of 50 with an offset token until the end', () => {
		const first = templateSearchPage(many, undefined, undefined);
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({
			name: 't_000 · en · UTILITY',
			value: '1000',
			description: 'Text 0',
		});
		expect(first.paginationToken).toBe('50');
		const second = templateSearchPage(many, undefined, first.paginationToken);
		expect(second.results[0].value).toBe('1050');
		const third = templateSearchPage(many, undefined, second.paginationToken);
		expect(third.results).toHaveLength(20);
		expect(third.paginationToken).toBeUndefined();
	});

	test('the filter matches the label without case, or the exact ID', () => {
		expect(templateSearchPage(many, 'T_11', undefined).results.map((r) => r.value)).toEqual([
			'1110',
			'1111',
			'1112',
			'1113',
			'1114',
			'1115',
			'1116',
			'1117',
			'1118',
			'1119',
		]);
		expect(templateSearchPage(many, '1042', undefined).results.map((r) => r.value)).toEqual([
			'1042',
		]);
		expect(
			templateSearchPage(templates, 'marketing', undefined).results.map((r) => r.name),
		).toEqual([
			'odd_braces · en · MARKETING',
			'spring_sale · en · MARKETING',
			'welcome · en · MARKETING',
		]);
	});

	test('a bad token starts from the beginning; the page size can be set', () => {
		expect(templateSearchPage(many, '', 'garbage', 10).results[0].value).toBe('1000');
		expect(templateSearchPage(many, '', '-5', 10).paginationToken).toBe('10');
	});

	test('long texts are cut for the description', () => {
		const [result] = templateSearchPage(
			[{ id: 1, name: 'x', content: { text: 'a'.repeat(400) } }],
			'',
			'',
		).results;
		expect(result.description).toHaveLength(150);
	});
});
