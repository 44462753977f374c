// POST v1/out-messages/{whatsapp,viber}/template (docs/edna-api.md §2.2): the v1 codes and answer of choices.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PHONE, api, sandbox } from './helpers.mjs';

const sb = await sandbox();
const WA = 'v1/out-messages/whatsapp/template';
const order = (extra = {}) => ({
	sender: 'sandbox_wa',
	phone: PHONE,
	templateId: 301,
	textVariables: ['Alex', 'A-1001'],
	headerVariables: ['A-1001'],
	...extra,
});

async function rejects(path, body, title, detail) {
	const res = await api(sb, path, body);
	assert.equal(res.status, 400, JSON.stringify(res.body));
	assert.deepEqual(Object.keys(res.body), ['title', 'status', 'detail']);
	assert.equal(res.body.title, title);
	if (detail) assert.match(res.body.detail, detail);
}

test('a valid send answers {messageId, outMessageId} with the messageId sent', async () => {
	const res = await api(
		sb,
		WA,
		order({ messageId: '01987f4a-069e-730e-bf59-cedc1e63349', options: { comment: 'c-1' } }),
	);
	assert.equal(res.status, 200);
	assert.equal(res.body.messageId, '01987f4a-069e-730e-bf59-cedc1e63349');
	assert.equal(typeof res.body.outMessageId, 'number');
});

test('without messageId the sandbox generates one', async () => {
	const res = await api(sb, WA, order());
	assert.match(res.body.messageId, /^[0-9a-f-]{36}$/);
});

test('messageId-is-not-unique, detail starting "Duplicate messageId"', async () => {
	await api(sb, WA, order({ messageId: 'v1-twice' }));
	await rejects(
		WA,
		order({ messageId: 'v1-twice' }),
		'messageId-is-not-unique',
		/^Duplicate messageId/,
	);
});

test('sender-not-found: unknown, inactive, or a channel of the other type', async () => {
	await rejects(WA, order({ sender: 'nobody' }), 'sender-not-found');
	await rejects(WA, order({ sender: 'sandbox_wa_pending' }), 'sender-not-found');
	await rejects(WA, order({ sender: 'sandbox_viber' }), 'sender-not-found');
});

test('phone-not-specified', () => rejects(WA, order({ phone: undefined }), 'phone-not-specified'));

test('template-not-found: unknown id, or a template of another channel', async () => {
	await rejects(WA, order({ templateId: 999 }), 'template-not-found');
	await rejects(WA, order({ templateId: 307 }), 'template-not-found');
});

test('template-not-approved: PENDING and locked templates', async () => {
	await rejects(
		WA,
		order({ templateId: 305, textVariables: ['A'] }),
		'template-not-approved',
		/PENDING/,
	);
	await rejects(
		WA,
		order({ templateId: 306, textVariables: [] }),
		'template-not-approved',
		/locked/,
	);
});

test('template-variables-mismatch: body, header and dynamic URL button counts, and empty values', async () => {
	await rejects(
		WA,
		order({ textVariables: ['Alex'] }),
		'template-variables-mismatch',
		/textVariables/,
	);
	await rejects(WA, order({ textVariables: ['Alex', ''] }), 'template-variables-mismatch');
	await rejects(
		WA,
		order({ headerVariables: [] }),
		'template-variables-mismatch',
		/headerVariables/,
	);
	await rejects(
		WA,
		{ sender: 'sandbox_wa', phone: PHONE, templateId: 302, textVariables: ['Alex'] },
		'template-variables-mismatch',
		/buttonVariables/,
	);
	await rejects(
		WA,
		{
			sender: 'sandbox_wa',
			phone: PHONE,
			templateId: 302,
			textVariables: ['Alex'],
			buttonVariables: ['a', 'b'],
		},
		'template-variables-mismatch',
	);
});

test('attachment-required for media-header templates (DOCUMENT, IMAGE)', async () => {
	await rejects(
		WA,
		{ sender: 'sandbox_wa', phone: PHONE, templateId: 303, textVariables: ['INV-1'] },
		'attachment-required',
		/DOCUMENT/,
	);
	await rejects(
		WA,
		{
			sender: 'sandbox_wa',
			phone: PHONE,
			templateId: 304,
			textVariables: ['20%'],
			attachment: { name: 'x' },
		},
		'attachment-required',
	);
	const ok = await api(sb, WA, {
		sender: 'sandbox_wa',
		phone: PHONE,
		templateId: 303,
		textVariables: ['INV-1'],
		attachment: { url: 'https://x/inv.pdf', name: 'invoice' },
	});
	assert.equal(ok.status, 200);
});

test('the sent message is the template with variables filled in: text, header, footer, buttons', async () => {
	const res = await api(sb, WA, {
		sender: 'sandbox_wa',
		phone: PHONE,
		templateId: 302,
		textVariables: ['Maria'],
		buttonVariables: ['A-77'],
	});
	const sent = sb
		.state()
		.conversations.find((c) => c.phone === PHONE)
		.messages.find((m) => m.requestId === res.body.messageId);
	assert.equal(sent.content.text, 'Hi Maria, your parcel is ready. Track it below.');
	assert.equal(sent.content.footer, 'edna Pulse sandbox shop');
	assert.deepEqual(
		sent.content.buttons.map((b) => b.url),
		['https://shop.example.com/track/A-77', 'https://shop.example.com/shops'],
	);
	const header = await api(sb, WA, order());
	const withHeader = sb
		.state()
		.conversations.find((c) => c.phone === PHONE)
		.messages.find((m) => m.requestId === header.body.messageId);
	assert.deepEqual(withHeader.content.header, { type: 'TEXT', text: 'Order A-1001' });
});

test('Viber template send', async () => {
	const res = await api(sb, 'v1/out-messages/viber/template', {
		sender: 'sandbox_viber',
		phone: '79090000000',
		templateId: 307,
		textVariables: ['Ann'],
		options: { comment: 'promotion' },
	});
	assert.equal(res.status, 200);
	await rejects(
		'v1/out-messages/viber/template',
		{ sender: 'sandbox_viber', phone: '79090000000', templateId: 301 },
		'template-not-found',
	);
});
