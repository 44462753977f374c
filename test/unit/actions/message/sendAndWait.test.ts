import { WAIT_INDEFINITELY, type INodeExecutionData, type IWebhookFunctions } from 'n8n-workflow';

import {
	answerOf,
	approvalText,
	choicesOf,
	decisionOf,
	isLinkPreview,
	page,
	waitTill,
} from '../../../../nodes/EdnaPulse/actions/message/approval';
import { sendAndWaitWebhook } from '../../../../nodes/EdnaPulse/actions/message/sendAndWait.webhook';
import { executeContext, type ContextOptions } from '../../../support/action/context';
import { FakeEdna } from '../../../support/action/fakeEdna';
import { node } from '../../../support/action/run';

const RESUME = 'https://n8n.example.com/webhook-waiting/exec-1/node-1';
const BROWSER = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

const approval = (extra: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'sendAndWait',
	phone: '+357 9000 0301',
	cascadeChoice: 'automatic',
	channel: { __rl: true, mode: 'id', value: '101' },
	message: 'Refund 120 EUR to order A-77?',
	responseType: 'approval',
	approvalOptions: {},
	options: {},
	...extra,
});

/** Runs execute() with n8n's waiting helpers: the signed resume URL and putExecutionToWait, recorded. */
async function runSendAndWait(options: ContextOptions) {
	const ctx = executeContext(options);
	const waits: Date[] = [];
	const signatureRequired: boolean[] = [];
	Object.assign(ctx, {
		// n8n 1.x only: without it, 1.x takes a resume URL whatever its signature.
		setSignatureValidationRequired: () => signatureRequired.push(true),
		getSignedResumeUrl: (parameters: Record<string, string>) => `${RESUME}?${new URLSearchParams(parameters)}&signature=abc`,
		putExecutionToWait: async (until: Date) => {
			waits.push(until);
		},
	});
	const output = (await node.execute.call(ctx)) as INodeExecutionData[][];
	return { output, waits, edna: ctx.edna, signatureRequired };
}

async function failing(options: ContextOptions) {
	try {
		await runSendAndWait(options);
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected the run to fail');
}

describe('Message → Send and Wait for Response: the message', () => {
	test('the text, then one line per link: Approve and Decline by default', () => {
		expect(
			approvalText('Refund 120 EUR?', [
				{ label: 'Approve', url: 'https://n/a' },
				{ label: 'Decline', url: 'https://n/d' },
			]),
		).toBe('Refund 120 EUR?\n\nApprove: https://n/a\nDecline: https://n/d');
	});

	test('an empty message is refused before anything is sent', () => {
		expect(() => approvalText('  ', [])).toThrow('The message is empty');
	});

	test('approval options: both links by default, labels as given, "Approve Only" drops Decline', () => {
		expect(choicesOf(undefined)).toEqual({ approvalType: 'double', approveLabel: 'Approve', declineLabel: 'Decline' });
		expect(choicesOf({ approvalType: 'single', approveLabel: ' Yes ' })).toEqual({ approvalType: 'single', approveLabel: 'Yes', declineLabel: 'Decline' });
		expect(choicesOf({ disapproveLabel: 'No' }).declineLabel).toBe('No');
	});

	test('Limit Wait Time: none waits indefinitely; an interval counts from now; a date is taken as it is; nonsense is refused', () => {
		const now = new Date('2026-07-01T10:00:00Z');
		expect(waitTill(undefined, now)).toBe(WAIT_INDEFINITELY);
		expect(waitTill({ values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } }, now).toISOString()).toBe('2026-07-01T10:45:00.000Z');
		expect(waitTill({ values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'days' } }, now).toISOString()).toBe('2026-07-03T10:00:00.000Z');
		expect(waitTill({ values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2026-07-01T18:00:00Z' } }, now).toISOString()).toBe('2026-07-01T18:00:00.000Z');
		expect(() => waitTill({ values: { limitType: 'atSpecifiedTime', maxDateAndTime: 'tomorrow-ish' } }, now)).toThrow('is not a date and time');
		expect(() => waitTill({ values: { limitType: 'afterTimeInterval', resumeAmount: -1, resumeUnit: 'hours' } }, now)).toThrow('is not a time span');
		expect(() => waitTill({ values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'weeks' } }, now)).toThrow('is not a time span');
	});

	test('a page escapes what it shows', () => {
		const html = page('<b>x</b>', 'a & "b"');
		expect(html).toContain('<h1>&lt;b&gt;x&lt;/b&gt;</h1>');
		expect(html).toContain('<p>a &amp; &quot;b&quot;</p>');
	});
});

describe('Message → Send and Wait for Response: the run', () => {
	test('one message through the channel’s cascade, with the message and both signed links; the execution waits indefinitely', async () => {
		const { output, waits, edna, signatureRequired } = await runSendAndWait({ parameters: approval(), items: [{ json: { order: 'A-77' } }] });
		expect(signatureRequired.length).toBeGreaterThan(0);
		expect(edna.accepted).toHaveLength(1);
		const [sent] = edna.accepted;
		expect(sent).toMatchObject({ cascadeId: 201, subscriberFilter: { address: '35790000301', type: 'PHONE' } });
		expect((sent.content as { whatsappContent: { text: string } }).whatsappContent.text).toBe(
			`Refund 120 EUR to order A-77?\n\nApprove: ${RESUME}?approved=true&signature=abc\nDecline: ${RESUME}?approved=false&signature=abc`,
		);
		expect(waits).toEqual([WAIT_INDEFINITELY]);
		expect(output).toEqual([[{ json: { order: 'A-77' } }]]);
	});

	test('Approve Only with its own label; a time limit; a cascade with an SMS stage gets the same text', async () => {
		const before = Date.now();
		const { waits, edna } = await runSendAndWait({
			parameters: approval({
				cascadeChoice: 'cascade',
				cascade: { __rl: true, mode: 'id', value: '204' },
				approvalOptions: { values: { approvalType: 'single', approveLabel: 'Yes, refund' } },
				options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 30, resumeUnit: 'minutes' } } },
			}),
		});
		const content = edna.accepted[0].content as Record<string, { text: string }>;
		expect(content.whatsappContent.text).toBe(`Refund 120 EUR to order A-77?\n\nYes, refund: ${RESUME}?approved=true&signature=abc`);
		expect(content.smsContent.text).toBe(content.whatsappContent.text);
		expect(waits[0].getTime()).toBeGreaterThanOrEqual(before + 30 * 60_000);
		expect(waits[0].getTime()).toBeLessThan(Date.now() + 30 * 60_000 + 1);
	});

	test('Free Text: one link labelled as set', async () => {
		const { edna } = await runSendAndWait({ parameters: approval({ responseType: 'freeText', options: { messageButtonLabel: 'Answer here' } }) });
		expect((edna.accepted[0].content as { whatsappContent: { text: string } }).whatsappContent.text).toBe(
			`Refund 120 EUR to order A-77?\n\nAnswer here: ${RESUME}?approved=true&signature=abc`,
		);
	});

	test('several items: one message, one wait', async () => {
		const { edna, waits } = await runSendAndWait({ parameters: approval(), items: [{ json: { a: 1 } }, { json: { a: 2 } }] });
		expect(edna.accepted).toHaveLength(1);
		expect(waits).toHaveLength(1);
	});

	test('the node tried again in the same execution: edna refuses the ID, no second message, and it waits (its links are this execution’s)', async () => {
		const edna = new FakeEdna();
		await runSendAndWait({ parameters: approval(), edna });
		const again = await runSendAndWait({ parameters: approval(), edna });
		expect(edna.accepted).toHaveLength(1);
		expect(again.waits).toHaveLength(1);
	});

	test('the same edna event in a second execution: no second message, and the run stops saying why instead of waiting for links it does not own', async () => {
		const edna = new FakeEdna();
		const items = [{ json: { eventType: 'incomingMessage', eventKey: 'incomingMessage:345:101' } }];
		await runSendAndWait({ parameters: approval(), edna, items, executionId: 'exec-1' });
		const error = await failing({ parameters: approval(), edna, items, executionId: 'exec-2' });
		expect(error.message).toMatch(/^This approval request went out before \(Send ID [0-9a-f-]{36}\)$/);
		expect(error.description).toMatch(/Its links answer that execution; this one does not wait and the approver is not asked twice/);
		expect(edna.accepted).toHaveLength(1);
	});

	test('a new execution without an event asks again (its own links)', async () => {
		const edna = new FakeEdna();
		await runSendAndWait({ parameters: approval(), edna, executionId: 'exec-1' });
		await runSendAndWait({ parameters: approval(), edna, executionId: 'exec-2' });
		expect(edna.accepted).toHaveLength(2);
	});

	test.each([
		['an empty message', { message: '' }, 'The message is empty'],
		['a phone that is not one', { phone: 'boss' }, 'is not a phone number'],
		['a wait limit that is no date', { options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: 'soon' } } } }, 'is not a date and time'],
	])('%s: refused, nothing sent, no wait', async (_name, extra, message) => {
		const edna = new FakeEdna();
		const error = await failing({ parameters: approval(extra), edna });
		expect(error.message).toContain(message);
		expect(edna.accepted).toHaveLength(0);
	});

	test('continue on fail: one error item, no wait', async () => {
		const { output, waits } = await runSendAndWait({ parameters: approval({ message: '' }), continueOnFail: true });
		expect(output[0]).toEqual([{ json: expect.objectContaining({ error: 'The message is empty' }), pairedItem: { item: 0 } }]);
		expect(waits).toHaveLength(0);
	});
});

interface Request {
	method?: string;
	userAgent?: string | null;
	query?: Record<string, unknown>;
	body?: unknown;
	parameters?: Record<string, unknown>;
}

/** Calls the webhook as n8n does for a request that passed its signature check. */
async function open(request: Request) {
	const sent = { status: 0, headers: {} as Record<string, string>, body: '' };
	const res = {
		status(code: number) {
			sent.status = code;
			return res;
		},
		setHeader(name: string, value: string) {
			sent.headers[name.toLowerCase()] = value;
			return res;
		},
		send(body: string) {
			sent.body = body;
			return res;
		},
	};
	const userAgent = request.userAgent === undefined ? BROWSER : request.userAgent;
	const parameters = { responseType: 'approval', message: 'Refund 120 EUR?', options: {}, ...request.parameters };
	const context = {
		getRequestObject: () => ({ method: request.method ?? 'GET', headers: userAgent === null ? {} : { 'user-agent': userAgent } }),
		getResponseObject: () => res,
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name as keyof typeof parameters] : fallback),
		getQueryData: () => request.query ?? {},
		getBodyData: () => request.body ?? {},
	} as unknown as IWebhookFunctions;
	const result = await sendAndWaitWebhook.call(context);
	return { result, sent };
}

describe('Message → Send and Wait for Response: the links', () => {
	test('Approve: a page saying so, and the execution goes on with data.approved true and when', async () => {
		const { result, sent } = await open({ query: { approved: 'true', signature: 'abc' } });
		expect(sent.status).toBe(200);
		expect(sent.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(sent.headers['cache-control']).toBe('no-store');
		expect(sent.body).toContain('Approved — you can close this page.');
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData).toEqual([[{ json: { data: { approved: true, respondedAt: expect.any(String) } } }]]);
		const respondedAt = (result.workflowData?.[0][0].json.data as { respondedAt: string }).respondedAt;
		expect(Math.abs(Date.parse(respondedAt) - Date.now())).toBeLessThan(5000);
	});

	test('Decline: a page saying so, and data.approved false', async () => {
		const { result, sent } = await open({ query: { approved: 'false', signature: 'abc' } });
		expect(sent.body).toContain('Declined — you can close this page.');
		expect(result.workflowData?.[0][0].json).toEqual({ data: { approved: false, respondedAt: expect.any(String) } });
	});

	test.each([
		['no decision in the query', {}],
		['a decision the node never signs', { approved: 'yes' }],
		['the decision twice', { approved: ['true', 'false'] }],
	])('%s: 400, a page saying nothing was recorded, the execution keeps waiting', async (_name, query) => {
		const { result, sent } = await open({ query });
		expect(sent.status).toBe(400);
		expect(sent.body).toContain('Nothing was recorded');
		expect(result).toEqual({ noWebhookResponse: true });
	});

	test.each([
		['no User-Agent', null],
		["WhatsApp's link preview", 'WhatsApp/2.23.20.0 A'],
		["iMessage's and Facebook's preview", 'facebookexternalhit/1.1 Facebot Twitterbot/1.0'],
		["Telegram's preview", 'TelegramBot (like TwitterBot)'],
		['a search engine', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
		['Microsoft Teams', 'Mozilla/5.0 (Windows NT 10.0) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com'],
	])('%s opening the Approve link records nothing', async (_name, userAgent) => {
		expect(isLinkPreview(userAgent)).toBe(true);
		const { result, sent } = await open({ userAgent, query: { approved: 'true' } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(sent.body).toContain('Open this link in your browser to answer.');
	});

	test('browsers on phones and computers count as people', () => {
		expect(isLinkPreview(BROWSER)).toBe(false);
		expect(isLinkPreview('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe(false);
		expect(isLinkPreview('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(false);
		expect(isLinkPreview('node')).toBe(false);
	});

	test('Free Text: GET shows the form (the message, a text box), records nothing; POST records the text', async () => {
		const parameters = { responseType: 'freeText', options: { responseFormTitle: 'Refund <A-77>' } };
		const form = await open({ parameters });
		expect(form.result).toEqual({ noWebhookResponse: true });
		expect(form.sent.body).toContain('<h1>Refund &lt;A-77&gt;</h1>');
		expect(form.sent.body).toContain('<p>Refund 120 EUR?</p>');
		expect(form.sent.body).toContain('<form method="post"><textarea name="response"');
		const posted = await open({ parameters, method: 'POST', body: { response: '  Only 100 EUR  ' } });
		expect(posted.sent.body).toContain('your answer was sent');
		expect(posted.result.workflowData?.[0][0].json).toEqual({ data: { text: 'Only 100 EUR', respondedAt: expect.any(String) } });
	});

	test('Free Text: an empty answer is refused with 400 and nothing recorded', async () => {
		expect(answerOf({ response: '   ' })).toBeUndefined();
		const { result, sent } = await open({ parameters: { responseType: 'freeText' }, method: 'POST', body: { response: ' ' } });
		expect(sent.status).toBe(400);
		expect(result).toEqual({ noWebhookResponse: true });
	});

	test('decisionOf reads only the two signed values', () => {
		expect(decisionOf({ approved: 'true' })).toBe(true);
		expect(decisionOf({ approved: 'false' })).toBe(false);
		expect(decisionOf({ approved: 'TRUE' })).toBeUndefined();
		expect(decisionOf(undefined)).toBeUndefined();
	});
});

describe('Message → Send and Wait for Response: the description', () => {
	test('what n8n looks for to offer the node as an AI agent’s human review step', () => {
		const { description } = node;
		expect(description.name.endsWith('Tool')).toBe(false);
		expect(description.webhooks).toEqual([
			expect.objectContaining({ httpMethod: 'GET', path: '={{ $nodeId }}', restartWebhook: true, isFullPath: true }),
			expect.objectContaining({ httpMethod: 'POST', path: '={{ $nodeId }}', restartWebhook: true, isFullPath: true }),
		]);
		const operation = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'message');
		expect((operation?.options as Array<{ value: string }>).map((o) => o.value)).toContain('sendAndWait');
		const names = description.properties.filter((p) => p.displayOptions?.show?.operation?.includes('sendAndWait')).map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['phone', 'channel', 'cascade', 'message', 'responseType', 'approvalOptions', 'options']));
	});
});
