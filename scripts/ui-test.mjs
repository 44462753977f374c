#!/usr/bin/env node
// `npm run test:ui`: a user's first journey with the node in n8n's editor, in a real Chromium,
// against a local n8n with this package installed. Run with --help.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { ensureChromium, launchChromium } from './lib/browser.mjs';
import {
	DEFAULT_N8N_VERSION,
	OWNER,
	REPO_ROOT,
	createInstance,
	packPackage,
	setupOwnerAndApiKey,
	start,
	stopInstance,
	waitForWebhook,
} from './lib/n8n-runtime.mjs';
import { FIXTURES_DIR, send } from './lib/simulator.mjs';
import { itemsOf } from './lib/trigger-workflow.mjs';

const HELP = `Drives n8n's editor in headless Chromium the way a new user meets the edna Pulse Trigger.

Usage: npm run test:ui [-- options]

Starts its own n8n ${DEFAULT_N8N_VERSION} with the editor and this package installed, creates the owner, then in
the browser: searches "edna" in the node panel, adds the trigger, selects every event and checks
its filters and notice, creates the Edna Pulse API credential, copies the Production URL, saves and
publishes the workflow. Then HEAD on that URL must answer 200, a simulated edna event must start
an execution, and the execution must show the simplified item in the editor. Fails on any browser
console error, page error or failed request that concerns this package; others are listed as info.

Screenshots (docs/images/): node-search.png, node-parameters.png, credential.png, execution.png.

Options:
  --no-build          use the current dist/ instead of running "npm run build"
  --tgz <file>        test this package tarball (npm pack output) instead of the working tree
  --screenshots <dir> where to write the screenshots (default: docs/images)
  -h, --help          show this help

Chromium: /usr/bin/chromium (Debian package "chromium", installed with apt-get when missing and
running as root or with password-less sudo), or CHROMIUM_PATH. No browser is downloaded.
On failure, a screenshot and the page's data-test-id elements are saved and their folder printed.`;

const { values: args } = parseArgs({
	options: {
		'no-build': { type: 'boolean', default: false },
		tgz: { type: 'string' },
		screenshots: { type: 'string', default: path.join(REPO_ROOT, 'docs', 'images') },
		help: { type: 'boolean', short: 'h', default: false },
	},
});
if (args.help) {
	console.log(HELP);
	process.exit(0);
}

const PACKAGE = 'n8n-nodes-edna-pulse';
const NODE_TYPE = `${PACKAGE}.ednaPulseTrigger`;
const CREDENTIAL_TYPE = 'ednaPulseApi';
const WEBHOOK_KEY = 'ui-test-webhook-key-7f3a';
const CREDENTIAL_NAME = 'edna Pulse webhook key';
const WORKFLOW_NAME = 'edna: alert on undelivered messages';
const RUN_LIMIT_MS = 12 * 60_000;

/** What a user must see for each event: its label, its edna field and its filters. */
const EVENTS = [
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

/** The triggers the node panel lists for the node, in order. */
const PANEL_TRIGGERS = [
	'On message status changed',
	'On message received',
	'On template status changed',
	'On WhatsApp template category changed',
	'On WhatsApp link button clicked',
	'On any event',
];

const $ = (testId) => `[data-test-id="${testId}"]`;
/** Matches an element's whole text, ignoring surrounding whitespace. */
const exactly = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[${elapsed().padStart(7)}] ${message}`);

function check(condition, message) {
	if (!condition) throw new Error(message);
}

/** Polls `read` until `ok(value)`; fails with `describe(lastValue)` after `timeoutMs`. */
async function settle(read, ok, describe, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		check(Date.now() < deadline, describe(value));
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function sameList(actual, expected, what) {
	const a = [...actual].sort().join(' | ');
	const e = [...expected].sort().join(' | ');
	check(
		a === e,
		`${what}: expected [${expected.join(', ')}], the editor shows [${actual.join(', ')}]`,
	);
}

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

// ---------------------------------------------------------------------------
// What the browser reports

/**
 * Console errors and warnings, page errors, failed requests and HTTP errors. An entry concerns
 * this package when it names it (package, node or credential, icon path) on the n8n server;
 * requests to other hosts are blocked here (a closed network) and only listed.
 */
class BrowserReport {
	constructor(page, baseUrl) {
		this.origin = new URL(baseUrl).origin;
		this.entries = [];
		page.on('console', (msg) => {
			if (msg.type() === 'error' || msg.type() === 'warning') {
				this.add(`console.${msg.type()}`, msg.text(), msg.location()?.url ?? '');
			}
		});
		page.on('pageerror', (error) => this.add('pageerror', error.stack || error.message, ''));
		page.on('requestfailed', (req) =>
			this.add('requestfailed', req.failure()?.errorText ?? '', req.url()),
		);
		page.on('response', (res) => {
			if (res.status() >= 400) this.add(`http ${res.status()}`, res.request().method(), res.url());
		});
	}

	/** The journey is over: what the browser reports while it and n8n shut down is not about it. */
	stop() {
		this.stopped = true;
	}

	add(kind, text, url) {
		if (this.stopped) return;
		const external = /^https?:/.test(url) && !url.startsWith(this.origin);
		const aborted = kind === 'requestfailed' && text === 'net::ERR_ABORTED'; // navigation cancelled it
		const aboutUs = !external && !aborted && /edna|n8n-nodes-edna-pulse/i.test(`${text} ${url}`);
		const warning = kind === 'console.warning';
		this.entries.push({
			kind,
			text: text.slice(0, 500),
			url,
			external,
			ours: aboutUs && !warning,
			warnsUs: aboutUs && warning,
			at: elapsed(),
		});
	}

	ours() {
		return this.entries.filter((e) => e.ours);
	}

	print() {
		for (const e of this.entries.filter((x) => x.warnsUs))
			console.log(`    warning about ${PACKAGE} at ${e.at}: ${e.text} ${e.url}`);
		const others = this.entries.filter((e) => !e.ours && !e.warnsUs);
		if (others.length) {
			log(`browser reported ${others.length} thing(s) not caused by ${PACKAGE} (info):`);
			const seen = new Map();
			for (const e of others) {
				const text = e.text.split('\n')[0];
				const line = `${e.kind}${e.external ? ' (external host, blocked)' : ''}: ${text}${e.url ? ` ${e.url}` : ''}`;
				seen.set(line, (seen.get(line) ?? 0) + 1);
			}
			for (const [line, n] of seen) console.log(`    ${n > 1 ? `${n}× ` : ''}${line}`);
		}
		for (const e of this.ours()) console.log(`    OURS at ${e.at}: ${e.kind}: ${e.text} ${e.url}`);
	}
}

/**
 * The node and credential types as n8n derived them from the package (the editor's /types/*.json):
 * both themes' icons load as SVG and the codex reached n8n.
 */
async function checkTypes(page) {
	const types = {};
	for (const name of ['nodes', 'credentials']) {
		const res = await page.request.get(`/types/${name}.json`);
		check(res.ok(), `/types/${name}.json: ${res.status()}`);
		types[name] = await res.json();
	}
	const node = types.nodes.find((n) => n.name === NODE_TYPE);
	const credential = types.credentials.find((c) => c.name === CREDENTIAL_TYPE);
	check(node && credential, `n8n does not list ${NODE_TYPE} and ${CREDENTIAL_TYPE}`);
	check(
		node.codex?.categories?.includes('Communication'),
		`codex not applied: ${JSON.stringify(node.codex)}`,
	);
	for (const [what, iconUrl] of [
		['node', node.iconUrl],
		['credential', credential.iconUrl],
	]) {
		for (const theme of ['light', 'dark']) {
			const url = typeof iconUrl === 'string' ? iconUrl : iconUrl?.[theme];
			check(url, `${what} has no ${theme} icon: ${JSON.stringify(iconUrl)}`);
			const res = await page.request.get(url);
			check(
				res.status() === 200 && /svg/.test(res.headers()['content-type'] ?? ''),
				`${what} ${theme} icon ${url}: ${res.status()} ${res.headers()['content-type']}`,
			);
		}
	}
	log(
		`  icons load (node and credential, light and dark); codex categories ${node.codex.categories.join(', ')}`,
	);
	return node;
}

// ---------------------------------------------------------------------------
// Screenshots

/** An element's edges on the page. */
async function edges(locator) {
	const box = await locator.boundingBox();
	check(box, 'element to photograph is not on screen');
	return { left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height };
}

/** The edges around several elements, `pad` pixels further out. */
async function around(locators, pad = 16) {
	const all = await Promise.all(locators.map(edges));
	return {
		left: Math.min(...all.map((e) => e.left)) - pad,
		top: Math.min(...all.map((e) => e.top)) - pad,
		right: Math.max(...all.map((e) => e.right)) + pad,
		bottom: Math.max(...all.map((e) => e.bottom)) + pad,
	};
}

/** Saves the part of the page between `edges` (clamped to the viewport) into the screenshot folder. */
async function shoot(page, file, { left, top, right, bottom }) {
	const view = page.viewportSize();
	const x = Math.max(0, Math.round(left));
	const y = Math.max(0, Math.round(top));
	const width = Math.min(view.width, Math.round(right)) - x;
	const height = Math.min(view.height, Math.round(bottom)) - y;
	await page.mouse.move(view.width - 1, view.height - 1); // no hover effects in the picture
	const out = path.join(args.screenshots, file);
	await page.screenshot({
		path: out,
		clip: { x, y, width, height },
		animations: 'disabled',
		caret: 'hide',
	});
	log(`  screenshot ${path.relative(process.cwd(), out)} (${width}×${height})`);
}

/** A screenshot and the visible data-test-id elements, for finding out what went wrong. */
async function saveDebug(page, error) {
	const dir = path.join(os.tmpdir(), `edna-ui-test-${started}`);
	await mkdir(dir, { recursive: true });
	await page.screenshot({ path: path.join(dir, 'failure.png') }).catch(() => {});
	const ids = await page
		.evaluate(() =>
			[...document.querySelectorAll('[data-test-id]')]
				.filter((e) => e.offsetParent !== null)
				.map(
					(e) =>
						`${e.getAttribute('data-test-id')} <${e.tagName.toLowerCase()}> ${(e.innerText || '').replace(/\s+/g, ' ').slice(0, 80)}`,
				)
				.join('\n'),
		)
		.catch(() => '');
	await writeFile(path.join(dir, 'test-ids.txt'), `${page.url()}\n${error.stack}\n\n${ids}\n`);
	await writeFile(path.join(dir, 'page.html'), await page.content().catch(() => ''));
	return dir;
}

// ---------------------------------------------------------------------------
// Editor steps

async function signIn(page) {
	await page.goto('/signin?redirect=%2Fworkflow%2Fnew');
	await page.locator(`${$('emailOrLdapLoginId')} input`).fill(OWNER.email);
	await page.locator(`${$('password')} input`).fill(OWNER.password);
	await page.locator($('form-submit-button')).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Signed in with ?redirect, the editor opens a new workflow straight away. */
async function openNewWorkflow(page) {
	if (!/\/workflow\//.test(page.url())) await page.goto('/workflow/new');
	await page.locator($('canvas-add-button')).waitFor({ timeout: 60_000 });
}

async function findNodeInPanel(page) {
	await page.locator($('canvas-plus-button')).click();
	const search = page.locator($('node-creator-search-bar'));
	const nodeItem = page
		.locator($('node-creator-action-item'))
		.filter({ has: page.locator($('node-creator-item-name'), { hasText: exactly('edna Pulse') }) });

	// The codex's aliases reach the search: "Viber" finds the node too.
	await search.fill('Viber');
	await nodeItem.waitFor();

	await search.fill('edna');
	await nodeItem.waitFor();
	const names = (
		await page.locator(`${$('node-creator')} ${$('node-creator-item-name')}`).allInnerTexts()
	).map((n) => n.trim());
	check(
		names[0] === 'edna Pulse',
		`"edna" search: expected edna Pulse first, got [${names.join(', ')}]`,
	);
	const description = await nodeItem.locator($('node-creator-item-description')).innerText();
	check(
		/edna Pulse sends a webhook/.test(description),
		`node description in the panel: "${description}"`,
	);

	const icon = nodeItem.locator('img').first();
	const src = await icon.getAttribute('src');
	check(src?.includes(`/icons/${PACKAGE}/`), `node icon src: ${src}`);
	await page
		.waitForFunction((img) => img.complete && img.naturalWidth > 0, await icon.elementHandle(), {
			timeout: 10_000,
		})
		.catch(() => check(false, `the node's icon ${src} does not load in the node panel`));
	log(`  "edna" finds the node, icon ${src} loaded`);

	// The panel with the canvas's "Add first step" beside it, and the editor's top bar above.
	const panel = await around([
		page.locator(`${$('node-creator')} ${$('search-bar')}`),
		nodeItem,
		page.locator($('canvas-add-button')),
	]);
	await shoot(page, 'node-search.png', { ...panel, top: 0, bottom: panel.bottom + 40 });

	await nodeItem.click();
	const triggers = page.locator(
		`${$('node-creator')} ${$('item-iterator-item')} ${$('node-creator-item-name')}`,
	);
	// The search results slide out while the node's list slides in: wait for the list alone.
	await settle(
		async () => (await triggers.allInnerTexts()).map((n) => n.trim()),
		(listed) => JSON.stringify(listed) === JSON.stringify(PANEL_TRIGGERS),
		(listed) =>
			`triggers listed for the node: expected [${PANEL_TRIGGERS.join(', ')}], got [${listed.join(', ')}]`,
	);
	await triggers.filter({ hasText: exactly('On message status changed') }).click();
	const ndv = page.locator($('ndv'));
	await ndv.waitFor();
	const title = await ndv.locator($('node-title-container')).innerText();
	check(title.trim() === 'edna Pulse Trigger', `node title: "${title}"`);
	return ndv;
}

/**
 * Opens an options or multiOptions parameter's dropdown and picks each label. A multi-select stays
 * open between picks (clicking its input again would close it).
 */
async function choose(page, parameter, ...labels) {
	await page.locator($(`parameter-input-${parameter}`)).click();
	for (const label of labels) {
		const headline = page.locator('.option-headline', { hasText: exactly(label) });
		await page.locator('li[role="option"]:visible').filter({ has: headline }).click();
	}
}

async function filterOptions(page, ndv) {
	const add = ndv
		.locator($('parameter-item'))
		.filter({ has: page.locator($('input-label'), { hasText: exactly('Filters') }) })
		.locator($('collection-parameter-add'));
	await add.click();
	const options = page.locator(`${$('collection-parameter-option')}:visible`);
	await options.first().waitFor();
	const names = await options.allInnerTexts();
	await page.keyboard.press('Escape');
	await options.first().waitFor({ state: 'hidden' });
	return { names: names.map((n) => n.trim()), add };
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

async function createCredential(page, ndv) {
	await ndv.locator($('node-credentials-empty-state')).click();
	const modal = page.locator($('editCredential-modal'));
	await modal.waitFor();
	const header = await modal.innerText();
	check(header.includes('Edna Pulse API'), 'credential dialog does not say "Edna Pulse API"');
	const key = modal.locator(`${$('parameter-input-webhookKey')} input`);
	check(
		(await key.getAttribute('type')) === 'password',
		'the Webhook Key field is not a masked password input',
	);
	await key.fill(WEBHOOK_KEY);
	await modal.locator($('credential-name')).click();
	const name = modal.locator(`${$('credential-name')} input`);
	await name.fill(CREDENTIAL_NAME);
	await name.press('Enter');
	await modal
		.locator(`${$('credential-name')} ${$('inline-edit-preview')}`, { hasText: CREDENTIAL_NAME })
		.waitFor();
	await key.blur();
	const fields = await edges(
		modal.locator(`${$('credential-connection-parameter')}:visible`).last(),
	);
	await shoot(page, 'credential.png', { ...(await edges(modal)), bottom: fields.bottom + 72 });

	await modal.locator($('credential-save-button')).click();
	await modal.waitFor({ state: 'hidden', timeout: 15_000 }).catch(async () => {
		await page.keyboard.press('Escape');
		await modal.waitFor({ state: 'hidden' });
	});
	const selected = ndv.locator($('node-credentials-select'));
	await selected.waitFor();
	const value =
		(await selected
			.locator('input')
			.inputValue()
			.catch(() => '')) || (await selected.innerText());
	check(
		value.includes(CREDENTIAL_NAME),
		`the node does not use the new credential (shows "${value}")`,
	);
	log(`  credential "${CREDENTIAL_NAME}" created and selected; key field masked`);
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

async function copyProductionUrl(page, ndv, instance) {
	await ndv.getByText('Webhook URLs', { exact: true }).click();
	await ndv.locator($('radio-button-production')).click();
	const field = ndv.locator('.webhook-url');
	await field.waitFor();
	const shown = (await field.innerText()).trim();
	const pattern = new RegExp(
		`^${instance.webhookBaseUrl.replace(/[.:/]/g, '\\$&')}/webhook/[0-9a-f-]{36}/webhook$`,
	);
	check(pattern.test(shown), `Production URL shown: ${shown}`);
	// n8n 2.41.1's editor starts the clipboard write (useClipboard's copy(), not awaited) and shows
	// "URL copied" at once, so the toast can come before the text lands: seen once in four runs, the
	// clipboard still empty right after the toast. The write also needs a focused document. So:
	// focus, click, then wait (bounded) until the clipboard holds the text.
	await page.bringToFront();
	await field.click();
	await page.getByText('URL copied').first().waitFor();
	let copied = '';
	const deadline = Date.now() + 5_000;
	while (!copied && Date.now() < deadline) {
		copied = await page.evaluate(() => navigator.clipboard.readText());
		if (!copied) await page.waitForTimeout(100);
	}
	check(copied === shown, `copied "${copied}", shown "${shown}"`);
	log(`  Production URL copied: ${copied}`);
	return copied;
}

async function saveAndPublish(page, api, workflowId) {
	await page.locator($('ndv-close-button')).click();
	await page.locator($('ndv')).waitFor({ state: 'hidden' });
	const issues = await page.locator(`${$('canvas-node')} ${$('node-issues')}`).count();
	check(issues === 0, 'the node shows parameter issues on the canvas');

	await page.locator($('workflow-name-input')).click();
	const name = page.locator(`${$('workflow-name-input')} input`);
	await name.fill(WORKFLOW_NAME);
	await name.press('Enter');
	await page.keyboard.press('Control+s');

	// Saved as configured: what n8n stored is what the user picked.
	const deadline = Date.now() + 20_000;
	let trigger;
	for (;;) {
		const workflow = await api.getWorkflow(workflowId).catch(() => null);
		trigger = workflow?.nodes?.find((n) => n.type === NODE_TYPE);
		if (
			workflow?.name === WORKFLOW_NAME &&
			trigger?.parameters?.filters?.statuses?.length === 2 &&
			trigger?.credentials?.ednaPulseApi?.name === CREDENTIAL_NAME
		) {
			break;
		}
		check(
			Date.now() < deadline,
			`workflow not saved as configured: ${JSON.stringify(workflow?.nodes ?? workflow)}`,
		);
		await page.waitForTimeout(250);
	}
	check(
		trigger.parameters.event === undefined || trigger.parameters.event === 'messageStatus',
		`saved event: ${trigger.parameters.event}`,
	);
	log(`  saved: ${JSON.stringify(trigger.parameters)}`);

	await page.locator($('workflow-open-publish-modal-button')).click();
	await page.locator($('workflow-publish-button')).click();
	const published = page.locator($('activation-modal'));
	await published.waitFor();
	const text = await published.innerText();
	check(text.includes('Your workflow now receives edna Pulse events'), `publish dialog: ${text}`);
	await published.getByRole('button', { name: 'Got it' }).click();
	await page
		.locator($('workflow-open-publish-modal-button'))
		.filter({ hasText: 'Published' })
		.waitFor();
	log("  published; n8n shows the node's activation message");
}

async function openExecution(page, workflowId, executionId) {
	await page.locator($('radio-button-executions')).click();
	await page.waitForURL(new RegExp(`/workflow/${workflowId}/executions`));
	const entry = page.locator($(`execution-details-${executionId}`));
	await entry.waitFor();
	await entry.click();
	const host = page.locator($('execution-preview-host'));
	await host.locator($('canvas-node-status-success')).waitFor();
	const checklist = page.locator($('suggested-actions-close'));
	if (await checklist.isVisible()) await checklist.click(); // n8n's "Production checklist" pop-over
	await host.locator($('canvas-node')).dblclick();
	const ndv = page.locator($('ndv'));
	await ndv.waitFor();
	await ndv.locator($('radio-button-json')).click();
	const data = ndv.locator($('ndv-data-container'));
	await data.getByText('"eventKey"').first().waitFor();
	return { ndv, data };
}

// ---------------------------------------------------------------------------

async function main() {
	const watchdog = setTimeout(() => {
		console.error(`ui-test: still running after ${RUN_LIMIT_MS / 60_000} min; giving up`);
		process.exit(1);
	}, RUN_LIMIT_MS);
	watchdog.unref();

	ensureChromium(log);
	await mkdir(args.screenshots, { recursive: true });
	let tgz = args.tgz && path.resolve(args.tgz);
	if (!tgz) {
		log(args['no-build'] ? 'packing the current dist/' : 'building and packing the package');
		tgz = await packPackage({ build: !args['no-build'], log: false });
	}
	const instance = await createInstance({ tgz, ui: true, log: (m) => log(m) });
	let browser;
	let report;
	let failure;
	try {
		await start(instance);
		const api = await setupOwnerAndApiKey(instance);
		log(`n8n editor on ${instance.baseUrl}; owner created over REST`);

		browser = await launchChromium({ baseURL: instance.baseUrl });
		const { context, page } = browser;
		page.setDefaultTimeout(30_000);
		report = new BrowserReport(page, instance.baseUrl);
		// n8n looks community packages up on registry.npmjs.org and loads a few external assets;
		// this test does not depend on the internet.
		await context.route(
			(url) => url.origin !== new URL(instance.baseUrl).origin,
			(route) => route.abort('blockedbyclient'),
		);

		try {
			log('sign in');
			await signIn(page);
			await openNewWorkflow(page);
			const workflowId = /\/workflow\/([^/?]+)/.exec(page.url())?.[1];
			check(workflowId && workflowId !== 'new', `no workflow id in ${page.url()}`);

			log('node panel: search "edna"');
			const ndv = await findNodeInPanel(page);

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
		} catch (error) {
			const dir = await saveDebug(page, error);
			error.message += `\n(screenshot and page elements in ${dir})`;
			throw error;
		}
	} catch (error) {
		failure = error;
	} finally {
		report?.stop();
		await browser?.close();
		await stopInstance(instance, { removeUserFolder: true });
	}

	report?.print();
	const ours = report?.ours() ?? [];
	if (!failure && ours.length)
		failure = new Error(`${ours.length} browser error(s) caused by ${PACKAGE} (listed above)`);
	if (failure) {
		console.error(`\nui-test FAILED after ${elapsed()}: ${failure.message}`);
		process.exit(1);
	}
	log(`ui-test passed; screenshots in ${path.relative(process.cwd(), args.screenshots) || '.'}`);
}

await main();
