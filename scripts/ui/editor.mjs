// n8n's editor as a user works it: signing in, the node panel, parameters, credentials, saving and
// publishing, executions. Each helper checks what the user should see on the way.
import { OWNER } from '../lib/n8n/index.mjs';
import {
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	NODE_TYPE,
	PACKAGE,
	SANDBOX_CREDENTIAL,
	WORKFLOW_NAME,
	WEBHOOK_KEY,
	$,
	check,
	exactly,
	log,
	settle,
} from './common.mjs';
import { around, edges, shoot } from './report.mjs';

/** The triggers the node panel lists for the node, in order. */
export const PANEL_TRIGGERS = [
	'On message status changed',
	'On message received',
	'On template status changed',
	'On WhatsApp template category changed',
	'On WhatsApp link button clicked',
	'On any event',
];

/**
 * A node type and the credential type as n8n derived them from the package (the editor's
 * /types/*.json): both themes' icons load as SVG and the codex reached n8n.
 */
export async function checkTypes(page, nodeType = NODE_TYPE) {
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

export async function signIn(page) {
	// The editor's first load fetches its whole bundle: slow on a busy machine.
	await page.goto('/signin?redirect=%2Fworkflow%2Fnew', { timeout: 120_000 });
	await page.locator(`${$('emailOrLdapLoginId')} input`).fill(OWNER.email);
	await page.locator(`${$('password')} input`).fill(OWNER.password);
	await page.locator($('form-submit-button')).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/**
 * The node's credential opened from its panel (the pen beside it): n8n tests it at once, and with
 * the credential's API key the test asks edna for the channels.
 */
export async function testCredential(page, ndv) {
	await ndv.locator($('credential-edit-button')).click();
	const modal = page.locator($('editCredential-modal'));
	await modal.waitFor();
	const success = modal.locator($('credentials-config-container-test-success'));
	await success.waitFor({ timeout: 30_000 });
	// The banner's message, then its Retry button.
	const text = (await success.innerText())
		.replace(/\s+/g, ' ')
		.replace(/ Retry$/, '')
		.trim();
	check(/tested successfully/i.test(text), `the credential's test says "${text}"`);
	// The dialog's own close button: Escape would close the node's panel behind it as well.
	await page.locator('.el-dialog:visible .el-dialog__headerbtn').last().click();
	await modal.waitFor({ state: 'hidden' });
	check(await ndv.isVisible(), "closing the credential dialog closed the node's panel");
	return text;
}

/** Signed in with ?redirect, the editor opens a new workflow straight away. */
export async function openNewWorkflow(page) {
	if (!/\/workflow\//.test(page.url())) await page.goto('/workflow/new');
	await page.locator($('canvas-add-button')).waitFor({ timeout: 60_000 });
}

export async function findNodeInPanel(page) {
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
export async function choose(page, parameter, ...labels) {
	await page.locator($(`parameter-input-${parameter}`)).click();
	for (const label of labels) {
		const headline = page.locator('.option-headline', { hasText: exactly(label) });
		await page.locator('li[role="option"]:visible').filter({ has: headline }).click();
	}
}

export async function filterOptions(page, ndv) {
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

export async function createCredential(page, ndv) {
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

export async function copyProductionUrl(page, ndv, instance) {
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

export async function saveAndPublish(page, api, workflowId) {
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

	await publish(page);
	log("  published; n8n shows the node's activation message");
}

/** Publish → Publish in the editor's header: n8n shows the trigger's activation message. */
export async function publish(page) {
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
}

/** Executions → one execution: its preview (the canvas of that run), once the editor shows it. */
export async function executionPreview(page, workflowId, executionId) {
	await page.locator($('radio-button-executions')).click();
	await page.waitForURL(new RegExp(`/workflow/${workflowId}/executions`));
	const entry = page.locator($(`execution-details-${executionId}`));
	await entry.waitFor();
	await entry.click();
	return page.locator($('execution-preview-host'));
}

export async function openExecution(page, workflowId, executionId) {
	const host = await executionPreview(page, workflowId, executionId);
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

/** Both edna credentials are offered (the trigger's has no API key): the sandbox's is chosen. */
export async function selectCredential(page, ndv, credential) {
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
export async function pickFromList(page, parameter, { ok, describe, pick }) {
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
