// Part 1 of `npm run test:ui`: the edna Pulse Trigger in n8n's editor, from the node panel to an
// execution started by a simulated edna event.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { waitForWebhook } from '../lib/n8n/index.mjs';
import { send } from '../lib/simulator.mjs';
import { itemsOf } from '../lib/trigger-workflow.mjs';
import { FIXTURES_DIR } from '../../sandbox/lib/webhook-shapes.mjs';
import { WEBHOOK_KEY, $, check, exactly, log, sameList } from './common.mjs';
import {
	checkTypes,
	choose,
	copyProductionUrl,
	createCredential,
	filterOptions,
	findNodeInPanel,
	openExecution,
	openNewWorkflow,
	saveAndPublish,
	signIn,
} from './editor.mjs';
import { around, edges, shoot } from './report.mjs';

/** What a user must see for each event: its label, its edna field and its filters. */
export const EVENTS = [
	{
		kind: 'messageStatus',
		label: 'Message Status Changed',
		ednaField: 'Webhook URL for statuses',
		filters: ['Message Statuses', 'Other Message Statuses', 'Channel Names', 'Channel IDs'],
	},
	{
		kind: 'incomingMessage',
		label: 'Message Received',
		ednaField: 'Webhook URL for incoming messages',
		filters: ['Content Types', 'Other Content Types', 'Channel Names', 'Channel IDs'],
	},
	{
		kind: 'templateStatus',
		label: 'Template Status Changed',
		ednaField: 'Webhook URL for template registration status updates',
		filters: [
			'Template Statuses',
			'Other Template Statuses',
			'Template Categories',
			'Other Template Categories',
			'Channel Types',
			'Channel IDs',
		],
	},
	{
		kind: 'templateCategory',
		label: 'WhatsApp Template Category Changed',
		ednaField: 'Webhook URL for WhatsApp template category changes',
		filters: ['Template Categories', 'Other Template Categories', 'Channel Types'],
	},
	{
		kind: 'linkClick',
		label: 'WhatsApp Link Button Clicked',
		ednaField: 'Webhook URL for tracking clicks on the WhatsApp link button',
		filters: ['Channel Types', 'Channel Names'],
	},
	{
		kind: 'anyEvent',
		label: 'Any Event',
		ednaField: 'Webhook URL setup',
		filters: [
			'Message Statuses',
			'Other Message Statuses',
			'Content Types',
			'Other Content Types',
			'Template Statuses',
			'Other Template Statuses',
			'Template Categories',
			'Other Template Categories',
			'Channel Types',
			'Channel Names',
			'Channel IDs',
		],
	},
];

/** The notices of the node as n8n loaded it, as the editor renders them (it keeps only <a>, <ul>, <li>). */
function noticeTexts(node) {
	const text = (html) =>
		html
			.replace(/<(?!\/?(a|ul|li)\b)[^>]*>/g, '')
			.replace(/\s+/g, ' ')
			.trim();
	return Object.fromEntries(
		node.properties.filter((p) => p.type === 'notice').map((p) => [p.name, text(p.displayName)]),
	);
}

async function visibleNotices(ndv) {
	const texts = await ndv.locator('.notice-content:visible').allInnerTexts();
	return texts.map((t) => t.replace(/\s+/g, ' ').trim());
}

async function checkEvents(page, ndv, notices) {
	for (const event of EVENTS) {
		await choose(page, 'event', event.label);
		const shown = await page.locator($('parameter-input-event')).innerText();
		const value = await page
			.locator(`${$('parameter-input-event')} input`)
			.inputValue()
			.catch(() => '');
		check(
			shown.includes(event.label) || value === event.label,
			`Event shows "${shown || value}", not "${event.label}"`,
		);

		const expectedNotice = notices[`${event.kind}Notice`];
		check(
			expectedNotice?.includes(event.ednaField),
			`notice of ${event.kind} does not name "${event.ednaField}"`,
		);
		const seen = await visibleNotices(ndv);
		check(
			seen.length === 1 && seen[0] === expectedNotice,
			`${event.kind}: expected the notice "${expectedNotice}", the editor shows ${JSON.stringify(seen)}`,
		);

		const keepTypes = await page.locator($('parameter-input-anyEventTypes')).isVisible();
		check(
			keepTypes === (event.kind === 'anyEvent'),
			`${event.kind}: "Event Types to Keep" ${keepTypes ? 'shown' : 'missing'}`,
		);

		const { names } = await filterOptions(page, ndv);
		sameList(names, event.filters, `${event.kind}: Add Filter list`);
		log(`  ${event.label}: notice names "${event.ednaField}"; filters ${names.join(', ')}`);
	}

	await choose(page, 'authentication', 'None');
	const warning = await visibleNotices(ndv);
	check(
		warning.includes(notices.noAuthWarning),
		`Authentication None: warning missing (${JSON.stringify(warning)})`,
	);
	check(
		!(await page.locator($('node-credentials-slot')).isVisible()),
		'Authentication None still asks for a credential',
	);
	await choose(page, 'authentication', 'Webhook Key');
	log('  Authentication None shows the warning and hides the credential');
}

async function setStatusFilter(page, ndv, statuses) {
	const { add } = await filterOptions(page, ndv);
	await add.click();
	await page
		.locator(`${$('collection-parameter-option')}:visible`)
		.filter({ hasText: exactly('Message Statuses') })
		.click();
	await choose(page, 'statuses', ...statuses);
	await page.keyboard.press('Escape');
	const chips = await page.locator($('parameter-input-statuses')).innerText();
	for (const status of statuses)
		check(chips.includes(status), `Message Statuses shows "${chips}", missing ${status}`);
}

/** Part 1: the trigger, as in the help's first step. */
export async function triggerJourney(page, api, instance, recorder) {
	log('sign in');
	await signIn(page);
	await openNewWorkflow(page);
	const workflowId = /\/workflow\/([^/?]+)/.exec(page.url())?.[1];
	check(workflowId && workflowId !== 'new', `no workflow id in ${page.url()}`);

	log('node panel: search "edna"');
	recorder?.mark(page, 'search');
	const ndv = await findNodeInPanel(page);
	recorder?.mark(page, 'search-done');

	const node = await checkTypes(page);

	log('each event: notice and filters');
	await checkEvents(page, ndv, noticeTexts(node));
	await choose(page, 'event', 'Message Status Changed');

	log('credential');
	await createCredential(page, ndv);

	log('filter on UNDELIVERED and FAILED, copy the Production URL');
	await setStatusFilter(page, ndv, ['UNDELIVERED', 'FAILED']);
	const url = await copyProductionUrl(page, ndv, instance);
	await page
		.getByText('URL copied')
		.first()
		.waitFor({ state: 'hidden', timeout: 10_000 })
		.catch(() => {});
	const parameters = await edges(ndv.locator($('node-parameters')));
	await shoot(page, 'node-parameters.png', {
		...(await edges(ndv)),
		right: parameters.right + 16,
	});

	log('save and publish');
	await saveAndPublish(page, api, workflowId);

	log("edna's URL check and one event");
	await waitForWebhook(url, { timeoutMs: 15_000 });
	log(`  HEAD ${url} → 200`);
	const fixture = async (name) =>
		JSON.parse(await readFile(path.join(FIXTURES_DIR, 'messageStatus', name), 'utf8'));
	const filtered = await send({ url, key: WEBHOOK_KEY, body: await fixture('delivered.json') });
	check(
		filtered.status === 200 && /no event matched/.test(filtered.text),
		`DELIVERED (filtered out): ${filtered.status} ${filtered.text}`,
	);
	const sent = await send({
		url,
		key: WEBHOOK_KEY,
		body: await fixture('undelivered-sms.json'),
	});
	check(
		sent.status === 200 && /Workflow was started/.test(sent.text),
		`UNDELIVERED: ${sent.status} ${sent.text}`,
	);
	const [execution] = await api.waitForExecutions(workflowId, 1, { exact: true });
	const [item] = itemsOf(execution);
	check(
		execution.status === 'success' &&
			item?.eventType === 'messageStatus' &&
			item.status === 'UNDELIVERED',
		`execution ${execution.id}: ${execution.status} ${JSON.stringify(item)}`,
	);
	log(
		`  DELIVERED filtered out (no execution); UNDELIVERED → execution ${execution.id}, eventKey ${item.eventKey}`,
	);

	log('the execution in the editor');
	const { ndv: runNdv, data } = await openExecution(page, workflowId, execution.id);
	const shown = (await data.innerText()).replace(/\s+/g, '');
	for (const expected of [
		'"eventType":"messageStatus"',
		`"eventKey":"${item.eventKey}"`,
		'"status":"UNDELIVERED"',
		'"chargeable":',
	]) {
		check(shown.includes(expected), `execution output lacks ${expected}`);
	}
	const content = await around(
		[
			runNdv.locator(`${$('parameter-item')}:visible`).last(),
			data.locator('.vjs-tree-node:visible').last(),
		],
		40,
	);
	await shoot(page, 'execution.png', { ...(await edges(runNdv)), bottom: content.bottom });
	log('  simplified output shown (eventType, eventKey, flat fields)');
}
