// Part of `npm run test:ui`: Message → Send and Wait for Response as a user meets it. A workflow
// "Webhook → edna Pulse (Send and Wait)" is opened in the editor and its node's parameters read;
// then a run asks the approver through the sandbox, and the Approve link of the message the sandbox
// received is opened in the browser, as the approver's phone would: the page must say so and the
// execution must finish with data.approved true.
import { randomUUID } from 'node:crypto';

import { actionNode, webhookNode } from '../lib/action-workflow.mjs';
import { chain } from '../lib/trigger-workflow.mjs';
import { $, check, log, settle } from './common.mjs';
import { edges, shoot } from './report.mjs';

const NODE_NAME = 'Ask the manager';
const APPROVER = '35790000301';
const MESSAGE = 'Refund 120 EUR for order A-77?';
const PHONE_BROWSER =
	'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

/** The `Label: URL` lines of the approver's message, by label. */
const linksOf = (text) => Object.fromEntries([...text.matchAll(/^(.+): (https?:\/\/\S+)$/gm)].map((m) => [m[1], m[2]]));

/** The labels of the parameters the open node shows. */
async function parameterLabels(ndv) {
	return (await ndv.locator(`${$('node-parameters')} ${$('parameter-input-field')}, ${$('node-parameters')} label`).allInnerTexts())
		.map((t) => t.trim())
		.filter(Boolean);
}

export async function approvalJourney(page, { api, instance, sandbox, credential, allow }) {
	const path = randomUUID();
	const webhook = { ...webhookNode(path), parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } };
	const approval = actionNode({
		credential,
		name: NODE_NAME,
		typeVersion: 1.1,
		parameters: {
			resource: 'message',
			operation: 'sendAndWait',
			phone: `+${APPROVER}`,
			cascadeChoice: 'automatic',
			channel: { __rl: true, mode: 'id', value: '101' },
			message: MESSAGE,
			responseType: 'approval',
			options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' } } },
		},
		extra: { webhookId: randomUUID() },
	});
	const workflow = await api.createWorkflow({ name: 'edna: approval on WhatsApp', ...chain([webhook, approval]), settings: { executionOrder: 'v1' } });
	await api.publishWorkflow(workflow.id);

	log('  the Send and Wait for Response node in the editor');
	await page.goto(`/workflow/${workflow.id}`);
	const node = page.locator(`${$('canvas-node')}[data-node-name="${NODE_NAME}"]`);
	await node.waitFor({ timeout: 60_000 });
	await node.dblclick();
	const ndv = page.locator($('ndv'));
	await ndv.waitFor();
	const operation = await ndv.locator(`${$('parameter-input-operation')} input`).inputValue();
	check(operation === 'Send and Wait for Response', `the node shows Operation "${operation}"`);
	const labels = await settle(
		() => parameterLabels(ndv),
		(shown) => ["Approver's Phone", 'Message', 'Response Type'].every((l) => shown.some((s) => s.startsWith(l))),
		(shown) => `the panel shows ${JSON.stringify(shown)}, not the approval parameters`,
	);
	log(`  parameters shown: ${labels.filter((l) => l.length < 40).slice(0, 12).join(', ')}`);
	await shoot(page, 'send-and-wait.png', await edges(ndv));
	await page.locator($('ndv-close-button')).click();
	await ndv.waitFor({ state: 'hidden' });

	log('  a run asks the approver; the Approve link opened in the browser');
	const since = sandbox.record.all().at(-1)?.seq ?? 0;
	const started = await fetch(`${instance.webhookBaseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	check(started.status === 200, `the workflow's webhook answered ${started.status}`);
	const request = await settle(
		() => sandbox.record.all(since).find((e) => e.type === 'request' && e.path === 'cascade/schedule' && e.status === 200),
		Boolean,
		() => 'no approval request reached the sandbox',
		60_000,
	);
	check(request.body.subscriberFilter.address === APPROVER, `the request went to ${request.body.subscriberFilter.address}`);
	const text = request.body.content.whatsappContent.text;
	const links = linksOf(text);
	check(text.startsWith(`${MESSAGE}\n\n`) && links.Approve && links.Decline, `the approver's message: ${text}`);
	const executionId = /\/webhook-waiting\/([^/]+)\//.exec(new URL(links.Approve).pathname)?.[1];
	check(executionId, `an execution in ${links.Approve}`);
	check((await api.getExecution(executionId, { includeData: false })).status === 'waiting', 'the execution waits');

	allow(new URL(links.Approve).origin);
	// A phone's browser: headless Chromium names itself HeadlessChrome, which the node takes for a
	// link preview (previews record nothing).
	const phone = await page.context().newPage();
	await phone.setViewportSize({ width: 412, height: 500 });
	const cdp = await page.context().newCDPSession(phone);
	await cdp.send('Network.setUserAgentOverride', { userAgent: PHONE_BROWSER });
	try {
		const answer = await phone.goto(links.Approve);
		check(answer?.status() === 200, `the Approve link answered ${answer?.status()}`);
		const said = (await phone.locator('body').innerText()).trim();
		check(/Approved — you can close this page/.test(said), `the approver's page says: ${said}`);
		await shoot(phone, 'approval-page.png', await edges(phone.locator('body')));
	} finally {
		await phone.close();
	}
	const done = await settle(
		() => api.getExecution(executionId),
		(e) => !['new', 'running', 'waiting'].includes(e.status),
		(e) => `execution ${executionId} is still ${e.status}`,
		60_000,
	);
	const item = done.data?.resultData?.runData?.[NODE_NAME]?.at(-1)?.data?.main?.[0]?.[0]?.json;
	check(done.status === 'success' && item?.data?.approved === true, `the execution went on with ${JSON.stringify(item)} (${done.status})`);
	log(`  approved: execution ${executionId} finished with data.approved true`);
}
