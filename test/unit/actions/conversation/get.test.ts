import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { DEFAULTS, MAX_ENTRIES } from '../../../../nodes/EdnaPulse/actions/conversation/get.operation';
import { FakeEdna } from '../../../support/action/fakeEdna';
import { node, runNode, runNodeFailing } from '../../../support/action/run';
import { receivedItem } from '../../../support/action/received';

const HOUR = 3_600_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const entry = (messageId: number, direction: 'IN' | 'OUT', text: string, minutesAgo: number, address = '35790000001'): IDataObject => ({
	messageId,
	direction,
	subjectId: 101,
	address,
	channelType: 'WHATSAPP',
	content: direction === 'OUT' ? JSON.stringify({ type: 'TEXT', text }) : { type: 'TEXT', text },
	createdAt: ago(minutesAgo),
});

const conversation = (more: IDataObject = {}) => ({
	resource: 'conversation',
	operation: 'get',
	channel: { __rl: true, mode: 'id', value: '101' },
	phone: '+357 9000 0001',
	...more,
});

/** A Message Received item of the trigger (simplified output). */
const received = (id: number, text: string, identifier = '35790000001'): IDataObject => receivedItem(id, { text, identifier, receivedAt: ago(0) });

function withHistory(...entries: IDataObject[]): FakeEdna {
	const edna = new FakeEdna();
	edna.history = entries;
	return edna;
}

describe('Conversation → Get', () => {
	test("asks edna's history for the channel and the customer since Hours Back, and answers one item", async () => {
		const edna = withHistory(entry(7, 'OUT', 'Your order has shipped', 90), entry(5001, 'IN', 'hi', 3), entry(5002, 'IN', 'where is it?', 2));
		const before = Date.now();
		const { json } = await runNode({ parameters: conversation(), edna });
		expect(edna.requests).toHaveLength(1);
		const body = edna.requests[0].body as IDataObject;
		expect(edna.requests[0].path).toBe('messages/history');
		expect(body).toMatchObject({ subjectId: 101, subscriberFilter: { address: '35790000001', type: 'PHONE' }, offset: 0, limit: 1000 });
		expect(body.sort).toBeUndefined();
		const from = Date.parse(body.dateFrom as string);
		expect(from).toBeGreaterThanOrEqual(before - 72 * HOUR - 1000);
		expect(from).toBeLessThanOrEqual(Date.now() - 72 * HOUR + 1000);
		expect(json).toEqual([
			expect.objectContaining({
				sessionId: '101:35790000001',
				subjectId: 101,
				phone: '35790000001',
				transcript: 'You: Your order has shipped\nCustomer: hi\nCustomer: where is it?',
				unanswered: 'hi\nwhere is it?',
				unansweredCount: 2,
				isNewest: null,
				incomingMessageId: null,
				window: expect.objectContaining({ open: true }),
			}),
		]);
		expect((json[0].turns as IDataObject[]).map((t) => t.role)).toEqual(['assistant', 'user', 'user']);
	});

	test('a short Hours Back still reads a day, so the window and the unanswered messages are right', async () => {
		const edna = withHistory(entry(5001, 'IN', 'hi', 20 * 60), entry(7, 'OUT', 'hello', 30));
		const { json } = await runNode({ parameters: conversation({ options: { hoursBack: 1 } }), edna });
		expect(Date.parse(edna.requests[0].body?.dateFrom as string)).toBeLessThanOrEqual(Date.now() - 24 * HOUR + 1000);
		expect((json[0].turns as IDataObject[]).map((t) => t.text)).toEqual(['hello']);
		expect(json[0].window).toMatchObject({ open: true, lastIncomingAt: expect.any(String) });
	});

	test('pages with offset and limit until hasNext is false; Max Messages keeps the newest', async () => {
		const many = Array.from({ length: 2500 }, (_, i) => entry(10_000 + i, 'IN', `m${i}`, 2500 - i));
		const edna = withHistory(...many);
		const { json } = await runNode({ parameters: conversation({ options: { maxMessages: 3, hoursBack: 100 } }), edna });
		expect(edna.requests.map((r) => [r.body?.offset, r.body?.limit])).toEqual([[0, 1000], [1000, 1000], [2000, 1000]]);
		expect((json[0].turns as IDataObject[]).map((t) => t.text)).toEqual(['m2497', 'm2498', 'm2499']);
		expect(json[0].unansweredCount).toBe(2500);
	});

	test(`stops after ${MAX_ENTRIES} entries however many edna has`, async () => {
		const many = Array.from({ length: MAX_ENTRIES + 5 }, (_, i) => entry(i + 1, 'OUT', 'x', 1));
		const edna = withHistory(...many);
		await runNode({ parameters: conversation(), edna });
		expect(edna.requests).toHaveLength(MAX_ENTRIES / 1000);
	});

	test("after the trigger: the item's message is checked as the newest, true until the customer writes again", async () => {
		const edna = withHistory(entry(5001, 'IN', 'hi', 1));
		const first = await runNode({ parameters: conversation(), items: [{ json: received(5001, 'hi') }], edna });
		expect(first.json[0]).toMatchObject({ isNewest: true, incomingMessageId: '5001', unansweredCount: 1 });
		edna.history.push(entry(5002, 'IN', 'are you there?', 0));
		const second = await runNode({ parameters: conversation(), items: [{ json: received(5001, 'hi') }], edna });
		expect(second.json[0]).toMatchObject({ isNewest: false, unanswered: 'hi\nare you there?' });
	});

	test('after the trigger, Reply can follow: the item names the customer (senderId) and carries the event (eventKey)', async () => {
		const edna = withHistory(entry(5001, 'IN', 'hi', 1));
		const { json } = await runNode({ parameters: conversation(), items: [{ json: received(5001, 'hi') }], edna });
		expect(json[0]).toMatchObject({ senderId: '35790000001', subjectId: 101, eventKey: 'incomingMessage:101:5001' });
		const reply = await runNode({ parameters: { resource: 'message', operation: 'reply', text: 'Hello!', options: {} }, items: [{ json: json[0] }], edna });
		expect(reply.json[0]).toMatchObject({ outcome: 'sent', idSource: 'eventKey', recipient: '35790000001', subjectId: 101 });
		const direct = await runNode({ parameters: { resource: 'message', operation: 'reply', text: 'Hello!', options: {} }, items: [{ json: received(5001, 'hi') }], edna });
		expect(direct.json[0]).toMatchObject({ outcome: 'alreadySent', requestId: reply.json[0].requestId });
		const alone = await runNode({ parameters: conversation(), edna });
		expect(alone.json[0].eventKey).toBeNull();
	});

	test("the item's message counts even before edna's history shows it", async () => {
		const edna = withHistory(entry(7, 'OUT', 'hello', 10));
		const { json } = await runNode({ parameters: conversation(), items: [{ json: received(5003, 'quick question') }], edna });
		expect(json[0]).toMatchObject({ isNewest: true, unanswered: 'quick question', unansweredCount: 1 });
	});

	test("an item of another customer is not taken as this conversation's message; the option overrides the item", async () => {
		const edna = withHistory(entry(5001, 'IN', 'hi', 2), entry(5002, 'IN', 'again', 1));
		const other = await runNode({ parameters: conversation(), items: [{ json: received(9001, 'x', '35790000999') }], edna });
		expect(other.json[0]).toMatchObject({ isNewest: null, unansweredCount: 2 });
		const given = await runNode({ parameters: conversation({ options: { incomingMessageId: '5001' } }), items: [{ json: received(5002, 'again') }], edna });
		expect(given.json[0]).toMatchObject({ isNewest: false, incomingMessageId: '5001' });
		const off = await runNode({ parameters: conversation({ options: { incomingMessageId: '' } }), items: [{ json: received(5002, 'again') }], edna });
		expect(off.json[0].isNewest).toBeNull();
	});

	test('a channel by name is looked up; by ID it is used as it is', async () => {
		const byName = await runNode({ parameters: conversation({ channel: { __rl: true, mode: 'name', value: 'sandbox_wa' } }) });
		expect(byName.edna.requests.map((r) => r.path)).toEqual(['channel-profile', 'messages/history']);
		expect(byName.json[0].sessionId).toBe('101:35790000001');
		const byId = await runNode({ parameters: conversation({ channel: '101' }) });
		expect(byId.edna.requests.map((r) => r.path)).toEqual(['messages/history']);
	});

	test('no channel, no phone or a WhatsApp user ID: an error saying what to fill, before edna is called', async () => {
		const noChannel = await runNodeFailing({ parameters: conversation({ channel: { __rl: true, mode: 'id', value: '' } }) });
		expect(noChannel.message).toMatch(/No channel/);
		expect(noChannel.description).toMatch(/Message Received/);
		const noPhone = await runNodeFailing({ parameters: conversation({ phone: '' }) });
		expect(noPhone.message).toMatch(/No customer phone/);
		const bsuid = await runNodeFailing({ parameters: conversation({ phone: 'BR.1A2B3C4D5E6F7A8B9C0D' }) });
		expect(bsuid.message).toContain('is not a phone number');
		expect(bsuid.description).toMatch(/WhatsApp user ID/);
	});

	test('one output item per input item, paired', async () => {
		const edna = withHistory(entry(5001, 'IN', 'hi', 1), entry(6001, 'IN', 'yo', 1, '35790000002'));
		const { output } = await runNode({
			parameters: (i) => conversation({ phone: i === 0 ? '35790000001' : '35790000002' }),
			items: [{ json: {} }, { json: {} }],
			edna,
		});
		expect(output.map((o) => [o.pairedItem, o.json.unanswered])).toEqual([
			[{ item: 0 }, 'hi'],
			[{ item: 1 }, 'yo'],
		]);
	});
});

describe('Conversation → Get in the editor and as a tool', () => {
	const shown = (name: string) =>
		node.description.properties.find(
			(p) => p.name === name && (p.displayOptions?.show?.resource as string[] | undefined)?.includes('conversation'),
		) as INodeProperties;

	test('channel and customer default to the trigger item; the options to the documented numbers', () => {
		expect(shown('channel').default).toEqual({ mode: 'id', value: '={{ $json.subjectId }}' });
		expect(shown('phone').default).toBe('={{ $json.subscriber?.identifier }}');
		const options = Object.fromEntries((shown('options').options as INodeProperties[]).map((o) => [o.name, o.default]));
		expect(options).toMatchObject(DEFAULTS);
	});

	test('the action a model reads names what it gets', () => {
		const operation = shown('operation');
		const get = (operation.options as Array<{ value: string; action?: string }>).find((o) => o.value === 'get');
		expect(get?.action).toMatch(/customer's conversation/);
		expect(get?.action).toMatch(/24-hour window/);
	});
});
