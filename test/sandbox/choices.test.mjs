// The answers the sandbox chooses for requests edna's docs leave open, as lib/choices.mjs decides
// them and the sandbox README lists them ("Choices where edna's docs are silent").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PHONE, WA_ONLY, allWebhooks, api, receiver, sandbox, textSend } from './helpers.mjs';

const hook = await receiver();
const sb = await sandbox({ webhooks: allWebhooks(hook.url()), sessionWindow: false });
let n = 0;
const id = (what) => `choices-${what}-${++n}`;
/** Tests that wait for a webhook fail instead of waiting for ever. */
const waits = { timeout: 10_000 };

test('a body that is not a JSON object: 400 request-body-not-readable', async () => {
	for (const raw of ['{"requestId":', 'not json', '[1]', '42']) {
		const res = await api(sb, 'cascade/schedule', undefined, { method: 'POST', raw });
		assert.equal(res.status, 400, raw);
		assert.equal(res.body.title, 'request-body-not-readable', raw);
	}
});

test('a subscriberFilter without type is read as a phone', async () => {
	const res = await api(
		sb,
		'cascade/schedule',
		textSend(id('no-type'), 'no type', { subscriberFilter: { address: PHONE } }),
	);
	assert.equal(res.status, 200, JSON.stringify(res.body));
	assert.equal(sb.account.outMessages.at(-1).address, PHONE);
});

test('a phone with spaces is accepted and kept as sent, less a leading +', async () => {
	const requestId = id('spaces');
	const res = await api(
		sb,
		'cascade/schedule',
		textSend(requestId, 'spaces', {
			subscriberFilter: { address: '+357 9000 0100', type: 'PHONE' },
		}),
	);
	assert.equal(res.status, 200);
	assert.equal(
		sb.account.outMessages.find((m) => m.requestId === requestId).address,
		'357 9000 0100',
	);
});

test('a startTime in the past is accepted and sends at once', waits, async () => {
	const requestId = id('past');
	const res = await api(
		sb,
		'cascade/schedule',
		textSend(requestId, 'past', { startTime: '2001-01-01T00:00:00Z' }),
	);
	assert.equal(res.status, 200);
	await hook.next((h) => h.body.requestId === requestId && h.body.status === 'SENT');
});

test(
	'a numeric requestId is used as a string, in the answer and the status webhooks',
	waits,
	async () => {
		const requestId = 700_000 + ++n;
		const res = await api(sb, 'cascade/schedule', textSend(requestId, 'numeric id'));
		assert.deepEqual(res, { status: 200, body: { requestId: String(requestId) } });
		const sent = await hook.next(
			(h) => h.body.requestId === String(requestId) && h.body.status === 'SENT',
		);
		assert.equal(typeof sent.body.requestId, 'string');
		const again = await api(sb, 'cascade/schedule', textSend(String(requestId), 'numeric id 2'));
		assert.equal(again.body.title, 'requestId-is-not-unique');
	},
);

test('a refused request does not take its requestId', async () => {
	const requestId = id('refused');
	const refused = await api(sb, 'cascade/schedule', textSend(requestId, 'x', { cascadeId: 999 }));
	assert.equal(refused.body.title, 'cascade-not-found');
	const ok = await api(sb, 'cascade/schedule', textSend(requestId, 'refused first'));
	assert.equal(ok.status, 200);
	const third = await api(sb, 'cascade/schedule', textSend(requestId, 'refused first, then sent'));
	assert.equal(third.body.title, 'requestId-is-not-unique');
});

const viberTemplate = (extra) => ({
	sender: 'sandbox_viber',
	phone: PHONE,
	templateId: 307,
	textVariables: ['Alex'],
	...extra,
});

test('v1: an unreadable sendDelay is ignored; a readable one delays', waits, async () => {
	const soon = await api(
		sb,
		'v1/out-messages/viber/template',
		viberTemplate({ messageId: id('delay-soon'), options: { sendDelay: 'soon' } }),
	);
	assert.equal(soon.status, 200, JSON.stringify(soon.body));
	await hook.next((h) => h.body.requestId === soon.body.messageId && h.body.status === 'SENT');
	const later = await api(
		sb,
		'v1/out-messages/viber/template',
		viberTemplate({ messageId: id('delay-day'), options: { sendDelay: 'P1000D' } }),
	);
	assert.equal(later.status, 200);
	assert.deepEqual(
		sb.account.outMessages.find((m) => m.v1MessageId === later.body.messageId).statuses,
		[],
		'a thousand edna days from now: no status yet',
	);
});

test('v1 Viber: headerVariables and buttonVariables are ignored, not refused', async () => {
	const res = await api(
		sb,
		'v1/out-messages/viber/template',
		viberTemplate({ headerVariables: ['x'], buttonVariables: ['y', 'z'] }),
	);
	assert.equal(res.status, 200, JSON.stringify(res.body));
});

test('channel-profile?types=: any case, several comma-separated values, unknown lists nothing', async () => {
	const types = async (q) =>
		(await api(sb, `channel-profile?types=${encodeURIComponent(q)}`)).body.map((c) => c.type);
	assert.deepEqual(await types('whatsapp'), ['WHATSAPP', 'WHATSAPP']);
	assert.deepEqual(await types('SMS,WHATSAPP'), ['WHATSAPP', 'SMS', 'WHATSAPP']);
	assert.deepEqual(await types('sms, Viber'), ['VIBER', 'SMS']);
	assert.deepEqual(await types('FAX'), []);
});

test('template look-ups: subjectId as a string works, unknown lists nothing, 403 for a restricted key', async () => {
	const ids = async (subjectId, key) =>
		api(sb, 'message-matchers/get-by-request', { subjectId }, key && { key });
	const asString = await ids('101');
	assert.equal(asString.status, 200);
	assert.ok(asString.body.some((t) => t.id === 301));
	for (const unknown of [999, '999', 'abc']) {
		assert.deepEqual(await ids(unknown), { status: 200, body: [] }, String(unknown));
		assert.equal((await ids(unknown, WA_ONLY)).status, 403, String(unknown));
	}
});

test('a TEXT with an attachment still needs its text', async () => {
	const res = await api(sb, 'cascade/schedule', {
		...textSend(id('attachment-no-text')),
		content: {
			whatsappContent: {
				contentType: 'TEXT',
				attachment: { url: 'https://files.example.com/map.jpg', name: 'Map' },
			},
		},
	});
	assert.equal(res.body.title, 'text-not-specified');
});
