// The record (requests with their answers, webhook attempts with theirs; keys redacted), the state,
// reset, faults, and that stop() leaves nothing running.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../../sandbox/index.mjs';
import {
	MASTER,
	PHONE,
	WEBHOOK_KEY,
	api,
	receiver,
	sandbox,
	sandboxPost,
	textSend,
} from './helpers.mjs';

test('every API request is recorded with method, path, body, answer; the API key is redacted', async () => {
	const sb = await sandbox();
	await api(sb, 'cascade/schedule', textSend('record-1'));
	await api(sb, 'channel-profile?types=SMS');
	const [send, list] = sb.record.requests();
	assert.deepEqual(
		[send.method, send.path, send.status, send.answer],
		['POST', 'cascade/schedule', 200, { requestId: 'record-1' }],
	);
	assert.equal(send.body.requestId, 'record-1');
	assert.equal(send.headers['x-api-key'], '[REDACTED]');
	assert.deepEqual(
		[list.method, list.path, list.query],
		['GET', 'channel-profile', { types: 'SMS' }],
	);
	const overHttp = await (await fetch(`${sb.url}/sandbox/record`)).text();
	assert.ok(overHttp.includes('record-1'));
	assert.ok(!overHttp.includes(MASTER), 'no API key in the record');
});

test('every webhook attempt is recorded with url, body, attempt, answer status; the webhook key is redacted', async () => {
	const hook = await receiver({ answer: (h, n) => (n === 1 ? 500 : 200) });
	const sb = await sandbox({ sessionWindow: false });
	sb.webhooks.register({ field: 'statusCallbackUrl', url: hook.url() });
	await api(sb, 'cascade/schedule', textSend('record-2'));
	await sb.record.waitForWebhook((e) => e.body.status === 'READ');
	await sb.record.waitForWebhook((e) => e.attempt === 2);
	const sent = sb.record
		.webhooks({ kind: 'messageStatus' })
		.filter((e) => e.body.status === 'SENT');
	assert.deepEqual(
		sent.map((e) => [e.attempt, e.status, e.url]),
		[
			[1, 500, hook.url()],
			[2, 200, hook.url()],
		],
	);
	assert.equal(sent[0].headers.authorization, 'Token [REDACTED]');
	assert.ok(sent[0].at && typeof sent[0].ms === 'number');
	const all = await (await fetch(`${sb.url}/sandbox/record`)).text();
	assert.ok(!all.includes(WEBHOOK_KEY), 'no webhook key in the record');
	const since = sb.record.all().at(-2).seq;
	const tail = await (await fetch(`${sb.url}/sandbox/record?since=${since}`)).json();
	assert.equal(tail.length, 1);
});

test('GET /sandbox/state: conversations per phone with statuses; POST /sandbox/reset restores the seed', async () => {
	const sb = await sandbox({ sessionWindow: false });
	await api(sb, 'cascade/schedule', textSend('state-1'));
	await sb.customer.send({ phone: PHONE, text: 'thanks' });
	await sb.templates.setStatus(305, 'REJECTED');
	const state = await (await fetch(`${sb.url}/sandbox/state`)).json();
	const chat = state.conversations.find((c) => c.phone === PHONE);
	assert.deepEqual(
		chat.messages.map((m) => m.direction),
		['out', 'in'],
	);
	assert.equal(state.templates.find((t) => t.id === 305).status, 'REJECTED');
	assert.ok(state.version > 0);
	assert.equal((await sandboxPost(sb, '/sandbox/reset')).status, 200);
	const fresh = sb.state();
	assert.ok(fresh.conversations.every((c) => c.messages.length === 0));
	assert.equal(fresh.templates.find((t) => t.id === 305).status, 'PENDING');
	assert.deepEqual(sb.record.all(), []);
	const again = await api(sb, 'cascade/schedule', textSend('state-1'));
	assert.equal(again.status, 200, 'requestIds are free again after reset');
});

test('faults: the next request answers 429 or 500, before or after accepting the send', async () => {
	const sb = await sandbox();
	sb.faults.add({ path: 'cascade/schedule', status: 429 });
	const limited = await api(sb, 'cascade/schedule', textSend('fault-1'));
	assert.deepEqual(limited.body, {
		title: 'too-many-requests',
		status: 429,
		detail: 'Too many requests. Try again later.',
	});
	assert.equal(sb.account.outMessages.length, 0, 'not accepted');
	const res = await sandboxPost(sb, '/sandbox/faults', {
		path: 'cascade/schedule',
		status: 500,
		afterAccept: true,
	});
	assert.equal(res.status, 200);
	const broken = await api(sb, 'cascade/schedule', textSend('fault-2'));
	assert.equal(broken.status, 500);
	assert.equal(broken.body.title, 'system-error');
	assert.equal(sb.account.outMessages.length, 1, 'accepted although the caller heard 500');
	const retry = await api(sb, 'cascade/schedule', textSend('fault-2'));
	assert.equal(retry.body.title, 'requestId-is-not-unique');
	assert.equal((await sandboxPost(sb, '/sandbox/faults', { path: 'x', status: 418 })).status, 400);
});

test('the conversation page and its script are served at / and /app.js', async () => {
	const sb = await sandbox();
	const page = await fetch(sb.url);
	assert.equal(page.status, 200);
	assert.match(page.headers.get('content-type'), /text\/html/);
	assert.match(await page.text(), /data-testid="composer"/);
	assert.equal((await fetch(`${sb.url}/app.js`)).status, 200);
	assert.equal((await fetch(`${sb.url}/nothing`)).status, 404);
});

test('stop() closes the server and clears every timer, even with webhooks still retrying', async () => {
	const sb = await start({ speed: 1, sessionWindow: false });
	sb.webhooks.register({ field: 'statusCallbackUrl', url: 'http://127.0.0.1:1/closed' });
	await api(sb, 'cascade/schedule', textSend('stop-1'));
	const keepAlive = fetch(`${sb.url}/sandbox/state`, { keepalive: true });
	await keepAlive;
	await sb.stop();
	await assert.rejects(fetch(`${sb.url}/sandbox/state`));
	// node:test would report this file as hanging if a timer or socket were left behind
});
