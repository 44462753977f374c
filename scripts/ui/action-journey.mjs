// Part 2 of `npm run test:ui`: the edna Pulse action node in n8n's editor, its pickers and template
// fields loaded from an edna sandbox, run with "Execute step".
import { ACTION_TYPE, PACKAGE, $, check, exactly, log, sameList, settle } from './common.mjs';
import { checkTypes, pickFromList, selectCredential, testCredential } from './editor.mjs';
import { edges, shoot } from './report.mjs';

const ACTION_NAME = 'Send a template message';
/** The sandbox's edna time runs this much faster: its statuses come within milliseconds. */
export const SANDBOX_SPEED = 1000;
/**
 * The template the action node sends (sandbox/seed.json, id 302): a body variable and a dynamic
 * link button, so both kinds of generated field are seen. Values differ from the seed's examples,
 * so what reaches the sandbox can only be what was typed.
 */
const TEMPLATE = {
	id: 302,
	label: 'track_parcel · en · UTILITY',
	fields: [
		{ key: 'body_1', label: 'Body {{1}} (e.g. Alex)', value: 'Alex', group: 'textVariables' },
		{
			key: 'button_1',
			label: 'Button 1 "Track parcel"',
			value: 'A-2002',
			group: 'buttonVariables',
		},
	],
};
/** A seed customer (Alex), typed as a user would; edna gets digits only. */
const RECIPIENT = { typed: '+357 9000 0100', sent: '35790000100' };
const TEMPLATE_SEND_PATH = 'v1/out-messages/whatsapp/template';

/** What the sandbox serves: the channels that can send, and its WhatsApp channel's templates. */
function sandboxAccount(sandbox) {
	const { channels, templates } = sandbox.account;
	const whatsapp = channels.find((c) => c.type === 'WHATSAPP' && c.active && c.subjectId);
	const label = (t) => `${t.name} · ${t.language} · ${t.category}`;
	const sendable = (t) => t.status === 'APPROVED' && t.locked !== true;
	const own = templates.filter((t) => t.subjectIds?.includes(whatsapp.subjectId));
	return {
		channels: channels.filter((c) => c.active && c.subjectId != null).map((c) => c.subject),
		whatsapp,
		sendable: own.filter(sendable).map(label),
		notSendable: own.filter((t) => !sendable(t)).map(label),
	};
}

/** A new workflow, "edna" in the node panel, the node's action Send a template message. */
async function addActionNode(page) {
	await page.goto('/workflow/new');
	await page.locator($('canvas-add-button')).waitFor({ timeout: 60_000 });
	await page.locator($('canvas-plus-button')).click();
	await page.locator($('node-creator-search-bar')).fill('edna');
	await page
		.locator($('node-creator-action-item'))
		.filter({ has: page.locator($('node-creator-item-name'), { hasText: exactly('edna Pulse') }) })
		.click();
	// An empty workflow's panel offers the node's triggers first and folds its actions away.
	await page
		.locator($('node-creator-category-item'))
		.filter({ hasText: /^\s*Actions \(\d+\)/ })
		.click();
	await page
		.locator(`${$('node-creator')} ${$('node-creator-item-name')}`)
		.filter({ hasText: exactly(ACTION_NAME) })
		.click();
	const ndv = page.locator($('ndv'));
	await ndv.waitFor();
	const title = await ndv.locator($('node-title-container')).innerText();
	check(title.trim() === ACTION_NAME, `node title: "${title}"`);
	const shown = async (parameter) =>
		page.locator(`${$(`parameter-input-${parameter}`)} input`).inputValue();
	const [resource, operation] = [await shown('resource'), await shown('operation')];
	check(
		resource === 'Message' && operation === 'Send Template',
		`the action gives Resource "${resource}", Operation "${operation}"`,
	);

	// The node's icon as the editor shows it, in the panel's header and on the canvas.
	const icon = `img[src*="/icons/${PACKAGE}/"]`;
	for (const [where, img] of [
		['panel header', ndv.locator(icon).first()],
		['canvas', page.locator($('canvas-node')).filter({ hasText: ACTION_NAME }).locator(icon)],
	]) {
		const src = await img.getAttribute('src');
		await page
			.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), {
				timeout: 10_000,
			})
			.catch(() => check(false, `the node's icon ${src} does not load (${where})`));
	}
	log(
		`  "${ACTION_NAME}" added: Message → Send Template; its icon loads in the panel and on the canvas`,
	);
	return ndv;
}

async function checkPickers(page, sandbox) {
	const account = sandboxAccount(sandbox);
	const subjectOf = (item) => item.replace(/ \(.*\)$/, '');
	const whatsapp = `${account.whatsapp.subject} (WhatsApp, ${account.whatsapp.channelAttribute})`;
	const channels = await pickFromList(page, 'channel', {
		ok: (list) => list.length === account.channels.length && list.includes(whatsapp),
		describe: (list) =>
			`Channel list: expected the sandbox's channels [${account.channels.join(', ')}] with "${whatsapp}", the editor shows [${list.join(', ')}]`,
		pick: whatsapp,
	});
	sameList(channels.map(subjectOf), account.channels, 'Channel list');
	check(
		sandbox.record.requests({ path: 'channel-profile' }).length > 0,
		'the Channel list was not loaded from the sandbox (no channel-profile request)',
	);
	log(`  Channel list from the sandbox: ${channels.join(', ')}; picked ${whatsapp}`);

	check(account.notSendable.length > 0, 'the seed has no pending or locked template to leave out');
	const templates = await pickFromList(page, 'template', {
		ok: (list) => list.length >= account.sendable.length,
		describe: (list) =>
			`Template list: expected [${account.sendable.join(', ')}], the editor shows [${list.join(', ')}]`,
		pick: TEMPLATE.label,
	});
	sameList(templates, account.sendable, 'Template list');
	const loaded = sandbox.record
		.requests({ path: 'message-matchers/get-by-request' })
		.some((r) => r.body?.subjectId === account.whatsapp.subjectId);
	check(
		loaded,
		`the Template list was not loaded from the sandbox for channel ${account.whatsapp.subjectId}`,
	);
	log(`  Template list: ${templates.join(', ')} (left out: ${account.notSendable.join(', ')})`);
}

/** The template's variable fields, generated by the node: their names, then the values typed in. */
async function fillVariables(page, ndv) {
	const labels = ndv.locator(`${$('mapping-fields-container')} label[for^="value["]`);
	const expected = TEMPLATE.fields.map((f) => f.label);
	const shown = await settle(
		// A label holds the field's name, then its Fixed / Expression switch.
		async () =>
			(
				await labels.evaluateAll((all) =>
					all.map((label) => label.querySelector('.n8n-text')?.textContent ?? ''),
				)
			).map((t) => t.replace(/\s+/g, ' ').trim()),
		(list) => JSON.stringify(list) === JSON.stringify(expected),
		(list) =>
			`variable fields: expected [${expected.join(', ')}], the editor shows [${list.join(', ')}]`,
		15_000,
	);
	for (const field of TEMPLATE.fields)
		await ndv.locator(`${$(`parameter-input-${field.key}`)} input`).fill(field.value);
	await ndv.locator(`${$('parameter-input-phone')} input`).fill(RECIPIENT.typed);
	// The fields mark themselves as missing until n8n holds their values: run only after that.
	const issues = ndv.locator(`${$('node-parameters')} ${$('parameter-issues')}`);
	await settle(
		() => issues.count(),
		(n) => n === 0,
		(n) => `${n} parameter(s) still marked as having issues after filling in`,
	);
	log(`  variable fields: ${shown.join('; ')}; filled in, recipient ${RECIPIENT.typed}`);
}

async function executeStep(page, ndv, sandbox) {
	await ndv.locator($('node-execute-button')).click();
	const sent = await sandbox.record.waitForRequest((r) => r.path === TEMPLATE_SEND_PATH, {
		timeoutMs: 30_000,
	});
	const output = ndv.locator($('output-panel'));
	await output.locator($('radio-button-json')).click();
	const data = output.locator($('ndv-data-container'));
	await data.getByText('"outcome"').first().waitFor();
	const text = (await data.innerText()).replace(/\s+/g, '');
	check(
		text.includes('"outcome":"sent"'),
		`the node's output does not say outcome "sent": ${text}`,
	);

	const requests = sandbox.record.requests({ path: TEMPLATE_SEND_PATH });
	check(requests.length === 1, `the sandbox got ${requests.length} template sends, expected 1`);
	const { body, status } = sent;
	for (const group of ['textVariables', 'buttonVariables']) {
		const want = TEMPLATE.fields.filter((f) => f.group === group).map((f) => f.value);
		check(
			JSON.stringify(body[group]) === JSON.stringify(want),
			`the sandbox got ${group} ${JSON.stringify(body[group])}, expected ${JSON.stringify(want)}`,
		);
	}
	check(
		status === 200 &&
			body.templateId === TEMPLATE.id &&
			body.phone === RECIPIENT.sent &&
			body.sender === sandboxAccount(sandbox).whatsapp.subject &&
			text.includes(`"messageId":"${body.messageId}"`),
		`the send the sandbox got (${status}) does not match: ${JSON.stringify(body)}`,
	);

	// For the picture: n8n's toast closed, and the button's spinner gone (it fades out after the run).
	const toast = page.locator('.el-notification').filter({ hasText: 'Node executed successfully' });
	// It may close by itself first: what counts is that it is gone.
	await toast
		.locator('.el-notification__closeBtn')
		.click({ timeout: 5_000 })
		.catch(() => {});
	await toast.waitFor({ state: 'hidden', timeout: 10_000 });
	await page.waitForFunction(
		(button) => !button.querySelector('.n8n-spinner'),
		await ndv.locator($('node-execute-button')).elementHandle(),
		{ timeout: 10_000 },
	);
	log(
		`  Execute step → ${TEMPLATE_SEND_PATH} ${JSON.stringify(body)} → ${status}; output: outcome "sent"`,
	);
}

/** The whole part, on a page signed in to the editor, with the sandbox's credential created. */
export async function actionJourney(page, sandbox, credential) {
	await checkTypes(page, ACTION_TYPE);
	const ndv = await addActionNode(page);
	await selectCredential(page, ndv, credential);
	const before = sandbox.record.requests({ path: 'channel-profile' }).length;
	const tested = await testCredential(page, ndv);
	check(
		sandbox.record.requests({ path: 'channel-profile' }).length > before,
		"the credential's test did not ask the sandbox for the channels",
	);
	log(`  the credential opened from the node: "${tested}" (it asked the sandbox for the channels)`);
	await checkPickers(page, sandbox);
	await fillVariables(page, ndv);
	await executeStep(page, ndv, sandbox);
	await shoot(page, 'action-template.png', await edges(ndv));
}
