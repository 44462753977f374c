import type { IDataObject } from 'n8n-workflow';

import {
	windowClosedError,
	windowFromHistory,
	windowFromItem,
} from '../../../../nodes/EdnaPulse/actions/message/window';
import { FakeEdna } from '../../../support/action/fakeEdna';
import { runNode, runNodeFailing } from '../../../support/action/run';
import { receivedItem } from '../../../support/action/received';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const CUSTOMER = '35790000001';
const hoursAgo = (hours: number, from = Date.now()) => new Date(from - hours * HOUR).toISOString();

const incoming = (messageId: number, at: string, address = CUSTOMER): IDataObject => ({
	messageId,
	direction: 'IN',
	subjectId: 101,
	address,
	channelType: 'WHATSAPP',
	content: { type: 'TEXT', text: `message ${messageId}` },
	createdAt: at,
});

const received = (id: number, receivedAt: string, identifier = CUSTOMER): IDataObject => receivedItem(id, { receivedAt, identifier });

describe('the 24-hour window (pure)', () => {
	test('a Message Received item of this customer younger than 24 h minus the margin proves the window open', () => {
		expect(windowFromItem(received(7, hoursAgo(2, NOW)), 101, CUSTOMER, NOW, 60)).toEqual({
			open: true,
			closesAt: '2026-06-02T09:00:00.000Z',
			lastIncomingAt: '2026-06-01T10:00:00.000Z',
			checkedBy: 'trigger',
		});
	});

	test("Conversation → Get's item proves the window open until its closesAt, for its customer and channel only", () => {
		const conversation = { subjectId: 101, phone: CUSTOMER, window: { open: true, closesAt: hoursAgo(-5, NOW), lastIncomingAt: hoursAgo(18, NOW) } };
		expect(windowFromItem(conversation, 101, CUSTOMER, NOW, 60)).toEqual({ ...conversation.window, checkedBy: 'conversation' });
		expect(windowFromItem(conversation, 101, CUSTOMER, NOW + 6 * HOUR, 60)).toBeNull();
		expect(windowFromItem(conversation, 102, CUSTOMER, NOW, 60)).toBeNull();
		expect(windowFromItem(conversation, 101, '35790000002', NOW, 60)).toBeNull();
		expect(windowFromItem({ ...conversation, window: { ...conversation.window, open: false } }, 101, CUSTOMER, NOW, 60)).toBeNull();
	});

	test('an older item, another customer, another channel or no time: history must tell', () => {
		expect(windowFromItem(received(7, hoursAgo(23.5, NOW)), 101, CUSTOMER, NOW, 60)).toBeNull();
		expect(windowFromItem(received(7, hoursAgo(23.5, NOW)), 101, CUSTOMER, NOW, 0)).not.toBeNull();
		expect(windowFromItem(received(7, hoursAgo(1, NOW), '35790000002'), 101, CUSTOMER, NOW, 60)).toBeNull();
		expect(windowFromItem(received(7, hoursAgo(1, NOW)), 102, CUSTOMER, NOW, 60)).toBeNull();
		expect(windowFromItem({ ...received(7, ''), receivedAt: undefined }, 101, CUSTOMER, NOW, 60)).toBeNull();
		expect(windowFromItem({ status: 'READ' }, 101, CUSTOMER, NOW, 60)).toBeNull();
	});

	test("history: the customer's newest message decides, with the margin", () => {
		const entries = [incoming(1, hoursAgo(30, NOW)), incoming(2, hoursAgo(22.5, NOW))];
		expect(windowFromHistory(entries, {}, 101, CUSTOMER, NOW, 60)).toMatchObject({ open: true, lastIncomingAt: hoursAgo(22.5, NOW), checkedBy: 'history' });
		expect(windowFromHistory(entries, {}, 101, CUSTOMER, NOW, 120)).toMatchObject({ open: false, closesAt: hoursAgo(0.5, NOW) });
	});

	test('no message of the customer: closed; messages without a readable time only: unknown (null)', () => {
		expect(windowFromHistory([], {}, 101, CUSTOMER, NOW, 60)).toMatchObject({ open: false, lastIncomingAt: null });
		expect(windowFromHistory([{ ...incoming(1, ''), createdAt: 'yesterday' }], {}, 101, CUSTOMER, NOW, 60).open).toBeNull();
	});

	test("the input item counts when history does not hold it yet", () => {
		const old = [incoming(1, hoursAgo(30, NOW))];
		expect(windowFromHistory(old, received(9, hoursAgo(23.5, NOW)), 101, CUSTOMER, NOW, 0).open).toBe(true);
	});

	test('the error says the window is closed, since when, and what to do', () => {
		const error = windowClosedError({ open: false, closesAt: '2026-06-01T11:00:00.000Z', lastIncomingAt: '2026-05-31T12:00:00.000Z' }, CUSTOMER);
		expect(error.message).toBe(
			`WhatsApp's 24-hour window with ${CUSTOMER} is closed: the customer last wrote at 2026-05-31T12:00:00.000Z (the window closed at 2026-06-01T11:00:00.000Z, safety margin included)`,
		);
		expect(error.description).toContain('Send a Template Instead');
		expect(windowClosedError({ open: false, closesAt: null, lastIncomingAt: null }, CUSTOMER).message).toContain('has not written on this channel in the last 24 hours');
	});
});

const send = (options: IDataObject) => ({
	resource: 'message',
	operation: 'send',
	phone: `+${CUSTOMER}`,
	cascadeChoice: 'automatic',
	channel: { __rl: true, mode: 'id', value: '101' },
	contentType: 'text',
	text: 'Your parcel is at the pick-up point',
	options,
});
const reply = (options: IDataObject) => ({ resource: 'message', operation: 'reply', text: 'Thanks, we are on it', options });
const TEMPLATE = { outsideWindow: 'template', windowTemplate: 'order_update', windowTemplateVariables: '{"header": ["A-1"], "body": ["Alex", "A-1"]}' };
const historyReads = (edna: FakeEdna) => edna.requests.filter((r) => r.path === 'messages/history');

describe('Reply and Send outside the window', () => {
	test('Send Anyway (the default): no lookup, the message goes out as before, the item has no window field', async () => {
		const { json, edna } = await runNode({ parameters: send({}), items: [{ json: {} }] });
		expect(historyReads(edna)).toEqual([]);
		expect(edna.accepted).toHaveLength(1);
		expect(json[0]).not.toHaveProperty('window');
		expect(json[0]).not.toHaveProperty('sentAs');
	});

	test("Send, window open by edna's history: the free-form message, with the window in the item", async () => {
		const edna = new FakeEdna();
		edna.history = [incoming(1, hoursAgo(3))];
		const { json } = await runNode({ parameters: send(TEMPLATE), items: [{ json: {} }], edna });
		expect(historyReads(edna)).toHaveLength(1);
		expect(historyReads(edna)[0].body).toMatchObject({ subscriberFilter: { address: CUSTOMER, type: 'PHONE' }, subjectId: 101, direction: 'IN' });
		expect(edna.accepted).toHaveLength(1);
		expect(edna.templateSends).toEqual([]);
		expect(json[0]).toMatchObject({ outcome: 'sent', sentAs: 'message', window: { open: true, checkedBy: 'history' } });
	});

	test('Send, window closed: the chosen template goes out instead, with its variables, under the same send ID rule', async () => {
		const edna = new FakeEdna();
		edna.history = [incoming(1, hoursAgo(30))];
		const { json } = await runNode({ parameters: send(TEMPLATE), items: [{ json: { eventKey: 'k-1' } }], edna });
		expect(edna.accepted).toEqual([]);
		expect(edna.templateSends).toHaveLength(1);
		expect(edna.templateSends[0]).toMatchObject({ messageId: json[0].messageId, templateId: 301, sender: 'sandbox_wa' });
		expect(json[0]).toMatchObject({ outcome: 'sent', sentAs: 'template', templateName: 'order_update', idSource: 'eventKey', window: { open: false } });
		const again = await runNode({ parameters: send(TEMPLATE), items: [{ json: { eventKey: 'k-1' } }], edna, executionId: 'another' });
		expect(again.json[0]).toMatchObject({ outcome: 'alreadySent', messageId: json[0].messageId });
		expect(edna.templateSends).toHaveLength(1);
	});

	test('Stop With an Error: nothing is sent and the error says why', async () => {
		const edna = new FakeEdna();
		edna.history = [incoming(1, hoursAgo(25))];
		const error = await runNodeFailing({ parameters: send({ outsideWindow: 'stop' }), items: [{ json: {} }], edna });
		expect(error.message).toContain("WhatsApp's 24-hour window with 35790000001 is closed");
		expect(edna.accepted).toEqual([]);
	});

	test('Skip: nothing is sent, the item says so', async () => {
		const { json, edna } = await runNode({ parameters: send({ outsideWindow: 'skip' }), items: [{ json: {} }] });
		expect(edna.accepted).toEqual([]);
		expect(json[0]).toMatchObject({ outcome: 'skipped', skipReason: 'windowClosed', recipient: CUSTOMER, subjectId: 101, window: { open: false, lastIncomingAt: null } });
	});

	test('a template send without a Window Template: a clear error', async () => {
		const error = await runNodeFailing({ parameters: send({ outsideWindow: 'template' }), items: [{ json: {} }] });
		expect(error.message).toBe("WhatsApp's 24-hour window is closed and no Window Template is set");
	});

	test('SMS and Viber have no window: no lookup, sent as given', async () => {
		const parameters = { ...send({ outsideWindow: 'stop' }), channel: { __rl: true, mode: 'id', value: '103' } };
		const { json, edna } = await runNode({ parameters, items: [{ json: {} }] });
		expect(historyReads(edna)).toEqual([]);
		expect(json[0]).toMatchObject({ outcome: 'sent', channelType: 'SMS' });
		expect(json[0]).not.toHaveProperty('window');
	});

	test('Reply to a fresh message: the trigger item proves the window open, no history lookup', async () => {
		const { json, edna } = await runNode({ parameters: reply({ outsideWindow: 'stop' }), items: [{ json: received(5, hoursAgo(0.1)) }] });
		expect(historyReads(edna)).toEqual([]);
		expect(json[0]).toMatchObject({ outcome: 'sent', sentAs: 'message', window: { open: true, checkedBy: 'trigger' } });
	});

	test('Reply to a message older than the window (e.g. after a long Wait), nothing newer: the template instead', async () => {
		const edna = new FakeEdna();
		edna.history = [incoming(5, hoursAgo(26))];
		const { json } = await runNode({ parameters: reply(TEMPLATE), items: [{ json: received(5, hoursAgo(26)) }], edna });
		expect(historyReads(edna)).toHaveLength(1);
		expect(edna.accepted).toEqual([]);
		expect(json[0]).toMatchObject({ sentAs: 'template', recipient: CUSTOMER, window: { open: false, checkedBy: 'history' } });
	});

	test('Reply to an old message when the customer wrote again since: the window is open', async () => {
		const edna = new FakeEdna();
		edna.history = [incoming(5, hoursAgo(26)), incoming(6, hoursAgo(1))];
		const { json } = await runNode({ parameters: reply(TEMPLATE), items: [{ json: received(5, hoursAgo(26)) }], edna });
		expect(edna.accepted).toHaveLength(1);
		expect(json[0]).toMatchObject({ sentAs: 'message', window: { open: true, lastIncomingAt: edna.history[1].createdAt } });
	});
});

const outgoing = (messageId: number, at: string, comment: string | null): IDataObject => ({
	messageId,
	direction: 'OUT',
	subjectId: 101,
	address: CUSTOMER,
	channelType: 'WHATSAPP',
	comment,
	content: { type: 'TEXT', text: `answer ${messageId}` },
	createdAt: at,
});

describe('hand-over: the node stays quiet while a person answers', () => {
	test('version 1.1 marks every send with a comment ("n8n" unless Comment is set); version 1 sends none, as before', async () => {
		const v11 = await runNode({ parameters: send({}), items: [{ json: {} }], typeVersion: 1.1 });
		expect(v11.edna.accepted[0].comment).toBe('n8n');
		const own = await runNode({ parameters: send({ comment: 'order bot' }), items: [{ json: {} }], typeVersion: 1.1 });
		expect(own.edna.accepted[0].comment).toBe('order bot');
		const v1 = await runNode({ parameters: send({}), items: [{ json: {} }] });
		expect(v1.edna.accepted[0]).not.toHaveProperty('comment');
		const template = await runNode({ parameters: { ...send(TEMPLATE), options: { ...TEMPLATE } }, items: [{ json: {} }], typeVersion: 1.1 });
		expect(template.edna.templateSends[0]).toMatchObject({ options: { comment: 'n8n' } });
	});

	test('a person wrote 10 minutes ago, quiet for 30: nothing is sent, the item says operatorActive', async () => {
		const edna = new FakeEdna();
		edna.history = [incoming(1, hoursAgo(1)), outgoing(2, hoursAgo(0.9), 'n8n'), outgoing(3, hoursAgo(10 / 60), null)];
		const { json } = await runNode({ parameters: reply({ handOverMinutes: 30 }), items: [{ json: received(4, hoursAgo(0)) }], edna, typeVersion: 1.1 });
		expect(edna.accepted).toEqual([]);
		expect(json[0]).toEqual({
			outcome: 'skipped',
			skipReason: 'operatorActive',
			channelType: 'WHATSAPP',
			subjectId: 101,
			recipient: CUSTOMER,
			operatorLastAt: edna.history[2].createdAt,
		});
		expect(historyReads(edna)[0].body).not.toHaveProperty('direction');
	});

	test("the node's own messages (with a comment) and a person's older than the time do not count", async () => {
		const edna = new FakeEdna();
		edna.history = [outgoing(2, hoursAgo(2), null), outgoing(3, hoursAgo(0.1), 'n8n'), outgoing(4, hoursAgo(0.05), 'crm reminder')];
		const { json } = await runNode({ parameters: send({ handOverMinutes: 60 }), items: [{ json: {} }], edna, typeVersion: 1.1 });
		expect(json[0]).toMatchObject({ outcome: 'sent' });
		expect(edna.accepted).toHaveLength(1);
	});

	test("with the window check too, edna's history is read once", async () => {
		const edna = new FakeEdna();
		edna.history = [incoming(1, hoursAgo(30)), outgoing(2, hoursAgo(3), null)];
		const { json } = await runNode({ parameters: send({ ...TEMPLATE, handOverMinutes: 60 }), items: [{ json: {} }], edna, typeVersion: 1.1 });
		expect(historyReads(edna)).toHaveLength(1);
		expect(json[0]).toMatchObject({ sentAs: 'template' });
	});

	test("after Conversation → Get, its operatorLastAt decides and nothing more is read", async () => {
		const conversation = { subjectId: 101, phone: CUSTOMER, operatorLastAt: hoursAgo(0.1), window: { open: true, closesAt: hoursAgo(-20), lastIncomingAt: hoursAgo(3) } };
		const quiet = await runNode({ parameters: send({ handOverMinutes: 30, outsideWindow: 'stop' }), items: [{ json: conversation }], typeVersion: 1.1 });
		expect(quiet.json[0]).toMatchObject({ outcome: 'skipped', skipReason: 'operatorActive' });
		const later = await runNode({ parameters: send({ handOverMinutes: 5, outsideWindow: 'stop' }), items: [{ json: conversation }], typeVersion: 1.1 });
		expect(later.json[0]).toMatchObject({ outcome: 'sent', window: { checkedBy: 'conversation' } });
		for (const run of [quiet, later]) expect(historyReads(run.edna)).toEqual([]);
	});
});
