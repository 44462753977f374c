// Webhooks out: callback/set with edna's HEAD check (docs/edna-api.md §5.1), status webhooks in order with the
// send's id and `Authorization: Token <key>` (docs/edna-api.md §W2.3, §W4), retries at 4/128/2048 s scaled
// (§W1.4), duplicate cancel (docs/edna-api.md §2.1), the 24 h window and cascade fallback (choices.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureBody } from '../../sandbox/lib/webhook-shapes.mjs';
import { PHONE, WEBHOOK_KEY, allWebhooks, api, receiver, sandbox, textSend } from './helpers.mjs';

const statusesOf = (hook, requestId) =>
	hook.received.filter((h) => h.body?.requestId === requestId).map((h) => h.body.status);

test('callback/set: HEAD 200 registers the URLs of one channel; HEAD 404 registers nothing', async () => {
	const sb = await sandbox();
	const good = await receiver();
	const bad = await receiver({ headStatus: 404 });
	const ok = await api(sb, 'callback/set', {
		statusCallbackUrl: good.url('/status'),
		inMessageCallbackUrl: good.url('/in'),
		subjectId: 101,
		unknownField: 'ignored',
	});
	assert.deepEqual(ok, { status: 200, body: { code: 'ok' } });
	assert.deepEqual(
		sb.webhooks.list().map((w) => [w.field, w.subjectId, w.url]),
		[
			['statusCallbackUrl', 101, good.url('/status')],
			['inMessageCallbackUrl', 101, good.url('/in')],
		],
	);
	const refused = await api(sb, 'callback/set', {
		statusCallbackUrl: good.url('/other'),
		messageMatcherCallbackUrl: bad.url('/t'),
	});
	assert.deepEqual(refused, { status: 400, body: { code: 'error-callback-url-not-available' } });
	assert.equal(sb.webhooks.list().length, 2, 'one URL failing the check registers none');
	const unreachable = await api(sb, 'callback/set', {
		statusCallbackUrl: 'http://127.0.0.1:1/closed',
	});
	assert.equal(unreachable.body.code, 'error-callback-url-not-available');
	const head = sb.record.requests({ path: 'callback/set' });
	assert.equal(head.length, 3);
});

test('callback/set error codes: subject unknown, max length, not specified, not https', async () => {
	const sb = await sandbox();
	const hook = await receiver();
	const code = async (body, s = sb) => (await api(s, 'callback/set', body)).body.code;
	assert.equal(
		await code({ statusCallbackUrl: hook.url(), subjectId: 999 }),
		'error-subject-unknown',
	);
	assert.equal(
		await code({ statusCallbackUrl: hook.url(`/${'x'.repeat(500)}`) }),
		'error-callback-url-max-length',
	);
	assert.equal(await code({ subjectId: 101 }), 'url-not-specified');
	assert.equal(
		await code({ statusCallbackUrl: '', subjectId: 101 }),
		'url-not-specified',
		'an empty string is "not specified"',
	);
	const strict = await sandbox({ requireHttps: true });
	assert.equal(
		await code({ statusCallbackUrl: hook.url() }, strict),
		'error-callback-url-not-https',
	);
});

test('status webhooks SENT → DELIVERED → READ, in order, with the requestId, Token key and every fixture field', async () => {
	const sb = await sandbox({ sessionWindow: false });
	const hook = await receiver();
	await api(sb, 'callback/set', { statusCallbackUrl: hook.url() });
	await api(sb, 'cascade/schedule', textSend('status-order', 'hello', { comment: 'order-7' }));
	await hook.next((h) => h.body.status === 'READ');
	assert.deepEqual(statusesOf(hook, 'status-order'), ['SENT', 'DELIVERED', 'READ']);
	const shape = Object.keys(fixtureBody('messageStatus', 'delivered'));
	for (const h of hook.received) {
		assert.equal(h.headers.authorization, `Token ${WEBHOOK_KEY}`);
		assert.equal(h.headers['content-type'], 'application/json');
		assert.deepEqual(Object.keys(h.body), shape);
		assert.equal(h.body.cascadeId, 201);
		assert.equal(h.body.cascadeStageUUID, '201-001-101');
		assert.equal(h.body.subjectId, 101);
		assert.equal(h.body.subject, 'sandbox_wa');
		assert.equal(h.body.comment, 'order-7');
		assert.equal(h.body.paymentData.type, 'WHATSAPP_CONVERSATION');
	}
	const sentId = hook.received[0].body.messageId;
	assert.ok(hook.received.every((h) => h.body.messageId === sentId));
});

test('v1 sends: the messageId is the requestId of the status webhooks; no cascade', async () => {
	const sb = await sandbox();
	const hook = await receiver();
	await api(sb, 'callback/set', { statusCallbackUrl: hook.url(), subjectId: 101 });
	const res = await api(sb, 'v1/out-messages/whatsapp/template', {
		messageId: 'v1-status',
		sender: 'sandbox_wa',
		phone: PHONE,
		templateId: 302,
		textVariables: ['A'],
		buttonVariables: ['B'],
	});
	const read = await hook.next((h) => h.body.status === 'READ');
	assert.deepEqual(statusesOf(hook, 'v1-status'), ['SENT', 'DELIVERED', 'READ']);
	assert.equal(read.body.messageId, res.body.outMessageId);
	assert.equal(read.body.cascadeId, null);
	assert.equal(read.body.paymentData.conversationType, 'utility');
});

test("a channel's own URL wins over the all-channels URL", async () => {
	const sb = await sandbox({ sessionWindow: false });
	const all = await receiver();
	const sms = await receiver();
	await api(sb, 'callback/set', { statusCallbackUrl: all.url() });
	await api(sb, 'callback/set', { statusCallbackUrl: sms.url(), subjectId: 103 });
	await api(sb, 'cascade/schedule', {
		...textSend('route-sms'),
		cascadeId: 203,
		content: { smsContent: { text: 'sms' } },
	});
	await api(sb, 'cascade/schedule', textSend('route-wa'));
	await sms.next((h) => h.body.status === 'READ');
	await all.next((h) => h.body.status === 'READ');
	assert.deepEqual(statusesOf(sms, 'route-sms'), ['SENT', 'DELIVERED', 'READ']);
	assert.deepEqual(statusesOf(all, 'route-wa'), ['SENT', 'DELIVERED', 'READ']);
	assert.equal(sms.received[0].body.paymentData, null, 'paymentData only for WhatsApp');
});

test('any answer but 200 is retried after 4, 128 and 2048 s (scaled), then given up', async () => {
	const sb = await sandbox({ speed: 1000, sessionWindow: false });
	const hook = await receiver({ answer: (h) => (h.body.status === 'SENT' ? 503 : 200) });
	sb.webhooks.register({ field: 'statusCallbackUrl', url: hook.url() });
	await api(sb, 'cascade/schedule', textSend('retry-1'));
	const last = await sb.record.waitForWebhook((e) => e.body.status === 'SENT' && e.attempt === 4, {
		timeoutMs: 20_000,
	});
	const attempts = sb.record
		.webhooks({ kind: 'messageStatus' })
		.filter((e) => e.body.status === 'SENT');
	assert.deepEqual(
		attempts.map((e) => [e.attempt, e.status]),
		[
			[1, 503],
			[2, 503],
			[3, 503],
			[4, 503],
		],
	);
	const gaps = attempts.slice(1).map((e, i) => Date.parse(e.at) - Date.parse(attempts[i].at));
	assert.ok(gaps[1] >= 128 && gaps[2] >= 2048, `gaps ${gaps} follow 4/128/2048 s at speed 1000`);
	assert.equal(last.url, hook.url());
	// statuses go on while SENT is being retried
	assert.deepEqual(
		statusesOf(hook, 'retry-1').filter((s) => s !== 'SENT'),
		['DELIVERED', 'READ'],
	);
});

test('a retried webhook carries the identical body', async () => {
	const sb = await sandbox({ sessionWindow: false });
	const hook = await receiver({ answer: (h, n) => (n === 1 ? 500 : 200) });
	sb.webhooks.register({ field: 'statusCallbackUrl', url: hook.url() });
	await api(sb, 'cascade/schedule', textSend('retry-2'));
	await sb.record.waitForWebhook((e) => e.attempt === 2);
	const [first, second] = sb.record.webhooks().filter((e) => e.body.status === 'SENT');
	assert.deepEqual(second.body, first.body);
	assert.deepEqual([first.status, second.status], [500, 200]);
});

test('the same content to the same phone within 20 minutes is CANCELLED (duplicate-message)', async () => {
	const sb = await sandbox({ sessionWindow: false });
	const hook = await receiver();
	sb.webhooks.register({ field: 'statusCallbackUrl', url: hook.url() });
	await api(sb, 'cascade/schedule', textSend('dup-1', 'Your code is 1234'));
	const second = await api(sb, 'cascade/schedule', textSend('dup-2', 'Your code is 1234'));
	assert.equal(second.status, 200, 'accepted, then cancelled');
	await api(sb, 'cascade/schedule', textSend('dup-3', 'Your code is 5678'));
	const cancelled = await hook.next((h) => h.body.requestId === 'dup-2');
	assert.equal(cancelled.body.status, 'CANCELLED');
	assert.equal(cancelled.body.error, 'duplicate-message');
	await hook.next((h) => h.body.requestId === 'dup-1' && h.body.status === 'READ');
	await hook.next((h) => h.body.requestId === 'dup-3' && h.body.status === 'READ');
	assert.deepEqual(statusesOf(hook, 'dup-2'), ['CANCELLED']);
	// 20 edna minutes at speed 10 000 are 120 ms: after them the same text goes out again
	await new Promise((resolve) => setTimeout(resolve, 150));
	await api(sb, 'cascade/schedule', textSend('dup-4', 'Your code is 1234'));
	const later = await hook.next((h) => h.body.requestId === 'dup-4');
	assert.equal(later.body.status, 'SENT');
});

test('failureRate: deterministic share of failures, alternately UNDELIVERED after SENT and FAILED', async () => {
	const sb = await sandbox({ failureRate: 0.5, sessionWindow: false });
	const hook = await receiver();
	sb.webhooks.register({ field: 'statusCallbackUrl', url: hook.url() });
	for (const n of [1, 2, 3, 4]) await api(sb, 'cascade/schedule', textSend(`fail-${n}`));
	for (const n of [1, 3])
		await hook.next((h) => h.body.requestId === `fail-${n}` && h.body.status === 'READ');
	await hook.next((h) => h.body.requestId === 'fail-2' && h.body.status === 'UNDELIVERED');
	await hook.next((h) => h.body.requestId === 'fail-4' && h.body.status === 'FAILED');
	assert.deepEqual(statusesOf(hook, 'fail-2'), ['SENT', 'UNDELIVERED']);
	assert.deepEqual(statusesOf(hook, 'fail-4'), ['FAILED']);
	assert.equal(
		hook.received.find((h) => h.body.requestId === 'fail-2' && h.body.status === 'UNDELIVERED').body
			.error,
		'user-blocked',
	);
});

test('24 h window: free-form WhatsApp fails until the customer writes; templates go through; a cascade falls through to SMS', async () => {
	const sb = await sandbox();
	const hook = await receiver();
	sb.webhooks.register({ field: 'statusCallbackUrl', url: hook.url() });
	await api(sb, 'cascade/schedule', textSend('window-closed', 'Free text'));
	const closed = await hook.next((h) => h.body.requestId === 'window-closed');
	assert.deepEqual([closed.body.status, closed.body.error], ['FAILED', 'outside-session-window']);
	// text matching an approved template is a template message (edna matches content to templates)
	await api(
		sb,
		'cascade/schedule',
		textSend('window-template', 'Hi Alex, your parcel is ready. Track it below.'),
	);
	await hook.next((h) => h.body.requestId === 'window-template' && h.body.status === 'READ');
	await api(sb, 'cascade/schedule', {
		...textSend('window-fallback', 'Free text 2'),
		cascadeId: 204,
		content: {
			whatsappContent: { contentType: 'TEXT', text: 'Free text 2' },
			smsContent: { text: 'Free text 2' },
		},
	});
	await hook.next((h) => h.body.requestId === 'window-fallback' && h.body.status === 'READ');
	const fallback = hook.received
		.filter((h) => h.body.requestId === 'window-fallback')
		.map((h) => [h.body.status, h.body.subjectId, h.body.cascadeStageUUID]);
	assert.deepEqual(fallback, [
		['FAILED', 101, '204-001-101'],
		['SENT', 103, '204-002-103'],
		['DELIVERED', 103, '204-002-103'],
		['READ', 103, '204-002-103'],
	]);
	await sb.customer.send({ phone: PHONE, text: 'hi' });
	await api(sb, 'cascade/schedule', textSend('window-open', 'Free text 3'));
	await hook.next((h) => h.body.requestId === 'window-open' && h.body.status === 'READ');
});

test('a customer message written secondsAgo: its time in the webhook and history is that far back, and the window counts from it', async () => {
	const sb = await sandbox();
	const hook = await receiver();
	sb.webhooks.register({ field: 'statusCallbackUrl', url: hook.url() });
	const before = Date.now();
	const { body } = await sb.customer.send({ phone: PHONE, text: 'yesterday', secondsAgo: 25 * 3600 });
	const hoursBack = (before - Date.parse(body.receivedAt)) / 3_600_000;
	assert.ok(hoursBack > 24.9 && hoursBack < 25.1, `receivedAt ${body.receivedAt}`);
	const history = await api(sb, 'messages/history', { subscriberFilter: { address: PHONE, type: 'PHONE' }, direction: 'IN' });
	assert.deepEqual(history.body.content.map((m) => m.createdAt), [body.receivedAt]);
	await api(sb, 'cascade/schedule', textSend('window-old', 'Free text'));
	const closed = await hook.next((h) => h.body.requestId === 'window-old');
	assert.deepEqual([closed.body.status, closed.body.error], ['FAILED', 'outside-session-window']);
	await sb.customer.send({ phone: PHONE, text: 'an hour ago', secondsAgo: 3600 });
	await api(sb, 'cascade/schedule', textSend('window-recent', 'Free text 2'));
	await hook.next((h) => h.body.requestId === 'window-recent' && h.body.status === 'READ');
	await assert.rejects(sb.customer.send({ phone: PHONE, text: 'x', secondsAgo: -1 }), /secondsAgo must be a number of seconds >= 0/);
});

test('webhooks from the config (all five kinds, per channel) need no HEAD; an empty webhook key sends no Authorization', async () => {
	const hook = await receiver({ headStatus: 404 });
	const sb = await sandbox({
		webhookKey: '',
		sessionWindow: false,
		webhooks: {
			...allWebhooks(hook.url('/all')),
			channels: { 101: { statusCallbackUrl: hook.url('/wa') } },
		},
	});
	assert.equal(sb.webhooks.list().length, 6);
	await api(sb, 'cascade/schedule', textSend('config-1'));
	const sent = await hook.next((h) => h.body.requestId === 'config-1');
	assert.equal(sent.url, '/wa');
	assert.equal(sent.headers.authorization, undefined);
});
