// Where the sandbox follows edna's documentation to the letter: cascade/get-all nests each fallback
// stage inside the stage before it (http://docs-pulse.edna.io/docs/api/cascades/get-cascades), and
// an attachment's name is required and at most 70 characters whatever the content type
// (http://docs-pulse.edna.io/docs/api/messages/errorcodes), a TEXT with an image included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, sandbox, textSend } from './helpers.mjs';

const seed = JSON.parse(
	readFileSync(path.join(import.meta.dirname, '..', '..', 'sandbox', 'seed.json'), 'utf8'),
);
seed.cascades.push({
	id: 299,
	name: 'WhatsApp, then Viber, then SMS',
	status: 'ACTIVE',
	stages: [101, 102, 103],
	ttl: '00:01:00',
});
const sb = await sandbox({ seed });

test('cascade/get-all: each fallback stage is nested in the one before, not listed beside it', async () => {
	const { body } = await api(sb, 'cascade/get-all', {});
	const three = body.find((c) => c.id === 299);
	assert.equal(three.stagesCount, '3');
	assert.equal(three.stages.length, 1, 'one stage at the top');
	const [first] = three.stages;
	assert.equal(first.stages.length, 1);
	const [second] = first.stages;
	assert.equal(second.stages.length, 1);
	const [third] = second.stages;
	assert.deepEqual(
		[first, second, third].map((s) => [s.order, s.subject.id, s.subject.type, s.uuid]),
		[
			[1, 101, 'WHATSAPP', '299-001-101'],
			[2, 102, 'VIBER', '299-002-102'],
			[3, 103, 'SMS', '299-003-103'],
		],
	);
	assert.deepEqual(first.decision, { type: 'TTL', ttl: '00:01:00' });
	assert.deepEqual(second.decision, { type: 'TTL', ttl: '00:01:00' });
	assert.equal(third.decision, null);
	assert.deepEqual(third.stages, [], 'the last stage has no nested stage');
	const single = body.find((c) => c.id === 201);
	assert.equal(single.stages.length, 1);
	assert.deepEqual(single.stages[0].stages, []);
});

const textWith = (requestId, attachment) => ({
	...textSend(requestId),
	content: { whatsappContent: { contentType: 'TEXT', text: 'Our shop', attachment } },
});

test('a TEXT with an attachment without a name: attachmentName-not-specified', async () => {
	for (const [i, name] of [undefined, '', '  ', null].entries()) {
		const res = await api(
			sb,
			'cascade/schedule',
			textWith(`no-name-${i}`, { url: 'https://files.example.com/map.jpg', name }),
		);
		assert.equal(res.status, 400, JSON.stringify(name));
		assert.equal(res.body.title, 'attachmentName-not-specified');
	}
});

test('a TEXT with an attachment name over 70 characters: attachmentName-is-too-long', async () => {
	const res = await api(
		sb,
		'cascade/schedule',
		textWith('long-name', { url: 'https://files.example.com/map.jpg', name: 'n'.repeat(71) }),
	);
	assert.equal(res.status, 400);
	assert.equal(res.body.title, 'attachmentName-is-too-long');
	assert.match(res.body.detail, /70/);
});

test('a TEXT with an attachment named in 70 characters is accepted; a TEXT without one too', async () => {
	const named = await api(
		sb,
		'cascade/schedule',
		textWith('name-70', { url: 'https://files.example.com/map.jpg', name: 'n'.repeat(70) }),
	);
	assert.equal(named.status, 200, JSON.stringify(named.body));
	const plain = await api(sb, 'cascade/schedule', textSend('plain-text', 'no attachment'));
	assert.equal(plain.status, 200);
});

test('the same rules on a Viber TEXT', async () => {
	const res = await api(sb, 'cascade/schedule', {
		...textSend('viber-image'),
		cascadeId: 202,
		content: {
			viberContent: {
				contentType: 'TEXT',
				text: 'Our shop',
				attachment: { url: 'https://files.example.com/map.jpg' },
			},
		},
	});
	assert.equal(res.status, 400);
	assert.equal(res.body.title, 'attachmentName-not-specified');
});
