// sandbox/lib/webhook-shapes.mjs, the one home of edna's webhook shapes: bodies are the fixtures
// filled in, and a field the fixture lacks is refused, so sandbox and fixtures cannot drift apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	fixtureBody,
	incomingMessageBody,
	linkClickBody,
	messageStatusBody,
	templateCategoryBody,
	templateObject,
} from '../../sandbox/lib/webhook-shapes.mjs';

test('a builder with no values returns the fixture itself', () => {
	assert.deepEqual(messageStatusBody({}), fixtureBody('messageStatus', 'delivered'));
	assert.deepEqual(templateCategoryBody({}), fixtureBody('templateCategory', 'current'));
	assert.deepEqual(linkClickBody({}), fixtureBody('linkClick', 'current'));
	assert.deepEqual(templateObject({}), fixtureBody('templateStatus', 'array')[0]);
});

test('a field the fixture does not have is an error, at any depth', () => {
	assert.throws(
		() => messageStatusBody({ channelType: 'WHATSAPP' }),
		/"channelType" is not a field/,
	);
	assert.throws(() => linkClickBody({ payload: { clicks: 1 } }), /linkClick\.payload: "clicks"/);
	assert.throws(
		() => incomingMessageBody({ messageContent: { type: 'TEXT', mood: 'happy' } }),
		/"mood"/,
	);
});

test("incoming bodies take the envelope of text.json and the content keys of the type's fixture", () => {
	const list = incomingMessageBody({ messageContent: { type: 'LIST_PICKER', items: [] } });
	assert.deepEqual(Object.keys(list), Object.keys(fixtureBody('incomingMessage', 'text')));
	const flow = incomingMessageBody({ messageContent: { type: 'FLOW', text: '{}' } });
	assert.ok(Array.isArray(flow) && flow.length === 1);
	assert.ok(
		'callPermissionReply' in flow[0].messageContent,
		'FLOW content keys come from flow-array.json',
	);
	assert.throws(() => incomingMessageBody({ messageContent: { type: 'STICKER' } }), /no fixture/);
});

test('fixtureBody returns a copy: changing it does not change the next one', () => {
	const a = fixtureBody('messageStatus', 'delivered');
	a.status = 'CHANGED';
	assert.equal(fixtureBody('messageStatus', 'delivered').status, 'DELIVERED');
});
