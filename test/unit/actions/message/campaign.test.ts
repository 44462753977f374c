import type { IDataObject } from 'n8n-workflow';

import {
	campaignComment,
	campaignPhone,
	channelProblems,
	countCampaignMessages,
	dailyLimit,
} from '../../../../nodes/EdnaPulse/actions/message/campaign';
import { sendIdFor } from '../../../../nodes/EdnaPulse/actions/message/sendId';
import { FakeEdna } from '../../../support/action/fakeEdna';
import { runNode, runNodeFailing } from '../../../support/action/run';
import { retryPolicy } from '../../../../nodes/EdnaPulse/transport';

const WA = { name: 'Shop', subject: 'sandbox_wa', subjectId: 101, type: 'WHATSAPP', active: true };

describe('the channel check', () => {
	test.each([
		['TIER_1K', 1000],
		['TIER_10K', 10000],
		['TIER_100K', 100000],
		['1000', 1000],
		['250', 250],
		['TIER_2.5K', 2500],
		['TIER_UNLIMITED', Infinity],
		['unknown', undefined],
		[null, undefined],
	])("edna's daily limit %p reads as %p", (limit, expected) => {
		expect(dailyLimit(limit)).toBe(expected);
	});

	test('an active, green channel within its limit may take the batch', () => {
		expect(channelProblems({ ...WA, limit: 'TIER_1K', qualityScore: 'GREEN', qualityStatus: 'CONNECTED' }, 1000)).toEqual([]);
	});

	test('more distinct recipients than the daily limit, low quality, or not active: each is named', () => {
		expect(channelProblems({ ...WA, limit: 'TIER_1K' }, 1001)).toEqual([
			'The batch has 1001 distinct recipients, more than channel "Shop"\'s daily limit of 1000 (TIER_1K)',
		]);
		expect(channelProblems({ ...WA, qualityScore: 'RED', qualityStatus: 'FLAGGED' }, 1)).toEqual([
			'Channel "Shop" has qualityScore RED',
			'Channel "Shop" has qualityStatus FLAGGED',
		]);
		expect(channelProblems({ ...WA, active: false }, 1)).toEqual(['Channel "Shop" is not active']);
	});

	test('values the node does not know are not held against the channel; the daily limit is WhatsApp\'s only', () => {
		expect(channelProblems({ ...WA, limit: 'whatever', qualityScore: 'PURPLE' }, 99999)).toEqual([]);
		expect(channelProblems({ ...WA, type: 'SMS', limit: '10' }, 500)).toEqual([]);
	});
});

describe('campaign IDs and marks', () => {
	const seed = { id: 'reminders-12-03', channel: 'sandbox_wa', what: 'template 301', recipient: '35790000001', occurrence: 0 };
	const base = { workflowId: 'wf', nodeName: 'edna Pulse', executionId: '1', itemIndex: 0 };

	test('the same campaign, channel, message, recipient and occurrence give the same ID in any workflow, node, execution or item', () => {
		const a = sendIdFor({ ...base, campaign: seed });
		const b = sendIdFor({ workflowId: 'copy', nodeName: 'Other', executionId: '99', itemIndex: 7, eventKey: 'x', campaign: seed });
		expect(a).toEqual({ id: b.id, source: 'campaign' });
	});

	test('any of them changed gives another ID; a Send ID given by hand still wins', () => {
		const ids = new Set(
			[
				seed,
				{ ...seed, id: 'reminders-12-04' },
				{ ...seed, channel: 'sandbox_viber' },
				{ ...seed, what: 'template 302' },
				{ ...seed, recipient: '35790000002' },
				{ ...seed, occurrence: 1 },
			].map((campaign) => sendIdFor({ ...base, campaign }).id),
		);
		expect(ids.size).toBe(6);
		expect(sendIdFor({ ...base, custom: 'mine', campaign: seed })).toEqual({ id: 'mine', source: 'custom' });
	});

	test("the comment ends with the campaign's mark", () => {
		expect(campaignComment(undefined, 'c1')).toBe('campaign:c1');
		expect(campaignComment('n8n', 'c1')).toBe('n8n campaign:c1');
	});

	test("history is counted per recipient, for this campaign's outgoing messages only, page by page", async () => {
		const pages: IDataObject[][] = [
			[
				{ address: '35790000001', comment: 'n8n campaign:c1', direction: 'OUT' },
				{ address: '+35790000001', comment: 'campaign:c1', direction: 'OUT' },
				{ address: '35790000002', comment: 'n8n campaign:c10', direction: 'OUT' },
			],
			[
				{ address: '35790000002', comment: 'n8n', direction: 'OUT' },
				{ address: '35790000003', comment: 'campaign:c1', direction: 'IN' },
				{ address: '35790000004', comment: 'promo campaign:c1', direction: 'OUT' },
			],
		];
		const asked: number[] = [];
		const counts = await countCampaignMessages(async (offset) => {
			asked.push(offset);
			const page = offset === 0 ? 0 : 1;
			return { hasNext: page === 0, content: pages[page] as never };
		}, 'c1');
		expect(asked).toEqual([0, 3]);
		expect([...counts]).toEqual([
			['35790000001', 2],
			['35790000004', 1],
		]);
	});

	test('a campaign phone has 7 to 15 digits', () => {
		expect(campaignPhone('+357 9000-0001')).toBe('35790000001');
		expect(() => campaignPhone('12345')).toThrow('has 5 digits');
		expect(() => campaignPhone('1234567890123456')).toThrow('has 16 digits');
		expect(() => campaignPhone('call me')).toThrow('is not a phone number');
	});
});

const template = (options: IDataObject = {}) => ({
	resource: 'message',
	operation: 'sendTemplate',
	channel: { __rl: true, mode: 'list', value: '101' },
	template: { __rl: true, mode: 'id', value: '301' },
	phone: '={{ $json.phone }}',
	variables: { mappingMode: 'defineBelow', value: { header_1: 'A-1', body_1: 'Alex', body_2: 'A-1' } },
	options: { campaignId: 'reminders', ...options },
});

/** A list of phones as items, each row's parameters with its phone filled in (the test context does not evaluate expressions). */
function campaignRun(phones: string[], options: IDataObject = {}, extra: Partial<Parameters<typeof runNode>[0]> = {}) {
	return {
		parameters: (i: number) => ({ ...template(options), phone: phones[i] }),
		items: phones.map((phone) => ({ json: { phone } })),
		typeVersion: 1.2,
		...extra,
	};
}

const sends = (edna: FakeEdna) => edna.requests.filter((r) => r.path.startsWith('v1/out-messages/'));

describe('a campaign (Send Template with a Campaign ID)', () => {
	beforeEach(() => {
		retryPolicy.delaysMs = [0, 0];
	});

	test('bad phones are refused before anything is sent; a repeated recipient gets its own ID; the summary shows on the output', async () => {
		const edna = new FakeEdna();
		const phones = ['35790000001', 'not a phone', '35790000002', '35790000001'];
		const { json, output, hints } = await runNode({ ...campaignRun(phones, { recipientSpacing: 0 }), edna, continueOnFail: true });
		expect(json.map((j) => j.outcome ?? j.error)).toEqual(['sent', 'The recipient phone "not a phone" is not a phone number', 'sent', 'sent']);
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(new Set(json.filter((j) => j.outcome).map((j) => j.messageId)).size).toBe(3);
		expect(json.filter((j) => j.outcome).every((j) => j.idSource === 'campaign')).toBe(true);
		expect(sends(edna).map((r) => r.body?.phone)).toEqual(['35790000001', '35790000002', '35790000001']);
		expect(edna.templateSends.every((b) => (b.options as IDataObject).comment === 'n8n campaign:reminders')).toBe(true);
		expect(hints).toEqual([
			{ message: 'edna Pulse campaign "reminders": 4 items: 3 sent, 0 already sent, 0 skipped, 1 refused, 0 failed (The recipient phone … is not a phone number ×1)', type: 'warning', location: 'outputPane' },
		]);
	});

	test.each([
		['a campaign', {}],
		['Parallel Sends without a campaign', { campaignId: '', concurrency: 2 }],
	])("%s reads each item's phone once: the checks before sending and the send share it", async (_, options) => {
		const edna = new FakeEdna();
		const phones = ['35790000001', '35790000002', '35790000001'];
		const reads = phones.map(() => 0);
		const parameters = (i: number) =>
			Object.defineProperty({ ...template({ recipientSpacing: 0, ...options }) }, 'phone', {
				enumerable: true,
				get: () => {
					reads[i]++;
					return phones[i];
				},
			});
		const { json } = await runNode({ parameters, items: phones.map((phone) => ({ json: { phone } })), typeVersion: 1.2, edna });
		expect(json.map((j) => [j.outcome, j.recipient])).toEqual(phones.map((phone) => ['sent', phone]));
		expect(reads).toEqual([1, 1, 1]);
	});

	test("a phone given as {{ $json.<field> }} is read from the item itself (no expression evaluated); anything else through n8n", async () => {
		const phones = ['35790000001', '+357 9000 0002'];
		const items = phones.map((phone) => ({ json: { phone, contact: { phone } } }));
		const direct = await runNode({
			parameters: template({ recipientSpacing: 0 }),
			saved: { phone: '={{ $json.phone }}' },
			items,
			typeVersion: 1.2,
		});
		expect(direct.json.map((j) => j.recipient)).toEqual(['35790000001', '35790000002']);
		// The test context does not evaluate expressions: through n8n, the saved text is the value.
		const nested = await runNodeFailing({ parameters: { ...template(), phone: '={{ $json.contact.phone }}' }, saved: { phone: '={{ $json.contact.phone }}' }, items, typeVersion: 1.2 });
		expect(nested.message).toBe('The recipient phone "={{ $json.contact.phone }}" is not a phone number');
	});

	test('without Continue On Fail a bad phone stops the node before anything reaches edna', async () => {
		const edna = new FakeEdna();
		const error = await runNodeFailing({ ...campaignRun(['35790000001', '123'], {}), edna });
		expect(error.message).toBe('The recipient phone "123" has 3 digits');
		expect(edna.requests).toEqual([]);
	});

	test("run again after a partial failure: edna's history shows what went out, only the rest is sent (edna reusing v1 messageIds or not)", async () => {
		const edna = new FakeEdna();
		edna.recordSendsInHistory = true;
		edna.v1MessageIdUnique = false;
		const phones = ['35790000001', '35790000002', '35790000003', '35790000001'];
		// item 0 goes out, item 1 meets a 500 (a v1 send is not repeated)
		const request = edna.request.bind(edna);
		let templateRequests = 0;
		edna.request = async (options) => {
			if (String(options.url).includes('/template') && ++templateRequests === 2) edna.fail('v1/out-messages/whatsapp/template', { status: 500 });
			return await request(options);
		};
		const first = await runNode({ ...campaignRun(phones, { recipientSpacing: 0 }), edna, continueOnFail: true, executionId: 'e1' });
		expect(first.json.map((j) => j.outcome ?? 'error')).toEqual(['sent', 'error', 'sent', 'sent']);
		expect(edna.templateSends).toHaveLength(3);

		const again = await runNode({ ...campaignRun(phones, { recipientSpacing: 0 }), edna, executionId: 'e2', workflowId: 'another' });
		expect(again.json.map((j) => j.outcome)).toEqual(['alreadySent', 'sent', 'alreadySent', 'alreadySent']);
		expect(again.json[0].response).toEqual({ checkedIn: 'history', campaignMessages: 2 });
		expect(edna.templateSends.map((b) => b.phone)).toEqual(['35790000001', '35790000003', '35790000001', '35790000002']);
		// one history read per run
		expect(edna.requests.filter((r) => r.path === 'messages/history')).toHaveLength(2);
	});

	test("a 429: the batch waits, the history is asked whether the message went out after all, and it is sent once", async () => {
		for (const afterAccept of [false, true]) {
			const edna = new FakeEdna();
			edna.recordSendsInHistory = true;
			edna.v1MessageIdUnique = false;
			edna.fail('v1/out-messages/whatsapp/template', { status: 429, title: 'too-many-requests', headers: { 'retry-after': '0' }, afterAccept });
			const { json } = await runNode({ ...campaignRun(['35790000001', '35790000002']), edna });
			expect(json.map((j) => j.outcome)).toEqual([afterAccept ? 'alreadySent' : 'sent', 'sent']);
			expect(edna.templateSends.map((b) => b.phone)).toEqual(['35790000001', '35790000002']);
		}
	});

	test('Parallel Sends: that many in flight, the output in input order', async () => {
		const edna = new FakeEdna();
		edna.delayMs = 15;
		const phones = Array.from({ length: 12 }, (_, i) => `3579000${String(i).padStart(4, '0')}`);
		const { json } = await runNode({ ...campaignRun(phones, { concurrency: 4 }), edna });
		expect(json.map((j) => j.recipient)).toEqual(phones);
		expect(edna.peakInFlight).toBe(4);
	});

	test("the channel check: more distinct recipients than the daily limit stops the batch before any send, or warns and sends", async () => {
		const phones = Array.from({ length: 1001 }, (_, i) => `3579${String(i).padStart(7, '0')}`);
		const edna = new FakeEdna();
		const error = await runNodeFailing({ ...campaignRun(phones), edna });
		expect(error.message).toBe('Nothing was sent: The batch has 1001 distinct recipients, more than channel "Sandbox WhatsApp"\'s daily limit of 1000 (TIER_1K)');
		expect(sends(edna)).toEqual([]);
		const asItem = await runNode({ ...campaignRun(phones), edna, continueOnFail: true });
		expect(asItem.json).toEqual([{ error: error.message, description: expect.stringContaining("Channel Check to 'Warn and Send'") }]);
		expect(sends(edna)).toEqual([]);

		const warned = await runNode({ ...campaignRun(phones.slice(0, 3), { channelCheck: 'warn' }), edna });
		expect(warned.hints.map((h) => h.type)).toEqual(['info']);
		const many = await runNode({ ...campaignRun(phones, { channelCheck: 'warn', concurrency: 20 }), edna: new FakeEdna() });
		expect(many.hints[0]).toMatchObject({ type: 'warning', message: expect.stringContaining('Sent despite the channel check: The batch has 1001') });
		expect(many.json.filter((j) => j.outcome === 'sent')).toHaveLength(1001);
	});
});

describe('Send (through a cascade) as a campaign', () => {
	test("edna refuses a requestId twice, so a re-run is answered alreadySent without any history read", async () => {
		const edna = new FakeEdna();
		const parameters = (i: number) => ({
			resource: 'message',
			operation: 'send',
			phone: ['35790000001', '35790000002'][i],
			cascadeChoice: 'automatic',
			channel: { __rl: true, mode: 'list', value: '101' },
			contentType: 'text',
			text: 'Your parcel arrives today',
			options: { campaignId: 'parcels' },
		});
		const items = [{ json: {} }, { json: {} }];
		const first = await runNode({ parameters, items, edna, executionId: 'a', typeVersion: 1.2 });
		const again = await runNode({ parameters, items, edna, executionId: 'b', typeVersion: 1.2 });
		expect(first.json.map((j) => j.outcome)).toEqual(['sent', 'sent']);
		expect(again.json.map((j) => j.outcome)).toEqual(['alreadySent', 'alreadySent']);
		expect(again.json.map((j) => j.requestId)).toEqual(first.json.map((j) => j.requestId));
		expect(edna.accepted).toHaveLength(2);
		expect(edna.requests.filter((r) => r.path === 'messages/history')).toEqual([]);
	});
});

describe('node version 1.2 spaces one recipient\'s messages', () => {
	test('two items to one phone: the second starts the spacing after the first; version 1.1 sends them back to back', async () => {
		const parameters = (spacing?: number) => (i: number) => ({
			...template(spacing === undefined ? {} : { recipientSpacing: spacing }),
			options: spacing === undefined ? {} : { recipientSpacing: spacing },
			phone: '35790000001',
			variables: { mappingMode: 'defineBelow', value: { header_1: 'A-1', body_1: 'Alex', body_2: String(i) } },
		});
		const edna = new FakeEdna();
		const times: number[] = [];
		const request = edna.request.bind(edna);
		edna.request = async (options) => {
			if (String(options.url).includes('/template')) times.push(Date.now());
			return await request(options);
		};
		const items = [{ json: {} }, { json: {} }];
		await runNode({ parameters: parameters(0.3), items, edna, typeVersion: 1.2 });
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(299);
		times.length = 0;
		await runNode({ parameters: parameters(), items, edna, typeVersion: 1.1 });
		expect(times[1] - times[0]).toBeLessThan(300);
	});
});
