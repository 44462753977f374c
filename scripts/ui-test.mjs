#!/usr/bin/env node
// `npm run test:ui`: a user's first journeys with the package, in a real Chromium. Three parts, one
// browser: the edna Pulse Trigger in n8n's editor (the test's own n8n with this package installed);
// the edna Pulse action node in the same editor, its pickers and template fields loaded from an
// edna sandbox started beside that n8n; then the real `npm start`, whose sandbox conversation page
// is used as a newcomer uses it (write "hello", the auto-reply example answers). Run with --help.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { start as startSandbox } from '../sandbox/index.mjs';
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
} from './lib/n8n/index.mjs';
import { runNpmStart } from './ui/npm-start.mjs';
import { FIXTURES_DIR, send } from './lib/simulator.mjs';
import { itemsOf } from './lib/trigger-workflow.mjs';

const HELP = `Drives n8n's editor and the edna sandbox's page in headless Chromium the way a new user meets
the edna Pulse Trigger, the edna Pulse node and the sandbox.

Usage: npm run test:ui [-- options]

1. The trigger. Starts its own n8n ${DEFAULT_N8N_VERSION} with the editor and this package installed, creates
   the owner, then in the browser: searches "edna" in the node panel, adds the trigger, selects
   every event and checks its filters and notice, creates the Edna Pulse API credential, copies
   the Production URL, saves and publishes the workflow. Then HEAD on that URL must answer 200, a
   simulated edna event must start an execution, and the execution must show the simplified item
   in the editor.
2. The action node, against an edna sandbox started beside that n8n (sandbox/README.md). A
   credential with the sandbox's API key, base URL and webhook key is created over the public API;
   in the browser: a new workflow, "edna" in the node panel, the action Send a template message
   (Message → Send Template), the sandbox credential selected. The Channel list must show the
   sandbox's active channels and the Template list the WhatsApp channel's approved, unlocked
   templates as "name · language · category" (not its pending or locked ones); the template
   track_parcel must get its variable fields (Body {{1}}, the link button's URL {{1}}) with their
   names, short enough for the editor to show whole. Filled in with a recipient and run with "Execute step", the sandbox must have received
   one v1/out-messages/whatsapp/template request with those values and the node's output in the
   editor must say outcome "sent". The node's icons must load.
3. npm start, as a newcomer runs it (--no-build, a throw-away user folder, free ports), after the
   test's n8n has stopped. On the sandbox's conversation page it prints: write "hello" as the
   customer; the auto-reply example's answer must appear as a business message and its ticks
   must reach "read".
Fails on any browser console error, page error or failed request that concerns this package in the
editor (others are listed as info), and on any of them on the sandbox's page (it is ours).

Screenshots (docs/images/): node-search.png, node-parameters.png, credential.png, execution.png,
action-template.png, sandbox-conversation.png.

Options:
  --no-build          use the current dist/ instead of running "npm run build"
  --tgz <file>        test this package tarball (npm pack output) instead of the working tree in
                      parts 1 and 2 (npm start in part 3 always packs the current dist/)
  --screenshots <dir> where to write the screenshots (default: docs/images)
  -h, --help          show this help

Chromium: /usr/bin/chromium (Debian package "chromium", installed with apt-get when missing and
running as root or with password-less sudo), or CHROMIUM_PATH. No browser is downloaded.
On failure, a screenshot and the page's data-test-id (data-testid on the sandbox's page) elements
are saved and their folder printed.`;

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

const ACTION_TYPE = `${PACKAGE}.ednaPulse`;
const ACTION_NAME = 'Send a template message';
const SANDBOX_CREDENTIAL = 'edna Pulse sandbox';
/** The sandbox's edna time runs this much faster: its statuses come within milliseconds. */
const SANDBOX_SPEED = 1000;
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
 * Console errors and warnings, page errors, failed requests and HTTP errors. On n8n's editor an
 * entry concerns this package when it names it (package, node or credential, icon path) on the n8n
 * server, or is a request for the node's parameters (a picker's list, the template's fields);
 * on a page of ours (`ours: true`, the sandbox's) every entry from its server does. Requests to
 * other hosts are blocked here (a closed network) and only listed.
 */
class BrowserReport {
	constructor(page, baseUrl, { name = 'editor', ours = false } = {}) {
		this.origin = new URL(baseUrl).origin;
		this.name = name;
		this.allOurs = ours;
		this.entries = [];
		// A picker's list or the template's fields come from /rest/dynamic-node-parameters/*: their
		// URL does not name the package, the request body does.
		const forUs = (req) =>
			(req.postData() ?? '').includes(PACKAGE) ? ` (${PACKAGE} parameters)` : '';
		page.on('console', (msg) => {
			if (msg.type() === 'error' || msg.type() === 'warning') {
				this.add(`console.${msg.type()}`, msg.text(), msg.location()?.url ?? '');
			}
		});
		page.on('pageerror', (error) => this.add('pageerror', error.stack || error.message, ''));
		page.on('requestfailed', (req) =>
			this.add('requestfailed', `${req.failure()?.errorText ?? ''}${forUs(req)}`, req.url()),
		);
		page.on('response', (res) => {
			if (res.status() >= 400)
				this.add(
					`http ${res.status()}`,
					`${res.request().method()}${forUs(res.request())}`,
					res.url(),
				);
		});
	}

	/** The journey is over: what the browser reports while it and n8n shut down is not about it. */
	stop() {
		this.stopped = true;
	}

	add(kind, text, url) {
		if (this.stopped) return;
		const external = /^https?:/.test(url) && !url.startsWith(this.origin);
		// navigation, or a newer request for the same list, cancelled it
		const aborted = kind === 'requestfailed' && text.startsWith('net::ERR_ABORTED');
		const aboutUs =
			!external &&
			!aborted &&
			(this.allOurs || /edna|n8n-nodes-edna-pulse/i.test(`${text} ${url}`));
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
		if (this.entries.length === 0) log(`${this.name}: the browser reported nothing`);
		for (const e of this.entries.filter((x) => x.warnsUs))
			console.log(`    warning about ${PACKAGE} (${this.name}) at ${e.at}: ${e.text} ${e.url}`);
		const others = this.entries.filter((e) => !e.ours && !e.warnsUs);
		if (others.length) {
			log(
				`${this.name}: browser reported ${others.length} thing(s) not caused by ${PACKAGE} (info):`,
			);
			const seen = new Map();
			for (const e of others) {
				const text = e.text.split('\n')[0];
				const line = `${e.kind}${e.external ? ' (external host, blocked)' : ''}: ${text}${e.url ? ` ${e.url}` : ''}`;
				seen.set(line, (seen.get(line) ?? 0) + 1);
			}
			for (const [line, n] of seen) console.log(`    ${n > 1 ? `${n}× ` : ''}${line}`);
		}
		for (const e of this.ours())
			console.log(`    OURS (${this.name}) at ${e.at}: ${e.kind}: ${e.text} ${e.url}`);
	}
}

/**
 * A node type and the credential type as n8n derived them from the package (the editor's
 * /types/*.json): both themes' icons load as SVG and the codex reached n8n.
 */
async function checkTypes(page, nodeType = NODE_TYPE) {
	const types = {};
	for (const name of ['nodes', 'credentials']) {
		const res = await page.request.get(`/types/${name}.json`);
		check(res.ok(), `/types/${name}.json: ${res.status()}`);
		types[name] = await res.json();
	}
	const node = types.nodes.find((n) => n.name === nodeType);
	const credential = types.credentials.find((c) => c.name === CREDENTIAL_TYPE);
	check(node && credential, `n8n does not list ${nodeType} and ${CREDENTIAL_TYPE}`);
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
		`  icons load (${node.displayName} and credential, light and dark); codex categories ${node.codex.categories.join(', ')}`,
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

/**
 * A screenshot and the visible test-id elements, for finding out what went wrong: n8n marks them
 * data-test-id, the sandbox's page data-testid.
 */
async function saveDebug(page, error) {
	const dir = path.join(os.tmpdir(), `edna-ui-test-${started}`);
	await mkdir(dir, { recursive: true });
	await page.screenshot({ path: path.join(dir, 'failure.png') }).catch(() => {});
	const ids = await page
		.evaluate(() =>
			[...document.querySelectorAll('[data-test-id], [data-testid]')]
				.filter((e) => e.offsetParent !== null)
				.map(
					(e) =>
						`${e.getAttribute('data-test-id') ?? e.getAttribute('data-testid')} <${e.tagName.toLowerCase()}> ${(e.innerText || '').replace(/\s+/g, ' ').slice(0, 80)}`,
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
// The action node, against the sandbox

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

/** Both edna credentials are offered (the trigger's has no API key): the sandbox's is chosen. */
async function selectCredential(page, ndv, credential) {
	await ndv.locator($('node-credentials-select')).click();
	const offered = page.locator('[data-test-id^="node-credentials-select-item-"]:visible');
	const names = await settle(
		// Each option: the credential's name, then its type.
		async () => (await offered.allInnerTexts()).map((n) => n.trim().split('\n')[0].trim()),
		(list) => list.includes(SANDBOX_CREDENTIAL) && list.includes(CREDENTIAL_NAME),
		(list) => `credentials offered: [${list.join(', ')}]`,
	);
	await page.locator($(`node-credentials-select-item-${credential.id}`)).click();
	await settle(
		() => ndv.locator(`${$('node-credentials-select')} input`).inputValue(),
		(value) => value === SANDBOX_CREDENTIAL,
		(value) => `the node uses the credential "${value}", not "${SANDBOX_CREDENTIAL}"`,
	);
	log(`  credentials offered: ${names.join(', ')}; "${SANDBOX_CREDENTIAL}" selected`);
}

/**
 * Opens a resource locator's list, waits until it has loaded, checks it with `ok(items)` and picks
 * the item `pick`. Returns the items' texts.
 */
async function pickFromList(page, parameter, { ok, describe, pick }) {
	const locator = page.locator($(`resource-locator-${parameter}`));
	await locator.locator($('rlc-input')).click();
	const items = locator.locator($('rlc-item'));
	const listed = await settle(
		async () => (await items.allInnerTexts()).map((n) => n.trim()),
		ok,
		describe,
		15_000,
	);
	await items.filter({ hasText: exactly(pick) }).click();
	await settle(
		() => locator.locator($('rlc-input')).inputValue(),
		(value) => value === pick,
		(value) => `${parameter} shows "${value}" after picking "${pick}"`,
	);
	return listed;
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

// ---------------------------------------------------------------------------
// npm start and the sandbox's conversation page

const testid = (id) => `[data-testid="${id}"]`;

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

async function conversation(page, started) {
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

	await page.locator(testid('composer-input')).fill('hello');
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
	log(`  its ticks: ${[...seen].join(' → ')}`);
	await shoot(page, 'sandbox-conversation.png', await edges(page.locator('body')));
}

// ---------------------------------------------------------------------------

/** Part 1: the trigger, as in the help's first step. */
async function triggerJourney(page, api, instance) {
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
}

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
	// Installed into the instance: the tarball this run packed is of no further use.
	if (!args.tgz) await rm(path.dirname(tgz), { recursive: true, force: true });
	let browser;
	let sandbox;
	let npmStart;
	const reports = [];
	let failure;
	/** Runs a part on a page; on failure its screenshot and elements are saved for the report. */
	const onPage = async (page, part) => {
		try {
			await part();
		} catch (error) {
			const dir = await saveDebug(page, error);
			error.message += `\n(screenshot and page elements in ${dir})`;
			throw error;
		}
	};
	try {
		await start(instance);
		const api = await setupOwnerAndApiKey(instance);
		log(`n8n editor on ${instance.baseUrl}; owner created over REST`);

		browser = await launchChromium({ baseURL: instance.baseUrl });
		const { context, page } = browser;
		page.setDefaultTimeout(30_000);
		const editorReport = new BrowserReport(page, instance.baseUrl);
		reports.push(editorReport);
		// n8n looks community packages up on registry.npmjs.org and loads a few external assets;
		// this test does not depend on the internet. Only n8n and, later, the sandbox are reachable.
		const reachable = new Set([new URL(instance.baseUrl).origin]);
		await context.route(
			(url) => !reachable.has(url.origin),
			(route) => route.abort('blockedbyclient'),
		);

		await onPage(page, () => triggerJourney(page, api, instance));

		log('the edna Pulse node, against the sandbox');
		sandbox = await startSandbox({ port: 0, speed: SANDBOX_SPEED });
		const credential = await api.createCredential({
			name: SANDBOX_CREDENTIAL,
			type: CREDENTIAL_TYPE,
			data: {
				apiKey: sandbox.keys.master,
				baseUrl: sandbox.apiUrl,
				webhookKey: sandbox.keys.webhook,
			},
		});
		log(
			`  sandbox on ${sandbox.url}; credential "${SANDBOX_CREDENTIAL}" created over the public API`,
		);
		await onPage(page, async () => {
			await checkTypes(page, ACTION_TYPE);
			const ndv = await addActionNode(page);
			await selectCredential(page, ndv, credential);
			await checkPickers(page, sandbox);
			await fillVariables(page, ndv);
			await executeStep(page, ndv, sandbox);
			await shoot(page, 'action-template.png', await edges(ndv));
		});

		// One n8n at a time: the test's goes before npm start brings its own.
		editorReport.stop();
		await page.close();
		await sandbox.stop();
		sandbox = undefined;
		await stopInstance(instance, { removeUserFolder: true });

		log('npm start, then the conversation page of its sandbox');
		npmStart = await runNpmStart({ args: ['--no-build'], log: (m) => log(`  ${m}`) });
		log(`  n8n on ${npmStart.editorUrl}, the sandbox's page on ${npmStart.sandboxUrl}/`);
		reachable.add(new URL(npmStart.sandboxUrl).origin);
		const sandboxPage = await context.newPage();
		sandboxPage.setDefaultTimeout(30_000);
		reports.push(
			new BrowserReport(sandboxPage, npmStart.sandboxUrl, { name: 'sandbox page', ours: true }),
		);
		await onPage(sandboxPage, () => conversation(sandboxPage, npmStart));
	} catch (error) {
		failure = error;
	} finally {
		for (const report of reports) report.stop();
		await browser?.close();
		await sandbox?.stop();
		await npmStart?.stop();
		await stopInstance(instance, { removeUserFolder: true });
	}

	const ours = [];
	for (const report of reports) {
		report.print();
		ours.push(...report.ours());
	}
	if (!failure && ours.length)
		failure = new Error(`${ours.length} browser error(s) caused by ${PACKAGE} (listed above)`);
	if (failure) {
		console.error(`\nui-test FAILED after ${elapsed()}: ${failure.message}`);
		process.exit(1);
	}
	log(`ui-test passed; screenshots in ${path.relative(process.cwd(), args.screenshots) || '.'}`);
}

await main();
