// Part 3 of `npm run test:ui`: the conversation page of the sandbox that `npm start` runs, used as a
// newcomer uses it (write "hello", the auto-reply example answers).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { REPO_ROOT } from '../lib/n8n/index.mjs';
import { ACTION_TYPE, check, exactly, log, settle, testid } from './common.mjs';
import { edges, shoot } from './report.mjs';

/** The reply the auto-reply example sends, as the example says it. */
async function autoReplyText() {
	const example = JSON.parse(
		await readFile(path.join(REPO_ROOT, 'examples', 'auto-reply-whatsapp.json'), 'utf8'),
	);
	const reply = example.nodes.find(
		(n) => n.type === ACTION_TYPE && n.parameters?.operation === 'reply',
	);
	check(reply?.parameters?.text, 'examples/auto-reply-whatsapp.json has no Reply with a text');
	return { workflow: example.name, text: reply.parameters.text };
}

export async function conversation(page, started, recorder) {
	const example = await autoReplyText();
	const incoming = started.registered.inMessageCallbackUrl ?? '';
	check(
		incoming.startsWith(example.workflow) && incoming.endsWith('(callback/set)'),
		`npm start did not register "${example.workflow}" for incoming messages: ${incoming || 'no line'}`,
	);
	// Smaller than the editor's window: the chat, not empty space, fills the picture.
	await page.setViewportSize({ width: 1200, height: 640 });
	await page.goto(`${started.sandboxUrl}/`);
	// The page opens the first customer's chat; the composer sends on the first WhatsApp channel.
	const phone = page.locator(`${testid('phone-item')}[aria-current="true"]`);
	await phone.waitFor();
	const channel = await page
		.locator(testid('channel-select'))
		.locator('option:checked')
		.innerText();
	check(/^whatsapp · /.test(channel), `the composer sends on "${channel}", not a WhatsApp channel`);
	const chat = page.locator(testid('chat'));
	const messages = chat.locator(testid('message'));
	const before = await messages.count();

	await recorder?.start(page, 'conversation');
	recorder?.mark(page, 'typing');
	const composer = page.locator(testid('composer-input'));
	// A recording shows the customer typing; otherwise the text is filled in at once.
	if (recorder) await composer.pressSequentially('hello', { delay: 90 });
	else await composer.fill('hello');
	await page.locator(testid('send')).click();
	const mine = messages.filter({
		has: page.locator(testid('message-text'), { hasText: exactly('hello') }),
	});
	await mine.and(page.locator('[data-direction="in"]')).waitFor({ timeout: 10_000 });
	await page
		.locator(testid('notice'))
		.filter({ hasText: 'webhook answered 200' })
		.waitFor({ timeout: 10_000 });
	log(
		`  ${(await phone.innerText()).trim()} wrote "hello" on ${channel}; the trigger answered 200`,
	);

	// The example's reply, sent by the edna Pulse node through the sandbox, then edna's statuses.
	const reply = messages
		.and(page.locator('[data-direction="out"]'))
		.filter({ has: page.locator(testid('message-text'), { hasText: exactly(example.text) }) });
	await reply.waitFor({ timeout: 30_000 }).catch(async () => {
		const chatText = (await chat.innerText()).replace(/\s+/g, ' ');
		check(false, `no business message "${example.text}" within 30 s; the chat shows: ${chatText}`);
	});
	check(
		(await messages.count()) === before + 2,
		`expected "hello" and one reply, the chat has ${await messages.count()} messages`,
	);
	log('  the auto-reply appeared as a business message');
	const ticks = reply.locator(testid('ticks'));
	const seen = new Set();
	await settle(
		async () => {
			const status = await ticks.getAttribute('data-status');
			seen.add(status);
			return status;
		},
		(status) => status === 'READ',
		(status) => `the reply's ticks show ${status} (seen: ${[...seen].join(' → ')}), not READ`,
		30_000,
	);
	recorder?.mark(page, 'read');
	log(`  its ticks: ${[...seen].join(' → ')}`);
	await shoot(page, 'sandbox-conversation.png', await edges(page.locator('body')));
	await recorder?.stop(page);
}
