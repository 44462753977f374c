import { nextOccurrence, sendIdFor, uuidShaped } from '../../../../nodes/EdnaPulse/actions/message/sendId';

const base = { workflowId: 'wf-1', nodeName: 'Reply', executionId: 'exec-7', itemIndex: 0 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the send ID rule', () => {
	test('an item from the edna Pulse Trigger: derived from its eventKey, the same in every execution', () => {
		const a = sendIdFor({ ...base, eventKey: 'incomingMessage:345:101' });
		const b = sendIdFor({ ...base, executionId: 'exec-8', itemIndex: 3, eventKey: 'incomingMessage:345:101' });
		expect(a).toEqual({ id: expect.stringMatching(UUID), source: 'eventKey' });
		expect(b).toEqual(a);
	});

	test('two nodes, or two workflows, answering one event get different IDs', () => {
		const event = { ...base, eventKey: 'incomingMessage:345:101' };
		const ids = new Set([
			sendIdFor(event).id,
			sendIdFor({ ...event, nodeName: 'Reply 2' }).id,
			sendIdFor({ ...event, workflowId: 'wf-2' }).id,
		]);
		expect(ids.size).toBe(3);
	});

	test('without an eventKey: from execution ID and item index', () => {
		const first = sendIdFor(base);
		expect(first).toEqual({ id: expect.stringMatching(UUID), source: 'execution' });
		expect(sendIdFor(base)).toEqual(first);
		expect(sendIdFor({ ...base, itemIndex: 1 }).id).not.toBe(first.id);
		expect(sendIdFor({ ...base, executionId: 'exec-8' }).id).not.toBe(first.id);
		expect(sendIdFor({ ...base, eventKey: '' }).source).toBe('execution');
	});

	test('a Send ID option wins, used as given (trimmed)', () => {
		expect(sendIdFor({ ...base, eventKey: 'k', custom: ' order-77 ' })).toEqual({ id: 'order-77', source: 'custom' });
		expect(sendIdFor({ ...base, custom: 42 })).toEqual({ id: '42', source: 'custom' });
		expect(sendIdFor({ ...base, custom: '  ' }).source).toBe('execution');
	});

	test('the same eventKey twice in one batch: the second gets a distinct, stable ID', () => {
		const seen = new Map<string, number>();
		const ids = ['k1', 'k2', 'k1'].map((eventKey, itemIndex) =>
			sendIdFor({ ...base, itemIndex, eventKey, occurrence: nextOccurrence(seen, eventKey) }),
		);
		expect(new Set(ids.map((i) => i.id)).size).toBe(3);
		expect(ids[0].id).toBe(sendIdFor({ ...base, eventKey: 'k1' }).id);
		expect(ids[2].id).toBe(sendIdFor({ ...base, eventKey: 'k1', occurrence: 1 }).id);
	});

	test('UUID-shaped digests', () => {
		expect(uuidShaped('a')).toMatch(UUID);
		expect(uuidShaped('a')).toBe(uuidShaped('a'));
		expect(uuidShaped('a')).not.toBe(uuidShaped('b'));
	});

	test('no execution ID at all: a random ID rather than one shared by every run', () => {
		const a = sendIdFor({ ...base, executionId: undefined });
		const b = sendIdFor({ ...base, executionId: undefined });
		expect(a.id).not.toBe(b.id);
	});

	test("an agent's tool calls: each call its own ID; the same call of the same event again, the same ID", () => {
		const event = { ...base, eventKey: 'incomingMessage:345:101' };
		const calls = [0, 1, 2].map((toolCall) => sendIdFor({ ...event, toolCall }));
		expect(new Set(calls.map((c) => c.id)).size).toBe(3);
		expect(calls.every((c) => c.source === 'eventKey')).toBe(true);
		// the event delivered again: a new execution, the same calls
		expect(sendIdFor({ ...event, executionId: 'exec-9', toolCall: 1 }).id).toBe(calls[1].id);
		// a tool call never collides with a rule-based send of the same event
		expect(calls.map((c) => c.id)).not.toContain(sendIdFor(event).id);
		// without an eventKey (e.g. a chat trigger): the calls of one execution still differ
		expect(sendIdFor({ ...base, toolCall: 0 }).id).not.toBe(sendIdFor({ ...base, toolCall: 1 }).id);
		expect(sendIdFor({ ...event, custom: 'mine', toolCall: 1 })).toEqual({ id: 'mine', source: 'custom' });
	});
});
