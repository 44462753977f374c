import {
	attachmentProblem,
	buildSendTemplateBody,
	minutesToDuration,
	normaliseSendDelay,
	sendTemplatePath,
	templateChannelType,
} from '../../../../nodes/EdnaPulse/actions/message/sendTemplate.body';

const none = { textVariables: [], headerVariables: [], buttonVariables: [] };

describe('send template: endpoint', () => {
	test('WhatsApp and Viber have one each; other channels none', () => {
		expect(templateChannelType('whatsapp')).toBe('WHATSAPP');
		expect(templateChannelType('VIBER')).toBe('VIBER');
		expect(templateChannelType('SMS')).toBeUndefined();
		expect(templateChannelType(undefined)).toBeUndefined();
		expect(sendTemplatePath('WHATSAPP')).toBe('v1/out-messages/whatsapp/template');
		expect(sendTemplatePath('VIBER')).toBe('v1/out-messages/viber/template');
	});
});

describe('send template: body', () => {
	test("edna's full WhatsApp example (docs/edna-api.md §2.2)", () => {
		expect(
			buildSendTemplateBody({
				channelType: 'WHATSAPP',
				messageId: '01987f4a-069e-730e-bf59-cedc1e63349',
				sender: 'RETAIL_WA',
				phone: '35700000000',
				templateId: 98,
				variables: {
					textVariables: ['Alex', '10.05', 'Happy Birthday'],
					buttonVariables: ['3FgSD', 'KNsr6'],
					headerVariables: ['Good Morning'],
				},
				attachment: { url: 'https://tourism.gov.in/sites.pdf', name: 'offer' },
				comment: '2025-08-15T12:12:16.984Z',
				sendDelay: 'PT10H15M47S',
			}),
		).toEqual({
			messageId: '01987f4a-069e-730e-bf59-cedc1e63349',
			sender: 'RETAIL_WA',
			phone: '35700000000',
			templateId: 98,
			textVariables: ['Alex', '10.05', 'Happy Birthday'],
			buttonVariables: ['3FgSD', 'KNsr6'],
			headerVariables: ['Good Morning'],
			attachment: { url: 'https://tourism.gov.in/sites.pdf', name: 'offer' },
			options: { comment: '2025-08-15T12:12:16.984Z', sendDelay: 'PT10H15M47S' },
		});
	});

	test('a template without variables or options: only the four fields', () => {
		expect(
			buildSendTemplateBody({
				channelType: 'WHATSAPP',
				messageId: 'm-1',
				sender: 'sandbox_wa',
				phone: '35790000002',
				templateId: 81,
				variables: none,
				comment: '',
			}),
		).toEqual({ messageId: 'm-1', sender: 'sandbox_wa', phone: '35790000002', templateId: 81 });
	});

	test('Viber: body variables and options only', () => {
		expect(
			buildSendTemplateBody({
				channelType: 'VIBER',
				messageId: 'm-2',
				sender: 'RETAIL_VIBER',
				phone: '79090000000',
				templateId: 32,
				variables: { textVariables: ['Alex'], headerVariables: ['x'], buttonVariables: ['y'] },
				attachment: { url: 'https://files.example.com/a.png', name: 'a.png' },
				comment: 'promotion',
			}),
		).toEqual({
			messageId: 'm-2',
			sender: 'RETAIL_VIBER',
			phone: '79090000000',
			templateId: 32,
			textVariables: ['Alex'],
			options: { comment: 'promotion' },
		});
	});
});

describe('send template: media header', () => {
	test('required when the template has one', () => {
		expect(attachmentProblem('WHATSAPP', 'IMAGE', undefined)).toBe(
			'The template has an image header: set Header Media → URL (edna takes media by URL, it cannot take a file from n8n).',
		);
		expect(attachmentProblem('WHATSAPP', 'DOCUMENT', { url: ' ' })).toMatch(/document header/);
		expect(
			attachmentProblem('WHATSAPP', 'VIDEO', { url: 'https://files.example.com/v.mp4', name: 'v' }),
		).toBeUndefined();
	});

	test('refused where edna takes none, or when it is not a URL', () => {
		expect(attachmentProblem('WHATSAPP', null, { url: 'https://files.example.com/a.png' })).toBe(
			'The template has no media header; remove Header Media.',
		);
		expect(attachmentProblem('VIBER', null, { url: 'https://files.example.com/a.png' })).toMatch(
			/Viber/,
		);
		expect(attachmentProblem('WHATSAPP', 'IMAGE', { url: 'file:///tmp/a.png' })).toMatch(
			/http\(s\) URL/,
		);
		expect(attachmentProblem('WHATSAPP', null, undefined)).toBeUndefined();
	});
});

describe('send template: send delay', () => {
	test('ISO-8601 durations pass, upper-cased', () => {
		expect(normaliseSendDelay('PT10H15M47S')).toBe('PT10H15M47S');
		expect(normaliseSendDelay('pt1h3m4s')).toBe('PT1H3M4S');
		expect(normaliseSendDelay('P1DT2H')).toBe('P1DT2H');
		expect(normaliseSendDelay('PT0.5S')).toBe('PT0.5S');
	});

	test('minutes, as a number or text, become PT…', () => {
		expect(normaliseSendDelay(90)).toBe('PT1H30M');
		expect(normaliseSendDelay('15')).toBe('PT15M');
		expect(minutesToDuration(1500)).toBe('PT25H');
		expect(minutesToDuration(0.5)).toBe('PT30S');
		expect(minutesToDuration(61.25)).toBe('PT1H1M15S');
	});

	test('nothing means no delay', () => {
		expect(normaliseSendDelay('')).toBeUndefined();
		expect(normaliseSendDelay(undefined)).toBeUndefined();
		expect(normaliseSendDelay(0)).toBeUndefined();
		expect(normaliseSendDelay('  ')).toBeUndefined();
	});

	test('anything else is an error naming the value', () => {
		for (const bad of ['P', 'PT', '10 minutes', 'PT1H30', '1h', '-5']) {
			const result = normaliseSendDelay(bad);
			expect(result).toBeInstanceOf(Error);
		}
		expect((normaliseSendDelay('1h') as Error).message).toBe(
			'Send Delay "1h" is neither an ISO-8601 duration (e.g. PT1H30M) nor a number of minutes.',
		);
		expect(minutesToDuration(-1)).toBeInstanceOf(Error);
		expect(minutesToDuration(Number.NaN)).toBeInstanceOf(Error);
	});
});
