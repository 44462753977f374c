import type { IDataObject } from 'n8n-workflow';

import {
	MAX_FIELD_NAME,
	checkVariableValues,
	describeVariableProblem,
	notPlaceholders,
	placeholderNumbers,
	templateVariables,
} from '../../../../nodes/EdnaPulse/actions/template/variables';
import { fixtureBody } from '../../../support/io';

const templates = fixtureBody('templates', 'get-by-request') as IDataObject[];
const byId = (id: number): IDataObject => templates.find((t) => t.id === id) as IDataObject;

describe('template variables: placeholders', () => {
	test('distinct numbers, ascending; a repeated {{1}} is one variable', () => {
		expect(placeholderNumbers('Hello {{2}}, {{1}} and again {{1}}')).toEqual([1, 2]);
	});

	test('no placeholders, no text, not a string', () => {
		expect(placeholderNumbers('Hello!')).toEqual([]);
		expect(placeholderNumbers('')).toEqual([]);
		expect(placeholderNumbers(null)).toEqual([]);
		expect(placeholderNumbers(42)).toEqual([]);
	});

	test('malformed braces are not variables, and are reported', () => {
		const text = 'Hi {{ 1 }} and {{name}}, {{0}} then {{3}} and {{1}} and {{2';
		expect(placeholderNumbers(text)).toEqual([1, 3]);
		expect(notPlaceholders(text)).toEqual(['{{ 1 }}', '{{name}}', '{{0}}']);
	});
});

describe('template variables: from a template', () => {
	test('body, header text and dynamic URL buttons, with examples in the names where they fit', () => {
		const variables = templateVariables(byId(5501));
		expect(variables.body).toEqual([
			{
				group: 'body',
				key: 'body_1',
				number: 1,
				displayName: 'Body {{1}} (e.g. Alex)',
				example: 'Alex',
			},
			{
				group: 'body',
				key: 'body_2',
				number: 2,
				displayName: 'Body {{2}} (e.g. A-1001)',
				example: 'A-1001',
			},
		]);
		expect(variables.header).toEqual([
			{
				group: 'header',
				key: 'header_1',
				number: 1,
				displayName: 'Header {{1}}',
				example: 'A-1001',
			},
		]);
		// "Track" has its {{1}} in urlPostfix, "Invoice" in url; "Help" and the quick reply are static.
		expect(variables.buttons.map((b) => [b.key, b.displayName])).toEqual([
			['button_1', 'Button 1 "Track"'],
			['button_2', 'Button 2 "Invoice"'],
		]);
		expect(variables.mediaHeader).toBeNull();
		expect(variables.notVariables).toEqual([]);
	});

	test('a media header is reported and has no text variable', () => {
		const variables = templateVariables(byId(5503));
		expect(variables.mediaHeader).toBe('IMAGE');
		expect(variables.header).toEqual([]);
		expect(variables.body.map((v) => v.displayName)).toEqual(['Body {{1}} (e.g. 20%)']);
	});

	test('a template without variables, or without content', () => {
		expect(templateVariables(byId(5506))).toEqual({
			body: [],
			header: [],
			buttons: [],
			mediaHeader: null,
			notVariables: [],
		});
		expect(templateVariables({ id: 1 })).toEqual({
			body: [],
			header: [],
			buttons: [],
			mediaHeader: null,
			notVariables: [],
		});
	});

	test('skipped numbers keep their own examples; missing examples give plain names', () => {
		const variables = templateVariables(byId(5507));
		expect(variables.body.map((v) => v.displayName)).toEqual([
			'Body {{1}} (e.g. Alex)',
			'Body {{3}} (e.g. Friday)',
		]);
		expect(variables.notVariables).toEqual(['{{ 1 }}', '{{name}}', '{{0}}']);
		const noExamples = templateVariables({ content: { text: '{{1}} {{2}}' } });
		expect(noExamples.body.map((v) => v.displayName)).toEqual(['Body {{1}}', 'Body {{2}}']);
	});

	test('only link buttons are dynamic; a header is TEXT to have a variable', () => {
		const variables = templateVariables({
			content: {
				header: { headerType: 'IMAGE', text: 'Hi {{1}}' },
				keyboard: {
					rows: [
						{
							buttons: [
								{ text: 'Call', buttonType: 'PHONE', url: 'tel:{{1}}' },
								{ text: 'Go', url: 'https://x.example.com/{{1}}' },
								{ text: 'Open', buttonType: 'url', url: 'https://x.example.com/{{1}}/{{1}}' },
							],
						},
					],
				},
			},
		});
		expect(variables.header).toEqual([]);
		expect(variables.buttons.map((b) => b.displayName)).toEqual([
			'Button 1 "Go"',
			'Button 2 "Open"',
		]);
	});

	test(`names fit n8n's editor (at most ${MAX_FIELD_NAME} characters): a long example or button text is left out`, () => {
		const variables = templateVariables({
			content: {
				header: { headerType: 'TEXT', text: 'Order {{1}}', headerExampleTextParam: 'A-1001-2025-12-24-XYZ' },
				text: 'Hi {{1}}, {{2}}',
				textExampleParams: ['Alex', 'a very long example sentence'],
				keyboard: {
					rows: [
						{
							buttons: [
								{ text: 'Track parcel', url: 'https://x.example.com/{{1}}' },
								{ text: 'Download your invoice here', url: 'https://x.example.com/i/{{1}}' },
								{ text: '', url: 'https://x.example.com/u/{{1}}' },
							],
						},
					],
				},
			},
		});
		expect(variables.header.map((v) => v.displayName)).toEqual(['Header {{1}}']);
		expect(variables.body.map((v) => v.displayName)).toEqual(['Body {{1}} (e.g. Alex)', 'Body {{2}}']);
		expect(variables.buttons.map((v) => v.displayName)).toEqual(['Button 1 "Track parcel"', 'Button 2 URL', 'Button 3 URL']);
		// The examples are kept on the variables; only the names are short.
		expect(variables.body[1].example).toBe('a very long example sentence');
		for (const v of [...variables.header, ...variables.body, ...variables.buttons]) {
			expect(v.displayName.length).toBeLessThanOrEqual(MAX_FIELD_NAME);
		}
	});

	test('garbage shapes do not throw', () => {
		const odd = {
			content: {
				header: 'x',
				keyboard: { rows: [null, { buttons: 'no' }, { buttons: [1, null] }] },
			},
		};
		expect(templateVariables(odd as unknown as IDataObject).buttons).toEqual([]);
	});
});

describe('template variables: checking values before the send', () => {
	const variables = templateVariables(byId(5501));
	const complete = {
		header_1: 'A-1001',
		body_1: 'Alex',
		body_2: 'A-1001',
		button_1: '123',
		button_2: 77,
	};

	test('complete values become the three arrays, in template order; numbers become text', () => {
		expect(checkVariableValues(variables, complete)).toEqual({
			ok: true,
			values: {
				textVariables: ['Alex', 'A-1001'],
				headerVariables: ['A-1001'],
				buttonVariables: ['123', '77'],
			},
		});
	});

	test('an empty or blank value is named', () => {
		const check = checkVariableValues(variables, { ...complete, body_2: '  ', button_1: null });
		expect(check).toEqual({
			ok: false,
			missing: [
				'Body {{2}} (e.g. A-1001)',
				'Button 1 "Track"',
			],
			unknown: [],
		});
		expect(
			describeVariableProblem(check as Extract<typeof check, { ok: false }>, 'order_shipped'),
		).toBe(
			'These variables have no value: Body {{2}} (e.g. A-1001), Button 1 "Track".',
		);
	});

	test('no values at all: every variable is missing', () => {
		const check = checkVariableValues(variables, null);
		expect(check.ok).toBe(false);
		expect(check.ok === false && check.missing).toHaveLength(5);
	});

	test('a value for a variable the template lacks is a count mismatch', () => {
		const check = checkVariableValues(variables, { ...complete, body_3: 'extra' });
		expect(check).toEqual({ ok: false, missing: [], unknown: ['body_3'] });
		expect(
			describeVariableProblem(check as Extract<typeof check, { ok: false }>, 'order_shipped'),
		).toBe(
			'Template "order_shipped" has no body_3 (the fields were made for another version of it: refresh them).',
		);
	});

	test('an empty leftover field is ignored', () => {
		expect(checkVariableValues(variables, { ...complete, body_3: '' }).ok).toBe(true);
	});

	test('a template without variables needs none', () => {
		expect(checkVariableValues(templateVariables(byId(5506)), {})).toEqual({
			ok: true,
			values: { textVariables: [], headerVariables: [], buttonVariables: [] },
		});
	});
});
