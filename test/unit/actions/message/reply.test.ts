import type { IDataObject } from 'n8n-workflow';

import { replyTarget } from '../../../../nodes/EdnaPulse/actions/message/reply';
import { fixtureBody } from '../../../support/io';
import { FakeEdna } from '../../../support/action/fakeEdna';
import { runNode, runNodeFailing } from '../../../support/action/run';

/** A Message Received item as the trigger emits it, on the seed's WhatsApp channel. */
const received = (name = 'text', extra: Record<string, unknown> = {}) => ({
	...(fixtureBody('incomingMessage', name) as Record<string, unknown>),
	subject: 'sandbox_wa',
	subjectId: 101,
	eventType: 'incomingMessage',
	eventKey: `incomingMessage:101:${name}`,
	...extra,
});

const reply = (options: Record<string, unknown> = {}) => ({ resource: 'message', operation: 'reply', text: 'Thanks, we are on it', options });

describe('who a reply goes to (pure)', () => {
	test('recipient from subscriber.identifier, channel from subjectId/subject', () => {
		expect(replyTarget(received())).toEqual({ phone: '35700000000', subjectId: 101, subject: 'sandbox_wa' });
		expect(replyTarget({ senderId: '+357 000', subjectId: '101' })).toEqual({ phone: '357000', subjectId: 101, subject: null });
	});

	test('an item that is not a received message: the missing fields named', () => {
		expect(() => replyTarget({ status: 'DELIVERED', requestId: 'x' })).toThrow('no "subscriber.identifier" and "subjectId"');
		expect(() => replyTarget({ subscriber: { identifier: '357' } })).toThrow('no "subjectId"');
		expect(() => replyTarget(undefined)).toThrow('not a message received by the edna Pulse Trigger');
	});

	test('a sender known only by a WhatsApp BSUID: a clear refusal', () => {
		expect(() => replyTarget(received('button-bsuid'))).toThrow(
			'This customer is known only by a WhatsApp user ID ("BR.1A2B3C4D5E6F7A8B9C0D"), not by a phone number',
		);
	});
});

describe('Message → Reply', () => {
	test('answers on the channel the message came in on, through its own cascade, with an ID from the event', async () => {
		const { json, edna } = await runNode({ parameters: reply(), items: [{ json: received() }] });
		expect(edna.accepted).toEqual([
			{
				requestId: json[0].requestId,
				cascadeId: 201,
				subscriberFilter: { address: '35700000000', type: 'PHONE' },
				content: { whatsappContent: { contentType: 'TEXT', text: 'Thanks, we are on it' } },
			},
		]);
		expect(json[0]).toMatchObject({ idSource: 'eventKey', outcome: 'sent', channelType: 'WHATSAPP', subject: 'sandbox_wa', subjectId: 101, recipient: '35700000000' });
	});

	test('edna delivers the webhook twice: two executions, one reply', async () => {
		const edna = new FakeEdna();
		const first = await runNode({ parameters: reply(), items: [{ json: received() }], edna, executionId: 'e-1' });
		const second = await runNode({ parameters: reply(), items: [{ json: received() }], edna, executionId: 'e-2' });
		expect(second.json[0]).toMatchObject({ requestId: first.json[0].requestId, outcome: 'alreadySent' });
		expect(edna.accepted).toHaveLength(1);
	});

	test('media by URL', async () => {
		const { edna } = await runNode({
			parameters: reply({ mediaUrl: 'https://example.com/files/price-list.pdf', mediaType: 'document' }),
			items: [{ json: received() }],
		});
		expect(edna.accepted[0].content).toEqual({
			whatsappContent: { contentType: 'DOCUMENT', attachment: { url: 'https://example.com/files/price-list.pdf', name: 'price-list.pdf' } },
		});
	});

	test('a BSUID sender fails that item only when continue-on-fail is on; nothing is sent for it', async () => {
		const { json, output, edna } = await runNode({
			parameters: reply(),
			items: [{ json: received('button-bsuid', { subject: 'sandbox_wa', subjectId: 101 }) }, { json: received() }],
			continueOnFail: true,
		});
		expect(json[0].error).toContain('WhatsApp user ID');
		expect(json[0].description).toContain('by phone');
		expect(json[1].outcome).toBe('sent');
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(edna.accepted).toHaveLength(1);
	});

	test('a status item instead of a message', async () => {
		const status = fixtureBody('messageStatus', 'delivered') as IDataObject;
		const error = await runNodeFailing({ parameters: reply(), items: [{ json: status }] });
		expect(error.message).toContain('not a message received by the edna Pulse Trigger');
		expect(error.message).toContain('"subscriber.identifier"');
	});
});

describe("Message → Reply as an AI agent's tool", () => {
	const TOOL = 'n8n-nodes-edna-pulse.ednaPulseTool';
	// n8n gives the tool the agent's input item (the trigger's, with its eventKey), plus the call's arguments.
	const call = (text: string, runIndex: number, edna: FakeEdna, executionId = 'exec-1') =>
		runNode({
			parameters: { ...reply(), text },
			items: [{ json: { ...received(), toolCallId: `call_${runIndex}` } }],
			nodeType: TOOL,
			runIndex,
			executionId,
			edna,
		});

	test('two calls in one agent turn with two texts: both reach edna, each with its own ID', async () => {
		const edna = new FakeEdna();
		const first = await call('Your order ships today.', 0, edna);
		const second = await call('Anything else I can do?', 1, edna);
		expect(first.json[0].outcome).toBe('sent');
		expect(second.json[0].outcome).toBe('sent');
		expect(first.json[0].requestId).not.toBe(second.json[0].requestId);
		expect(edna.accepted.map((b) => (b.content as IDataObject).whatsappContent)).toEqual([
			{ contentType: 'TEXT', text: 'Your order ships today.' },
			{ contentType: 'TEXT', text: 'Anything else I can do?' },
		]);
	});

	test('the event delivered again (a new execution making the same calls): nothing is sent twice', async () => {
		const edna = new FakeEdna();
		await call('Your order ships today.', 0, edna);
		await call('Anything else I can do?', 1, edna);
		const again = [await call('Your order ships today!', 0, edna, 'exec-2'), await call('More?', 1, edna, 'exec-2')];
		expect(again.map((r) => r.json[0].outcome)).toEqual(['alreadySent', 'alreadySent']);
		expect(edna.accepted).toHaveLength(2);
	});
});
