import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	execute,
	valuesFromJson,
} from '../../../../nodes/EdnaPulse/actions/message/sendTemplate.operation';
import { templateVariables } from '../../../../nodes/EdnaPulse/actions/template/variables';
import type { BatchState } from '../../../../nodes/EdnaPulse/actions/types';
import { retryPolicy } from '../../../../nodes/EdnaPulse/transport';
import { fakeContext, rl, type Answer, type EdnaCall } from '../../../support/fakeContext';
import { fixtureBody } from '../../../support/io';

const TEMPLATES = fixtureBody('templates', 'get-by-request') as IDataObject[];
const VIBER_TEMPLATE = {
	id: 601,
	name: 'viber_promo',
	channelType: 'VIBER',
	language: 'ru',
	category: 'MARKETING',
	status: 'APPROVED',
	locked: false,
	content: { text: 'Скидка {{1}}' },
};
const SEND_PATH = 'v1/out-messages/whatsapp/template';

const ORDER_SHIPPED_VALUES = {
	header_1: 'A-1001',
	body_1: 'Alex',
	body_2: 'A-1001',
	button_1: '123',
	button_2: '77',
};

const accepted = (call: EdnaCall): Answer => ({
	body: { messageId: call.body?.messageId, outMessageId: 9001 },
});

function edna(send: (call: EdnaCall) => Answer = accepted) {
	return (call: EdnaCall): Answer | undefined => {
		if (call.path === 'message-matchers/get-by-request') {
			return { body: call.body?.subjectId === 102 ? [VIBER_TEMPLATE] : TEMPLATES };
		}
		if (call.path.startsWith('v1/out-messages/')) return send(call);
		return undefined;
	};
}

function run(
	parameters: IDataObject,
	options: { send?: (call: EdnaCall) => Answer; items?: INodeExecutionData[] } = {},
) {
	const fake = fakeContext({
		parameters: {
			channel: rl(101),
			template: rl(5501),
			phone: '+357 9000 0002',
			variables: { mappingMode: 'defineBelow', value: ORDER_SHIPPED_VALUES },
			mediaUrl: '',
			mediaName: '',
			options: {},
			...parameters,
		},
		items: options.items,
		edna: edna(options.send),
	});
	const batch: BatchState = { eventKeysSeen: new Map() };
	return { fake, result: execute.call(fake.context, 0, batch) };
}

beforeAll(() => {
	retryPolicy.delaysMs = [0, 0];
});

describe('Message → Send Template', () => {
	test('sends the template with its variables in edna’s three arrays', async () => {
		const { fake, result } = run({});
		const [item] = await result;
		const [send] = fake.to(SEND_PATH);
		expect(send.method).toBe('POST');
		expect(send.body).toEqual({
			messageId: item.messageId,
			sender: 'sandbox_wa',
			phone: '35790000002',
			templateId: 5501,
			textVariables: ['Alex', 'A-1001'],
			headerVariables: ['A-1001'],
			buttonVariables: ['123', '77'],
		});
		expect(item).toEqual({
			messageId: expect.stringMatching(
				/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
			),
			idSource: 'execution',
			outcome: 'sent',
			channelType: 'WHATSAPP',
			subject: 'sandbox_wa',
			subjectId: 101,
			recipient: '35790000002',
			templateId: 5501,
			templateName: 'order_shipped',
			response: { messageId: item.messageId, outMessageId: 9001 },
		});
	});

	test('the same item in a re-run gets the same messageId; a trigger item’s eventKey drives it', async () => {
		const first = await run({}).result;
		const again = await run({}).result;
		expect(again[0].messageId).toBe(first[0].messageId);
		const fromTrigger = await run({}, { items: [{ json: { eventKey: 'incomingMessage:777' } }] })
			.result;
		expect(fromTrigger[0]).toMatchObject({ idSource: 'eventKey' });
		expect(fromTrigger[0].messageId).not.toBe(first[0].messageId);
		const custom = await run({ options: { sendId: 'my-id-1' } }).result;
		expect(custom[0]).toMatchObject({ messageId: 'my-id-1', idSource: 'custom' });
	});

	test('a missing variable is named before edna is called', async () => {
		const { fake, result } = run({
			variables: { mappingMode: 'defineBelow', value: { ...ORDER_SHIPPED_VALUES, body_2: ' ' } },
		});
		await expect(result).rejects.toThrow(
			'This variable has no value: Body {{2}} (e.g. A-1001).',
		);
		expect(fake.to(SEND_PATH)).toHaveLength(0);
	});

	test('a value for a variable the template lacks is refused (count check)', async () => {
		const { fake, result } = run({
			template: rl('plain_hello', 'name'),
			variables: { mappingMode: 'defineBelow', value: { body_1: 'stale' } },
		});
		await expect(result).rejects.toThrow('Template "plain_hello" has no body_1');
		expect(fake.to(SEND_PATH)).toHaveLength(0);
	});

	test('a template without variables needs no fields', async () => {
		const { fake, result } = run({
			template: rl('5506', 'id'),
			variables: { mappingMode: 'defineBelow', value: null },
		});
		await result;
		expect(fake.to(SEND_PATH)[0].body).toEqual({
			messageId: expect.any(String),
			sender: 'sandbox_wa',
			phone: '35790000002',
			templateId: 5506,
		});
	});

	test('Variables (JSON) fills the variables instead of the fields', async () => {
		const { fake, result } = run({
			variables: { mappingMode: 'defineBelow', value: null },
			options: {
				variablesJson: '{"body": ["Sam", "B-2"], "header": ["B-2"], "buttons": ["9", "10"]}',
			},
		});
		await result;
		expect(fake.to(SEND_PATH)[0].body).toMatchObject({
			textVariables: ['Sam', 'B-2'],
			headerVariables: ['B-2'],
			buttonVariables: ['9', '10'],
		});
	});

	test('Variables (JSON): an array is the body; too many values and bad JSON are refused', async () => {
		const variables = templateVariables(TEMPLATES[1]);
		expect(valuesFromJson(['a', 'b'], variables)).toEqual({ body_1: 'a', body_2: 'b' });
		expect(valuesFromJson(['a', 'b', 'c'], variables)).toEqual({
			body_1: 'a',
			body_2: 'b',
			body_extra_3: 'c',
		});
		expect(valuesFromJson('', variables)).toBeUndefined();
		expect(() => valuesFromJson('{nope', variables)).toThrow('Variables (JSON) is not valid JSON');
		expect(() => valuesFromJson('42', variables)).toThrow('must be an object or an array');
	});

	test('a media-header template needs the media URL; with it, the attachment is sent', async () => {
		const missing = run({
			template: rl(5503),
			variables: { mappingMode: 'defineBelow', value: { body_1: '20%' } },
		});
		await expect(missing.result).rejects.toThrow(
			'The template has an image header: set Header Media → URL',
		);
		expect(missing.fake.to(SEND_PATH)).toHaveLength(0);

		const { fake, result } = run({
			template: rl(5503),
			variables: { mappingMode: 'defineBelow', value: { body_1: '20%' } },
			mediaUrl: 'https://files.example.com/sale.png',
		});
		await result;
		expect(fake.to(SEND_PATH)[0].body).toMatchObject({
			attachment: { url: 'https://files.example.com/sale.png', name: 'sale.png' },
		});
	});

	test('a locked or pending template is refused with its state', async () => {
		await expect(run({ template: rl(5504, 'id') }).result).rejects.toThrow(
			'Template "otp_code · en · AUTHENTICATION" cannot be sent: it is locked',
		);
		await expect(run({ template: rl('welcome', 'name') }).result).rejects.toThrow(
			'it is PENDING, not APPROVED',
		);
	});

	test('a template that is not on the channel, or a name in two languages', async () => {
		await expect(run({ template: rl(4242, 'id') }).result).rejects.toThrow(
			'Channel sandbox_wa has no template with ID 4242',
		);
		await expect(run({ template: rl('order_shipped', 'name') }).result).rejects.toThrow(
			'Channel sandbox_wa has 2 templates named "order_shipped"',
		);
	});

	test('SMS channels have no template send', async () => {
		await expect(run({ channel: rl(103) }).result).rejects.toThrow(
			'Channel "sandbox_sms" is SMS: edna sends templates on WhatsApp and Viber only',
		);
	});

	test('Viber: its own endpoint, body variables only', async () => {
		const { fake, result } = run({
			channel: rl('sandbox_viber', 'name'),
			template: rl(601),
			variables: { mappingMode: 'defineBelow', value: { body_1: '20%' } },
			options: { comment: 'promo', sendDelayMinutes: 90 },
		});
		const [item] = await result;
		expect(fake.to('v1/out-messages/viber/template')[0].body).toEqual({
			messageId: item.messageId,
			sender: 'sandbox_viber',
			phone: '35790000002',
			templateId: 601,
			textVariables: ['20%'],
			options: { comment: 'promo', sendDelay: 'PT1H30M' },
		});
		expect(item).toMatchObject({ channelType: 'VIBER', subjectId: 102 });
	});

	test('send delay: ISO or minutes, not both, not garbage', async () => {
		const iso = run({ options: { sendDelay: 'pt10h15m47s' } });
		await iso.result;
		expect(iso.fake.to(SEND_PATH)[0].body?.options).toEqual({ sendDelay: 'PT10H15M47S' });
		await expect(
			run({ options: { sendDelay: 'PT1H', sendDelayMinutes: 5 } }).result,
		).rejects.toThrow('Both send delay options are set');
		await expect(run({ options: { sendDelay: 'soon' } }).result).rejects.toThrow(
			'Send Delay "soon" is neither',
		);
	});

	test('edna’s duplicate answer is the outcome alreadySent, not an error', async () => {
		const duplicate = (call: EdnaCall): Answer => ({
			status: 400,
			body: {
				title: 'messageId-is-not-unique',
				status: 400,
				detail: `Duplicate messageId ${call.body?.messageId}`,
			},
		});
		const [item] = await run({}, { send: duplicate }).result;
		expect(item).toMatchObject({
			outcome: 'alreadySent',
			response: { title: 'messageId-is-not-unique', status: 400 },
		});
	});

	test('the same when edna says it only in the detail (docs/edna-api.md §2.2)', async () => {
		const [item] = await run(
			{},
			{ send: () => ({ status: 400, body: { message: 'Duplicate messageId' } }) },
		).result;
		expect(item).toMatchObject({
			outcome: 'alreadySent',
			response: { status: 400, detail: 'Duplicate messageId' },
		});
	});

	test('a 5xx is not retried (messageId uniqueness is only inferred)', async () => {
		const { fake, result } = run(
			{},
			{
				send: () => ({ status: 500, body: { title: 'system-error', status: 500, detail: 'boom' } }),
			},
		);
		await expect(result).rejects.toMatchObject({
			message: 'edna Pulse: system-error: boom',
			description: expect.stringContaining('it was not sent again'),
		});
		expect(fake.to(SEND_PATH)).toHaveLength(1);
	});

	test('edna’s own refusal comes back with its hint', async () => {
		const { result } = run(
			{},
			{
				send: () => ({
					status: 400,
					body: {
						title: 'template-variables-mismatch',
						status: 400,
						detail: 'The template needs 2 textVariables',
					},
				}),
			},
		);
		await expect(result).rejects.toMatchObject({
			message: 'edna Pulse: template-variables-mismatch: The template needs 2 textVariables',
			description: expect.stringContaining('Fill in every variable'),
		});
	});

	test('templates are read once per run and channel', async () => {
		const { fake, result } = run({});
		await result;
		await execute.call(fake.context, 0, { eventKeysSeen: new Map() });
		expect(fake.to('message-matchers/get-by-request')).toHaveLength(1);
		expect(fake.to('channel-profile')).toHaveLength(1);
		expect(fake.to(SEND_PATH)).toHaveLength(2);
	});
});
