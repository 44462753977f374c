// Message → Send and Wait for Response in a real n8n (the packed package installed as a community
// package), against the sandbox as edna: "Webhook → edna Pulse (Send and Wait) → Result" is started
// with a POST, the execution waits, the approver's message is read from the sandbox's record of
// cascade/schedule, and its links are opened as the approver's phone would open them. What the
// approver sees is read from the pages, what the workflow got from n8n's executions.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';

import { start as startSandbox } from '../../sandbox/index.mjs';
import { actionNode, errorOf, webhookNode } from '../../scripts/lib/action-workflow.mjs';
import { REPO_ROOT, n8nMajor, sleep, waitForWebhook } from '../../scripts/lib/n8n/index.mjs';
import { send as deliver } from '../../scripts/lib/simulator.mjs';
import { chain, itemsOf, publishTriggerWorkflow, startEdnaN8n } from '../../scripts/lib/trigger-workflow.mjs';
import { setUpOnce } from '../support/harness.mjs';

const PHONE_BROWSER =
	'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const APPROVER = '35790000301';
const RESULT = 'Result';

let sandbox;
let n8n;

setUpOnce(async (own) => {
	sandbox = await own(startSandbox({ port: 0, speed: 100 }));
	n8n = await own(
		startEdnaN8n({
			key: sandbox.keys.webhook,
			credentialData: { apiKey: sandbox.keys.master, baseUrl: `${sandbox.apiUrl}/` },
		}),
	);
});

const lastSeq = () => sandbox.record.all().at(-1)?.seq ?? 0;
const schedulesSince = (since) =>
	sandbox.record.all(since).filter((e) => e.type === 'request' && e.path === 'cascade/schedule');

/** Send and Wait's parameters: to the approver on WhatsApp (channel 101), `extra` on top. */
const sendAndWait = (extra = {}) => ({
	resource: 'message',
	operation: 'sendAndWait',
	phone: `+${APPROVER}`,
	cascadeChoice: 'automatic',
	channel: { __rl: true, mode: 'id', value: '101' },
	message: 'Refund 120 EUR for order A-77?',
	responseType: 'approval',
	options: {},
	...extra,
});

/** n8n's Set node: what the workflow decided, next to the item it got. */
const resultNode = () => ({
	name: RESULT,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	parameters: {
		mode: 'manual',
		includeOtherFields: true,
		assignments: {
			assignments: [
				{
					id: randomUUID(),
					name: 'decision',
					type: 'string',
					value: "={{ $json.data?.approved === true ? 'approved' : $json.data?.approved === false ? 'declined' : 'no answer' }}",
				},
			],
		},
		options: {},
	},
});

/**
 * Publishes "Webhook (answers at once) → edna Pulse (Send and Wait) → Result" and returns `start()`:
 * POSTs, waits for the execution to wait, and returns it with the approver's message and links.
 */
async function publishApproval(parameters) {
	const path = randomUUID();
	const approvalNode = actionNode({ credential: n8n.credential, parameters });
	const webhook = { ...webhookNode(path), parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } };
	const workflow = await n8n.api.createWorkflow({ name: `approval ${path.slice(0, 8)}`, ...chain([webhook, approvalNode, resultNode()]) });
	await n8n.api.publishWorkflow(workflow.id);
	const url = `${n8n.instance.webhookBaseUrl}/webhook/${path}`;
	const start = async (body = { order: 'A-77' }) => {
		const since = lastSeq();
		const deadline = Date.now() + 30_000;
		let res;
		for (;;) {
			res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			await res.arrayBuffer();
			if (res.status !== 404 || Date.now() > deadline) break;
			await sleep(200);
		}
		assert.equal(res.status, 200, `the workflow started (${url})`);
		const message = await waitFor(() => schedulesSince(since).find((e) => e.status === 200), 'the approval message in the sandbox');
		const text = message.body.content.whatsappContent.text;
		const execution = await waitingExecutionOf(text, workflow.id);
		return { execution, message, text, links: linksOf(text) };
	};
	return { workflow, node: approvalNode, start };
}

/**
 * The execution the links of an approval message resume, once n8n shows it waiting; checked to be
 * one of `workflowId`'s. Read by its ID: n8n 1.x's public API lists no waiting executions.
 */
async function waitingExecutionOf(text, workflowId) {
	const [link] = Object.values(linksOf(text));
	const [, id] = /^\/webhook-waiting\/([^/]+)\//.exec(new URL(link).pathname) ?? [];
	assert.ok(id, `an execution in ${link}`);
	const execution = await waitFor(async () => {
		const found = await n8n.api.getExecution(id, { includeData: false });
		return found.status === 'new' || found.status === 'running' ? undefined : found;
	}, `execution ${id} to wait`);
	assert.equal(String(execution.workflowId), String(workflowId));
	return execution;
}

/** Polls `check` until it returns something (bounded), for conditions on a busy machine. */
async function waitFor(check, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

/** The `Label: URL` lines of the approver's message, by label. */
function linksOf(text) {
	return Object.fromEntries([...text.matchAll(/^(.+): (https?:\/\/\S+)$/gm)].map((m) => [m[1], m[2]]));
}

/**
 * Opens a link as the approver's phone does; returns the status and the page. node:http sends only
 * the headers given (fetch would add a User-Agent of its own), so `userAgent: null` sends none.
 */
function open(url, { userAgent = PHONE_BROWSER, method = 'GET', form } = {}) {
	const body = form ? new URLSearchParams(form).toString() : undefined;
	const headers = {
		...(userAgent === null ? {} : { 'user-agent': userAgent }),
		...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }),
	};
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, timeout: 60_000 }, (res) => {
			let page = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (page += chunk));
			res.on('end', () => resolve({ status: res.statusCode, page, type: res.headers['content-type'] ?? '' }));
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within 60 s`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** The execution once it has finished (not new/running/waiting), with its data. */
async function finished(id, timeoutMs = 60_000) {
	return waitFor(async () => {
		const execution = await n8n.api.getExecution(id);
		return ['new', 'running', 'waiting'].includes(execution.status) ? undefined : execution;
	}, `execution ${id} to finish`, timeoutMs);
}

const statusOf = async (id) => (await n8n.api.getExecution(id, { includeData: false })).status;

describe('Message → Send and Wait for Response in a real n8n, against the sandbox', { concurrency: 1 }, () => {
	let approval;

	test('the approver gets the message with Approve and Decline links to this execution; Approve → the execution finishes with data.approved true; the link again changes nothing', async () => {
		approval = await publishApproval(sendAndWait());
		const { execution, message, text, links } = await approval.start();
		assert.equal(execution.status, 'waiting');
		assert.deepEqual(message.body.subscriberFilter, { address: APPROVER, type: 'PHONE' });
		assert.match(text, /^Refund 120 EUR for order A-77\?\n\nApprove: \S+\nDecline: \S+$/);
		for (const [label, link] of Object.entries(links)) {
			const url = new URL(link);
			assert.equal(url.origin, new URL(n8n.instance.webhookBaseUrl).origin, `${label} points to n8n`);
			assert.equal(url.pathname, `/webhook-waiting/${execution.id}/${approval.node.id}`);
			assert.match(url.searchParams.get('signature') ?? '', /^[0-9a-f]{64}$/, 'signed by n8n');
		}
		assert.equal(new URL(links.Approve).searchParams.get('approved'), 'true');
		assert.equal(new URL(links.Decline).searchParams.get('approved'), 'false');

		const approved = await open(links.Approve);
		assert.equal(approved.status, 200);
		assert.match(approved.type, /^text\/html/);
		assert.match(approved.page, /Approved — you can close this page/);
		const done = await finished(execution.id);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		const [item] = itemsOf(done, RESULT);
		assert.equal(item.data.approved, true);
		assert.equal(item.decision, 'approved');
		assert.ok(Math.abs(Date.parse(item.data.respondedAt) - Date.now()) < 120_000, item.data.respondedAt);

		for (const link of [links.Approve, links.Decline]) {
			const again = await open(link);
			assert.equal(again.status, 200);
			assert.match(again.page, /No action required/, 'n8n says the request was answered already');
		}
		const after = await n8n.api.getExecution(execution.id);
		assert.equal(after.status, 'success');
		assert.deepEqual(itemsOf(after, RESULT), [item], 'nothing changed');
		assert.deepEqual((await n8n.api.listExecutions(approval.workflow.id)).map((e) => e.id), [execution.id], 'no new execution');
	});

	test('another run: link previews and a tampered or unsigned link record nothing; Decline → data.approved false', async () => {
		const { execution, links } = await approval.start({ order: 'A-78' });
		const preview = await open(links.Approve, { userAgent: 'WhatsApp/2.23.20.0 A' });
		assert.equal(preview.status, 200);
		assert.match(preview.page, /Open this link in your browser to answer/);
		const noAgent = await open(links.Approve, { userAgent: null });
		assert.match(noAgent.page, /Open this link in your browser to answer/);

		// The Decline link, switched to approve: the signature no longer matches.
		const tampered = new URL(links.Decline);
		tampered.searchParams.set('approved', 'true');
		const unsigned = new URL(links.Approve);
		unsigned.searchParams.delete('signature');
		for (const link of [tampered, unsigned]) {
			const refused = await open(link.toString());
			assert.equal(refused.status, 401, `${link}: ${refused.page.slice(0, 200)}`);
			if (n8nMajor(n8n.instance.version) >= 2) assert.match(refused.page, /Invalid Form Link/);
			else assert.deepEqual(JSON.parse(refused.page), { error: 'Invalid token' });
		}
		assert.equal(await statusOf(execution.id), 'waiting', 'still waiting for the approver');

		const declined = await open(links.Decline);
		assert.equal(declined.status, 200);
		assert.match(declined.page, /Declined — you can close this page/);
		const done = await finished(execution.id);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		const [item] = itemsOf(done, RESULT);
		assert.equal(item.data.approved, false);
		assert.equal(item.decision, 'declined');
		const late = await open(links.Approve);
		assert.match(late.page, /No action required/);
		assert.equal(itemsOf(await n8n.api.getExecution(execution.id), RESULT)[0].data.approved, false, 'still declined');
	});

	test('Limit Wait Time passes without an answer: the execution goes on with its input unchanged (no data); a link used after that changes nothing', async () => {
		// 0.05 minutes = 3 s; n8n looks for expired waits once a minute.
		const limited = await publishApproval(
			sendAndWait({ options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' } } } }),
		);
		const { execution, links } = await limited.start({ order: 'A-79' });
		assert.equal(execution.status, 'waiting');
		const done = await finished(execution.id, 180_000);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		const [item] = itemsOf(done, RESULT);
		assert.equal(item.decision, 'no answer');
		assert.equal(item.data, undefined);
		assert.deepEqual(item.body, { order: 'A-79' }, "the Webhook's item, as it came in");
		const late = await open(links.Approve);
		assert.equal(late.status, 200);
		assert.match(late.page, /No action required/);
		assert.equal(itemsOf(await n8n.api.getExecution(execution.id), RESULT)[0].decision, 'no answer');
	});

	test('Free Text: the link opens a form; the answer sent → data.text', async () => {
		const freeText = await publishApproval(sendAndWait({ responseType: 'freeText', options: { messageButtonLabel: 'Answer' } }));
		const { execution, text, links } = await freeText.start({ order: 'A-80' });
		assert.deepEqual(Object.keys(links), ['Answer'], text);
		const form = await open(links.Answer);
		assert.equal(form.status, 200);
		assert.match(form.page, /<form method="post">/);
		assert.match(form.page, /Refund 120 EUR for order A-77\?/);
		const empty = await open(links.Answer, { method: 'POST', form: { response: '  ' } });
		assert.equal(empty.status, 400);
		assert.equal(await statusOf(execution.id), 'waiting');
		const sent = await open(links.Answer, { method: 'POST', form: { response: 'Refund 100 EUR only' } });
		assert.equal(sent.status, 200, sent.page.slice(0, 300));
		assert.match(sent.page, /your answer was sent/);
		const done = await finished(execution.id);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		assert.equal(itemsOf(done, RESULT)[0].data.text, 'Refund 100 EUR only');
	});

	test('an edna event delivered twice: the approver is asked once; the second execution stops saying why; the first is approved', async () => {
		const flow = await publishTriggerWorkflow(n8n, {
			name: 'approval per customer message',
			parameters: { event: 'incomingMessage' },
			nodes: [actionNode({ credential: n8n.credential, parameters: sendAndWait({ message: '={{ "Customer " + $json.senderId + " asks: " + $json.text }}' }) })],
		});
		sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url: flow.url });
		const since = lastSeq();
		const first = await sandbox.customer.send({ phone: '35790000501', subjectId: 101, text: 'Can I get a refund?' });
		assert.equal(first.webhook?.status, 200, JSON.stringify(first.webhook));
		const request = await waitFor(() => schedulesSince(since).find((s) => s.status === 200), 'the approval request');
		const waiting = await waitingExecutionOf(request.body.content.whatsappContent.text, flow.workflow.id);
		assert.equal(waiting.status, 'waiting');
		const again = await deliver({ url: flow.url, key: sandbox.keys.webhook, body: first.body });
		assert.equal(again.status, 200, again.text);
		const [second] = await n8n.api.waitForExecutions(flow.workflow.id, 1, { timeoutMs: 60_000 });
		assert.equal(second.status, 'error');
		const error = errorOf(second);
		assert.match(error.message, /^This approval request went out before \(Send ID [0-9a-f-]{36}\)$/);
		assert.match(error.description, /the event was delivered again/);

		const sends = schedulesSince(since);
		assert.equal(sends.filter((s) => s.status === 200).length, 1, 'the approver got one message');
		const text = sends.find((s) => s.status === 200).body.content.whatsappContent.text;
		assert.match(text, /^Customer \+?35790000501 asks: Can I get a refund\?/);
		const approved = await open(linksOf(text).Approve);
		assert.match(approved.page, /Approved — you can close this page/);
		const done = await finished(waiting.id);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		assert.equal(itemsOf(done, 'edna Pulse')[0].data.approved, true);
	});

	test('examples/refund-approval.json as imported: a refund request goes to the manager; Approve → the customer hears yes, Decline → no; other messages ask nobody', async () => {
		const file = JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', 'refund-approval.json'), 'utf8'));
		const nodes = structuredClone(file.nodes);
		for (const node of nodes) {
			if (node.credentials?.ednaPulseApi) node.credentials.ednaPulseApi = { id: n8n.credential.id, name: n8n.credential.name };
			if (node.name === 'Ask the manager') node.parameters.phone = `+${APPROVER}`; // the one field a user fills in
		}
		const created = await n8n.api.createWorkflow({ name: file.name, nodes, connections: file.connections, settings: file.settings });
		await n8n.api.publishWorkflow(created.id);
		const url = n8n.instance.webhookUrl(nodes.find((n) => n.name === 'edna Pulse Trigger').webhookId, 'webhook');
		await waitForWebhook(url);
		sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });
		const replies = (since, phone) =>
			schedulesSince(since).filter((s) => s.status === 200 && s.body.subscriberFilter.address === phone).map((s) => s.body.content.whatsappContent.text);

		const cases = [
			{ phone: '35790000601', link: 'Approve', answer: /^Good news: your refund is approved/ },
			{ phone: '35790000602', link: 'Decline', answer: /^We could not approve a refund straight away/ },
		];
		for (const { phone, link, answer } of cases) {
			const since = lastSeq();
			const wrote = await sandbox.customer.send({ phone, subjectId: 101, text: 'Hello, I would like a Refund for order A-77' });
			assert.equal(wrote.webhook?.status, 200, JSON.stringify(wrote.webhook));
			const [request] = await waitFor(async () => {
				const found = replies(since, APPROVER);
				return found.length > 0 ? found : undefined;
			}, 'the request to the manager');
			assert.equal(request.split('\n')[0], `Refund request from +${phone}:`);
			assert.match(request, /"Hello, I would like a Refund for order A-77"\nApprove the refund\?\n\nApprove: \S+\nDecline: \S+$/);
			const execution = await waitingExecutionOf(request, created.id);
			assert.equal(execution.status, 'waiting');
			assert.deepEqual(replies(since, phone), [], 'the customer hears nothing before the manager answers');
			const page = await open(linksOf(request)[link]);
			assert.equal(page.status, 200);
			const done = await finished(execution.id);
			assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
			const told = await waitFor(async () => {
				const found = replies(since, phone);
				return found.length > 0 ? found : undefined;
			}, 'the answer to the customer');
			assert.equal(told.length, 1, JSON.stringify(told));
			assert.match(told[0], answer);
		}

		const since = lastSeq();
		const before = (await n8n.api.listExecutions(created.id)).length;
		await sandbox.customer.send({ phone: '35790000603', subjectId: 101, text: 'Where is my parcel?' });
		const runs = await n8n.api.waitForExecutions(created.id, before + 1, { timeoutMs: 60_000, exact: true });
		assert.equal(runs[0].status, 'success', JSON.stringify(errorOf(runs[0])));
		assert.deepEqual(Object.keys(runs[0].data.resultData.runData), ['edna Pulse Trigger', 'Asks for a refund']);
		assert.deepEqual(schedulesSince(since), [], 'nobody was asked, nothing was sent');
	});
});
