// X-API-KEY: 401 for a missing, unknown or expired key; 403 for an additional key outside its
// method groups or channels (docs/edna-api.md §1.3, choices.mjs); 404/405/400 of the API gateway.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPIRED, PHONE, WA_ONLY, api, sandbox, textSend } from './helpers.mjs';

const sb = await sandbox();
const UNAUTHORIZED = {
	title: 'unauthorized',
	status: 401,
	detail: 'Check the spelling and the expiration date of the API key',
};

test("missing, unknown and expired keys answer 401 with edna's detail", async () => {
	for (const key of [null, 'not-a-key', EXPIRED]) {
		const res = await api(sb, 'channel-profile', undefined, { key });
		assert.equal(res.status, 401, `key ${key}`);
		assert.deepEqual(res.body, UNAUTHORIZED);
	}
});

test('an additional key outside its method groups gets 403', async () => {
	for (const [path, body] of [
		['callback/set', { statusCallbackUrl: 'http://127.0.0.1:1/x', subjectId: 101 }],
		['messages/history', {}],
		['in-message/change-status', { id: 1, status: 'READ' }],
	]) {
		const res = await api(sb, path, body, { key: WA_ONLY });
		assert.equal(res.status, 403, path);
		assert.equal(res.body.title, 'forbidden');
		assert.match(res.body.detail, /^The API key has no access to method group/);
	}
});

test('an additional key outside its channels gets 403 on sends and template lists', async () => {
	const viberCascade = await api(
		sb,
		'cascade/schedule',
		{
			...textSend('auth-1'),
			cascadeId: 202,
			content: { viberContent: { contentType: 'TEXT', text: 'x' } },
		},
		{ key: WA_ONLY },
	);
	assert.equal(viberCascade.status, 403);
	assert.match(viberCascade.body.detail, /channel 102/);
	const twoStage = await api(
		sb,
		'cascade/schedule',
		{
			...textSend('auth-2'),
			cascadeId: 204,
			content: { whatsappContent: { contentType: 'TEXT', text: 'x' }, smsContent: { text: 'x' } },
		},
		{ key: WA_ONLY },
	);
	assert.equal(twoStage.status, 403, 'a cascade with one foreign stage is out of reach');
	const viberTemplate = await api(
		sb,
		'v1/out-messages/viber/template',
		{ sender: 'sandbox_viber', phone: PHONE, templateId: 307, textVariables: ['A'] },
		{ key: WA_ONLY },
	);
	assert.equal(viberTemplate.status, 403);
	const templates = await api(
		sb,
		'message-matchers/get-by-request',
		{ subjectId: 102 },
		{ key: WA_ONLY },
	);
	assert.equal(templates.status, 403);
});

test('an additional key works inside its scope and sees only its channels and cascades', async () => {
	const channels = await api(sb, 'channel-profile', undefined, { key: WA_ONLY });
	assert.equal(channels.status, 200);
	assert.deepEqual(
		channels.body.map((c) => c.subjectId),
		[101],
	);
	const cascades = await api(sb, 'cascade/get-all', {}, { key: WA_ONLY });
	assert.deepEqual(
		cascades.body.map((c) => c.id),
		[201, 205],
		'only cascades whose every stage is channel 101',
	);
	const send = await api(
		sb,
		'v1/out-messages/whatsapp/template',
		{
			sender: 'sandbox_wa',
			phone: PHONE,
			templateId: 302,
			textVariables: ['Alex'],
			buttonVariables: ['A-1'],
		},
		{ key: WA_ONLY },
	);
	assert.equal(send.status, 200);
});

test('unknown path 404, wrong method 405, body that is not JSON 400', async () => {
	assert.deepEqual((await api(sb, 'no/such/thing', {})).body, {
		title: 'not-found',
		status: 404,
		detail: 'Not found requested URL.',
	});
	const wrong = await api(sb, 'cascade/schedule', undefined, { method: 'GET' });
	assert.equal(wrong.status, 405);
	assert.equal(wrong.body.title, 'method-not-allowed');
	const broken = await api(sb, 'cascade/schedule', undefined, {
		method: 'POST',
		raw: '{"requestId":',
	});
	assert.equal(broken.status, 400);
	assert.equal(broken.body.title, 'request-body-not-readable');
});

test('the older KB path with a trailing slash works, and get-all takes an empty body', async () => {
	const res = await api(sb, 'cascade/get-all/', undefined, { method: 'POST', raw: '' });
	assert.equal(res.status, 200);
	assert.equal(res.body.length, 5);
});
