// POST cascade/schedule: the error codes of http://docs-pulse.edna.io/docs/api/messages/errorcodes
// (docs/edna-api.md §7.2) for the requests that cause them, and the documented answer `{requestId}`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PHONE, api, sandbox, textSend } from './helpers.mjs';

const sb = await sandbox();
let n = 0;
const id = () => `schedule-${++n}`;
const wa = (whatsappContent) => ({ ...textSend(id()), content: { whatsappContent } });

async function rejects(body, title, detail) {
	const res = await api(sb, 'cascade/schedule', body);
	assert.equal(res.status, 400, JSON.stringify(res.body));
	assert.equal(res.body.title, title);
	assert.equal(res.body.status, 400);
	if (detail) assert.match(res.body.detail, detail);
	return res;
}

test('a valid text send answers 200 with the requestId sent', async () => {
	const res = await api(sb, 'cascade/schedule', textSend('schedule-ok'));
	assert.deepEqual(res, { status: 200, body: { requestId: 'schedule-ok' } });
});

test("requestId-is-not-unique for a requestId used before, with edna's detail", async () => {
	await api(sb, 'cascade/schedule', textSend('schedule-twice'));
	await rejects(
		textSend('schedule-twice', 'other text'),
		'requestId-is-not-unique',
		/^This request ID has already been used\. Use a new ID for each request\.$/,
	);
});

test('requestId missing', () =>
	rejects({ ...textSend('x'), requestId: undefined }, 'requestId-not-specified'));

test('cascade-not-found for an unknown, missing or DISABLED cascade', async () => {
	await rejects(
		{ ...textSend(id()), cascadeId: 999 },
		'cascade-not-found',
		/Cascade template not found/,
	);
	await rejects({ ...textSend(id()), cascadeId: undefined }, 'cascade-not-found');
	await rejects({ ...textSend(id()), cascadeId: 205 }, 'cascade-not-found', /DISABLED/);
});

test('cascadeId as a string is accepted (edna examples use "1")', async () => {
	const res = await api(sb, 'cascade/schedule', { ...textSend(id()), cascadeId: '201' });
	assert.equal(res.status, 200);
});

test('content-not-specified without content', () =>
	rejects({ ...textSend(id()), content: undefined }, 'content-not-specified'));

test("content for a channel the cascade lacks: cascade-scheduling-request-not-valid, as in edna's example", async () => {
	await rejects(
		{
			...textSend(id()),
			content: {
				whatsappContent: { contentType: 'TEXT', text: 'x' },
				smsContent: { contentType: 'TEXT', text: 'x' },
			},
		},
		'cascade-scheduling-request-not-valid',
		/^Cascade scheduling request is not valid\. Violations: the cascade template stage was not found for the content \[cascadeTemplateId:201;contentChannelType:SMS\]$/,
	);
});

test("request-doesn't-contain-content-for-all-cascade-stages on a two-stage cascade with one content", () =>
	rejects(
		{ ...textSend(id()), cascadeId: 204 },
		"request-doesn't-contain-content-for-all-cascade-stages",
		/SMS/,
	));

test('subscriberFilter missing or not PHONE', async () => {
	await rejects(
		{ ...textSend(id()), subscriberFilter: undefined },
		'cascade-scheduling-request-not-valid',
		/subscriberFilter\.address/,
	);
	await rejects(
		{ ...textSend(id()), subscriberFilter: { address: 'BR.1A2B', type: 'EXT_USER_ID' } },
		'cascade-scheduling-request-not-valid',
		/EXT_USER_ID/,
	);
});

test('contentType-not-specified and text-not-specified', async () => {
	await rejects(wa({ text: 'no type' }), 'contentType-not-specified');
	await rejects(wa({ contentType: 'TEXT' }), 'text-not-specified');
	await rejects(wa({ contentType: 'TEXT', text: '   ' }), 'text-not-specified');
});

test('SMS content may omit contentType', async () => {
	const res = await api(sb, 'cascade/schedule', {
		...textSend(id()),
		cascadeId: 203,
		content: { smsContent: { text: 'Hello Maria!' } },
	});
	assert.equal(res.status, 200);
});

test('media: attachment url, attachmentName-not-specified, attachmentName-is-too-long (> 70)', async () => {
	await rejects(wa({ contentType: 'IMAGE' }), 'attachmentUrl-not-specified');
	await rejects(
		wa({ contentType: 'DOCUMENT', attachment: { url: 'https://x/dummy.pdf' } }),
		'attachmentName-not-specified',
	);
	await rejects(
		wa({ contentType: 'VIDEO', attachment: { url: 'https://x/a.mp4', name: 'n'.repeat(71) } }),
		'attachmentName-is-too-long',
		/70/,
	);
	for (const contentType of ['IMAGE', 'DOCUMENT', 'VIDEO', 'AUDIO']) {
		const res = await api(
			sb,
			'cascade/schedule',
			wa({ contentType, attachment: { url: `https://x/${contentType}`, name: 'n'.repeat(70) } }),
		);
		assert.equal(res.status, 200, contentType);
	}
});

test('location: latitude-not-specified, longitude-not-specified', async () => {
	await rejects(
		wa({ contentType: 'LOCATION', location: { longitude: 56.7645 } }),
		'latitude-not-specified',
	);
	await rejects(
		wa({ contentType: 'LOCATION', location: { latitude: 48.4564 } }),
		'longitude-not-specified',
	);
	const ok = await api(
		sb,
		'cascade/schedule',
		wa({
			contentType: 'LOCATION',
			location: { longitude: 56.7645, latitude: 48.4564, address: 'London, Buckingham street' },
		}),
	);
	assert.equal(ok.status, 200);
});

test('Viber buttons: caption-not-specified and action-not-specified', async () => {
	const viber = (viberContent) => ({
		...textSend(id()),
		cascadeId: 202,
		content: { viberContent },
	});
	await rejects(
		viber({ contentType: 'TEXT', text: 'x', action: 'https://shop.example.com' }),
		'caption-not-specified',
		/signature text field/,
	);
	await rejects(
		viber({ contentType: 'TEXT', text: 'x', caption: 'Open' }),
		'action-not-specified',
		/No action is specified for the button/,
	);
	const ok = await api(
		sb,
		'cascade/schedule',
		viber({ contentType: 'TEXT', text: 'x', caption: 'Open', action: 'https://shop.example.com' }),
	);
	assert.equal(ok.status, 200);
});

test('FLOW needs flowId, caption (the button) and text', async () => {
	await rejects(wa({ contentType: 'FLOW', caption: 'Open', text: 'x' }), 'flowId-not-specified');
	await rejects(wa({ contentType: 'FLOW', flowId: 7, text: 'x' }), 'caption-not-specified');
	const ok = await api(
		sb,
		'cascade/schedule',
		wa({
			contentType: 'FLOW',
			flowId: 7,
			action: 'navigate',
			caption: 'Fill in',
			text: 'Tell us more',
		}),
	);
	assert.equal(ok.status, 200);
});

test('matched-template-not-found for a messageMatcherId that is not an approved template of the channel', async () => {
	await rejects(
		wa({ contentType: 'AUTHENTICATION', text: '123456', messageMatcherId: 305 }),
		'matched-template-not-found',
		/schema of the template/,
	);
	await rejects(
		wa({ contentType: 'TEXT', text: 'x', messageMatcherId: 307 }),
		'matched-template-not-found',
	);
});

test('an unknown contentType is not valid', () =>
	rejects(
		wa({ contentType: 'HOLOGRAM', text: 'x' }),
		'cascade-scheduling-request-not-valid',
		/HOLOGRAM/,
	));

test('an accepted send is kept with its content, phone without "+", and shows on the state', async () => {
	await api(sb, 'cascade/schedule', {
		...textSend('schedule-state', 'Your order is ready'),
		subscriberFilter: { address: `+${PHONE}`, type: 'PHONE' },
		comment: 'order-1',
	});
	const conversation = sb.state().conversations.find((c) => c.phone === PHONE);
	const sent = conversation.messages.find((m) => m.requestId === 'schedule-state');
	assert.equal(sent.content.text, 'Your order is ready');
	assert.equal(sent.channelType, 'WHATSAPP');
	assert.equal(sent.cascadeId, 201);
});
