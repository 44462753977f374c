// Customer actions and template events produce the webhook bodies of the trigger's own fixtures
// (test/fixtures/<kind>/), filled with the sandbox's account (docs/edna-api.md §W5–§W8).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureBody } from '../../sandbox/lib/webhook-shapes.mjs';
import { PHONE, allWebhooks, api, receiver, sandbox, sandboxPost } from './helpers.mjs';

const hook = await receiver();
const sb = await sandbox({ webhooks: allWebhooks(hook.url()) });
const envelope = fixtureBody('incomingMessage', 'text');

const CASES = {
	TEXT: [
		{ text: 'Hello, is my order ready?' },
		'text',
		(c) => assert.equal(c.text, 'Hello, is my order ready?'),
	],
	IMAGE: [{ caption: 'My receipt' }, 'image', (c) => assert.match(c.attachment.url, /^https:\/\//)],
	DOCUMENT: [
		{ attachment: { url: 'https://files.example.com/a.pdf', name: 'a.pdf', size: 10 } },
		'image',
		(c) => assert.equal(c.attachment.name, 'a.pdf'),
	],
	VIDEO: [{}, 'image', (c) => assert.ok(c.attachment.url.endsWith('.mp4'))],
	AUDIO: [{}, 'image', (c) => assert.ok(c.attachment.url.endsWith('.ogg'))],
	BUTTON: [
		{ text: 'Yes', payload: 'CONFIRM' },
		'button-bsuid',
		(c) => assert.equal(c.payload, 'CONFIRM'),
	],
	LIST_PICKER: [
		{ items: [{ identifier: '02', title: 'Pick-up' }] },
		'list-picker',
		(c) => assert.deepEqual(c.items, [{ identifier: '02', title: 'Pick-up', subtitle: null }]),
	],
	LOCATION: [
		{ location: { latitude: 34.68, longitude: 33.04, address: 'Limassol' } },
		'location',
		(c) => assert.equal(c.location.address, 'Limassol'),
	],
	FLOW: [
		{ response: { size: 'M', flow_token: 'tok-1' } },
		'flow-array',
		(c) => assert.deepEqual(JSON.parse(c.text), { size: 'M', flow_token: 'tok-1' }),
	],
};

for (const [type, [input, variant, check]] of Object.entries(CASES)) {
	test(`a customer ${type} message is an incomingMessage webhook shaped as ${variant}.json`, async () => {
		const { body } = await sb.customer.send({ phone: PHONE, type, ...input });
		const received = await hook.next((h) => [h.body].flat()[0]?.messageContent?.type === type);
		assert.deepEqual(received.body, body);
		const event = [body].flat()[0];
		assert.equal(Array.isArray(body), type === 'FLOW', 'FLOW replies come as an array');
		assert.deepEqual(Object.keys(event), Object.keys(envelope));
		const sample = [fixtureBody('incomingMessage', variant)].flat()[0].messageContent;
		for (const key of Object.keys(sample))
			assert.ok(key in event.messageContent, `${type}: messageContent.${key}`);
		assert.equal(event.messageContent.type, type);
		assert.equal(event.subscriber.identifier, PHONE);
		assert.equal(event.subjectId, 101);
		assert.equal(event.subject, 'sandbox_wa');
		assert.equal(event.userInfo.userName, 'Alex');
		assert.equal(received.headers.authorization, 'Token sandbox-webhook-key-example');
		check(event.messageContent);
	});
}

test('a Viber customer writes on channel 102; unknown types and SMS are refused', async () => {
	const { body } = await sb.customer.send({ phone: '375290000000', channel: 'VIBER', text: 'hi' });
	assert.equal(body.subjectId, 102);
	await assert.rejects(sb.customer.send({ phone: PHONE, type: 'STICKER' }), /unknown content type/);
	await assert.rejects(sb.customer.send({ phone: PHONE, subjectId: 103, text: 'x' }), /SMS/);
});

test('a reply refers to the last message sent to that phone (replyOutMessageId, …ExternalRequestId)', async () => {
	await sb.customer.send({ phone: '35790000300', text: 'first contact' });
	const send = await api(sb, 'cascade/schedule', {
		requestId: 'reply-to-me',
		cascadeId: 201,
		subscriberFilter: { address: '35790000300', type: 'PHONE' },
		content: { whatsappContent: { contentType: 'TEXT', text: 'How can we help?' } },
	});
	assert.equal(send.status, 200);
	const { body } = await sb.customer.send({ phone: '35790000300', text: 'my parcel' });
	assert.equal(body.replyOutMessageExternalRequestId, 'reply-to-me');
	assert.equal(
		body.replyOutMessageId,
		sb.account.outMessages.find((m) => m.requestId === 'reply-to-me').messageId,
	);
});

test('tapping a quick-reply button of a template sends a BUTTON message with its payload', async () => {
	const sent = await api(sb, 'v1/out-messages/whatsapp/template', {
		messageId: 'quick-1',
		sender: 'sandbox_wa',
		phone: PHONE,
		templateId: 301,
		textVariables: ['Alex', 'A-1'],
		headerVariables: ['A-1'],
	});
	const res = await sandboxPost(sb, '/sandbox/customer/button', {
		requestId: 'quick-1',
		payload: 'HELP',
	});
	assert.equal(res.status, 200);
	const content = res.body.body.messageContent;
	assert.deepEqual(
		[content.type, content.text, content.payload],
		['BUTTON', 'I need help', 'HELP'],
	);
	assert.equal(res.body.body.replyOutMessageId, sent.body.outMessageId);
	assert.equal(res.body.body.replyOutMessageExternalRequestId, 'quick-1');
	assert.deepEqual(res.body.webhook, { status: 200, error: null });
});

test('a link-button click needs a sent template and is shaped as linkClick/current.json', async () => {
	const sent = await api(sb, 'v1/out-messages/whatsapp/template', {
		messageId: 'link-1',
		sender: 'sandbox_wa',
		phone: PHONE,
		templateId: 302,
		textVariables: ['Alex'],
		buttonVariables: ['A-42'],
	});
	const { body } = await sb.customer.clickLink({ requestId: 'link-1' });
	const received = await hook.next((h) => h.body?.type === 'short_link_visited');
	assert.deepEqual(received.body, body);
	const shape = fixtureBody('linkClick', 'current');
	assert.deepEqual(Object.keys(body), Object.keys(shape));
	assert.deepEqual(Object.keys(body.payload), Object.keys(shape.payload));
	assert.deepEqual(
		[
			body.payload.sender,
			body.payload.templateId,
			body.payload.outMessageId,
			body.payload.phone,
			body.payload.url,
			body.payload.requestId,
		],
		[
			'sandbox_wa',
			302,
			sent.body.outMessageId,
			PHONE,
			'https://shop.example.com/track/A-42',
			'link-1',
		],
	);
	const second = await sb.customer.clickLink({
		outMessageId: sent.body.outMessageId,
		button: 'Our shops',
	});
	assert.equal(second.body.payload.url, 'https://shop.example.com/shops');
	const none = await sandboxPost(sb, '/sandbox/customer/link-click', { requestId: 'never-sent' });
	assert.equal(none.status, 400);
	const free = await sandboxPost(sb, '/sandbox/customer/link-click', {});
	assert.match(free.body.error, /requestId or outMessageId/);
});

test('a template status change is a templateStatus webhook: an array shaped as templateStatus/array.json', async () => {
	const res = await sandboxPost(sb, '/sandbox/templates/status', { id: 305, status: 'APPROVED' });
	assert.equal(res.status, 200);
	const received = await hook.next((h) => Array.isArray(h.body) && h.body[0]?.id === 305);
	const shape = fixtureBody('templateStatus', 'array')[0];
	assert.deepEqual(Object.keys(received.body[0]), Object.keys(shape));
	assert.equal(received.body[0].status, 'APPROVED');
	const listed = await api(sb, 'message-matchers/get-by-request', { subjectId: 101 });
	assert.equal(listed.body.find((t) => t.id === 305).status, 'APPROVED', 'the account changed too');
	const now = await api(sb, 'v1/out-messages/whatsapp/template', {
		sender: 'sandbox_wa',
		phone: PHONE,
		templateId: 305,
		textVariables: ['Alex'],
	});
	assert.equal(now.status, 200, 'an approved template can be sent');
});

test('a category change is a templateCategory webhook shaped as templateCategory/current.json', async () => {
	const { body } = await sb.templates.setCategory(304, 'UTILITY');
	const received = await hook.next((h) => h.body?.type === 'message_matcher.category_changed');
	assert.deepEqual(received.body, body);
	const shape = fixtureBody('templateCategory', 'current');
	assert.deepEqual(Object.keys(body), Object.keys(shape));
	assert.deepEqual(body.payload, {
		id: 304,
		name: 'spring_sale',
		channelType: 'WHATSAPP',
		category: 'UTILITY',
	});
	await assert.rejects(sb.templates.setCategory(307, 'UTILITY'), /only WhatsApp/);
});

test('POST /sandbox/customer/message plays the customer over HTTP; bad input is a 400', async () => {
	const res = await sandboxPost(sb, '/sandbox/customer/message', {
		phone: '35790000200',
		type: 'LOCATION',
		location: { latitude: 1.5, longitude: 2.5 },
	});
	assert.equal(res.status, 200);
	assert.equal(res.body.body.messageContent.location.latitude, 1.5);
	const bad = await sandboxPost(sb, '/sandbox/customer/message', { phone: 'abc', text: 'x' });
	assert.equal(bad.status, 400);
});

test("an operator answers (edna's chat centre): an outgoing message with no comment, cascade or requestId, in history and on the page's state", async () => {
	const phone = '35790000210';
	await sb.customer.send({ phone, text: 'is anybody there?' });
	const res = await sandboxPost(sb, '/sandbox/operator/message', { phone, subjectId: 101, text: 'Hi, this is Maria from support' });
	assert.equal(res.status, 200, JSON.stringify(res.body));
	const history = await api(sb, 'messages/history', { subscriberFilter: { address: phone, type: 'PHONE' }, direction: 'OUT' });
	assert.deepEqual(
		history.body.content.map((m) => [m.direction, m.comment, m.cascadeId, m.requestId, m.content.text]),
		[['OUT', null, null, null, 'Hi, this is Maria from support']],
	);
	const shown = sb.state().conversations.find((c) => c.phone === phone).messages;
	assert.deepEqual(shown.map((m) => [m.direction, m.api ?? null]), [['in', null], ['out', 'chat-centre']]);
	const bad = await sandboxPost(sb, '/sandbox/operator/message', { phone, subjectId: 101, text: ' ' });
	assert.equal(bad.status, 400);
	assert.match(bad.body.detail ?? JSON.stringify(bad.body), /text is required/);
});
