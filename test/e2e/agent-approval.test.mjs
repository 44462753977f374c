// The edna Pulse node as an AI agent's human review step in a real n8n (the packed package installed
// as a community package): n8n 2.x offers every node with a Send and Wait operation as
// `<type>HitlTool`, which sits between the agent and a tool and asks a person before each call.
// Here the gated tool is the edna Pulse node itself (Message → Send to the customer), and the
// approval goes to a manager's phone through edna. The scripted model calls the tool; the test reads
// the manager's message from the sandbox and opens its Approve or Decline link.
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';

import { errorOf } from '../../scripts/lib/action-workflow.mjs';
import { agentWorkflow, ednaTool } from '../../scripts/lib/agent-workflow.mjs';
import { n8nMajor, sleep, waitForWebhook } from '../../scripts/lib/n8n/index.mjs';
import { CREDENTIAL_TYPE, itemsOf } from '../../scripts/lib/trigger-workflow.mjs';
import { lastMessage, lastSeq, sendsSince, setUpAgentSuite, toolName } from '../support/agent-suite.mjs';

const CUSTOMER = '35790000601';
const MANAGER = '35790000699';
const REVIEW = 'Ask the manager';
const GATED = 'Send to the customer';
const HITL_TYPE = 'n8n-nodes-edna-pulse.ednaPulseHitlTool';
const BROWSER = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

/** The human review step: Send and Wait for Response to the manager on WhatsApp (channel 101). */
const reviewNode = (credential, options = {}) => ({
	id: randomUUID(),
	name: REVIEW,
	type: HITL_TYPE,
	typeVersion: 1,
	position: [480, 220],
	parameters: {
		resource: 'message',
		operation: 'sendAndWait',
		phone: MANAGER,
		cascadeChoice: 'automatic',
		channel: { __rl: true, mode: 'id', value: '101' },
		message: '=The assistant wants to run {{ $tool.name }} with {{ JSON.stringify($tool.parameters) }}',
		responseType: 'approval',
		options,
	},
	credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
});

/**
 * Publishes "trigger → AI Agent ← review step ← edna Pulse (Send to the customer)" and points the
 * sandbox's incoming messages at it. `options`: the review step's Options.
 */
async function publishReviewedAgent({ n8n, sandbox, modelCredential }, options = {}) {
	const gated = ednaTool({
		name: GATED,
		credential: n8n.credential,
		toolDescription: 'Sends a WhatsApp message to the customer. Fill in text: the message.',
		parameters: {
			resource: 'message',
			operation: 'send',
			phone: CUSTOMER,
			cascadeChoice: 'automatic',
			channel: { __rl: true, mode: 'id', value: '101' },
			contentType: 'text',
			text: "={{ $fromAI('text', 'The message to send to the customer', 'string') }}",
			options: {},
		},
	});
	const { trigger, ...definition } = agentWorkflow({
		credential: n8n.credential,
		modelCredential,
		memory: false,
		systemMessage: 'You answer customers of a shop on WhatsApp. Send every answer with the tool.',
		tools: [reviewNode(n8n.credential, options)],
	});
	definition.nodes.push({ ...gated, position: [480, 440] });
	definition.connections[GATED] = { ai_tool: [[{ node: REVIEW, type: 'ai_tool', index: 0 }]] };
	const created = await n8n.api.createWorkflow({ name: `agent sends after a manager approves ${randomUUID().slice(0, 8)}`, ...definition });
	await n8n.api.publishWorkflow(created.id);
	const url = n8n.instance.webhookUrl(trigger.webhookId, 'webhook');
	await waitForWebhook(url);
	sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });
	return { workflow: created, url };
}

let flow;
const suite = setUpAgentSuite(async (started) => {
	if (n8nMajor(started.n8n.instance.version) >= 2) flow = await publishReviewedAgent(started);
});

/** A model that calls the gated tool once with `text` (its arguments as n8n's review step asks them), then closes. */
const sending = (text) => (request) =>
	lastMessage(request).role === 'tool'
		? { content: 'Done.' }
		: { toolCalls: [{ name: toolName(request), arguments: { toolParameters: { text }, hitlParameters: {} } }] };

async function waitFor(check, what, timeoutMs = 90_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(250);
	}
}

function open(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { headers: { 'user-agent': BROWSER }, timeout: 60_000 }, (res) => {
			let page = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (page += chunk));
			res.on('end', () => resolve({ status: res.statusCode, page }));
		});
		req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within 60 s`)));
		req.on('error', reject);
	});
}

const sentTo = (phone, since) => sendsSince(suite.sandbox, since).filter((e) => e.status === 200 && e.body.subscriberFilter.address === phone);
const linksOf = (text) => Object.fromEntries([...text.matchAll(/^(.+): (https?:\/\/\S+)$/gm)].map((m) => [m[1], m[2]]));

/** The customer writes; the execution waits for the manager; returns it with the manager's links. */
async function customerAsks(text) {
	const since = lastSeq(suite.sandbox);
	const known = new Set((await suite.n8n.api.listExecutions(flow.workflow.id)).map((e) => e.id));
	const { webhook } = await suite.sandbox.customer.send({ phone: CUSTOMER, subjectId: 101, text });
	assert.equal(webhook?.status, 200, JSON.stringify(webhook));
	const execution = await waitFor(async () => {
		const list = await suite.n8n.api.listExecutions(flow.workflow.id);
		return list.find((e) => !known.has(e.id) && !['new', 'running'].includes(e.status));
	}, 'the execution to wait for the manager');
	assert.equal(execution.status, 'waiting', JSON.stringify(errorOf(await suite.n8n.api.getExecution(execution.id))));
	const [approval] = await waitFor(() => {
		const list = sentTo(MANAGER, since);
		return list.length > 0 ? list : undefined;
	}, "the manager's message");
	return { since, execution, text: approval.body.content.whatsappContent.text };
}

async function finished(id) {
	return waitFor(async () => {
		const execution = await suite.n8n.api.getExecution(id);
		return ['new', 'running', 'waiting'].includes(execution.status) ? undefined : execution;
	}, `execution ${id} to finish`);
}

describe("the edna Pulse node as an AI agent's human review step", { concurrency: 1 }, () => {
	if (n8nMajor() < 2) {
		test('n8n 1.x has no human review step: publishing a workflow with ednaPulseHitlTool is refused ("Unrecognized node type"), and no one is messaged', async () => {
			const since = lastSeq(suite.sandbox);
			await assert.rejects(publishReviewedAgent(suite), /Unrecognized node type: n8n-nodes-edna-pulse\.ednaPulseHitl\b/);
			assert.deepEqual(sendsSince(suite.sandbox, since), []);
		});
		return;
	}

	test('the agent calls the tool; the manager gets the request through edna, approves, and only then the customer gets the message', async () => {
		const seen = suite.model.requests.length;
		suite.script = sending('Your refund of 120 EUR is approved.');
		const { since, execution, text } = await customerAsks('Can I get my money back for order A-77?');
		assert.match(text, new RegExp(`^The assistant wants to run ${GATED.replaceAll(' ', '_')} with .*Your refund of 120 EUR is approved\\.`));
		assert.deepEqual(sentTo(CUSTOMER, since), [], 'nothing reaches the customer before the manager answers');
		const links = linksOf(text);
		assert.deepEqual(Object.keys(links), ['Approve', 'Decline'], text);

		const page = await open(links.Approve);
		assert.equal(page.status, 200);
		assert.match(page.page, /Approved — you can close this page/);
		const done = await finished(execution.id);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		const [sent] = await waitFor(() => {
			const list = sentTo(CUSTOMER, since);
			return list.length > 0 ? list : undefined;
		}, 'the message to the customer');
		assert.equal(sent.body.content.whatsappContent.text, 'Your refund of 120 EUR is approved.');
		assert.equal(sentTo(CUSTOMER, since).length, 1);
		assert.deepEqual(itemsOf(done, GATED).map((i) => i.outcome), ['sent']);
		const toolResults = suite.model.requests.slice(seen).at(-1).messages.filter((m) => m.role === 'tool');
		assert.match(toolResults.map((m) => m.content).join('\n'), /"outcome":"sent"/, 'the model was told the message went out');
	});

	test('the manager declines: the customer gets nothing, and the model is told the call was rejected', async () => {
		const seen = suite.model.requests.length;
		suite.script = sending('We will refund 500 EUR.');
		const { since, execution, text } = await customerAsks('And 500 EUR for the trouble?');
		const page = await open(linksOf(text).Decline);
		assert.match(page.page, /Declined — you can close this page/);
		const done = await finished(execution.id);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		assert.deepEqual(sentTo(CUSTOMER, since), [], 'the customer got nothing');
		assert.deepEqual(itemsOf(done, GATED), [], 'the tool did not run');
		const toolResults = suite.model.requests.slice(seen).at(-1).messages.filter((m) => m.role === 'tool');
		assert.match(toolResults.map((m) => m.content).join('\n'), /rejected/);
	});

	test('no answer within the time limit: the call does not run, and the model is told it was stopped at review, not that it ran', async () => {
		// 0.05 minutes = 3 s; n8n looks for expired waits once a minute.
		flow = await publishReviewedAgent(suite, { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' } } });
		const seen = suite.model.requests.length;
		suite.script = sending('Refund sent without asking.');
		const { since, execution } = await customerAsks('Refund me now.');
		const done = await waitFor(async () => {
			const current = await suite.n8n.api.getExecution(execution.id);
			return ['new', 'running', 'waiting'].includes(current.status) ? undefined : current;
		}, 'the time limit to pass', 180_000);
		assert.equal(done.status, 'success', JSON.stringify(errorOf(done)));
		assert.deepEqual(sentTo(CUSTOMER, since), [], 'the customer got nothing');
		assert.deepEqual(itemsOf(done, GATED), [], 'the tool did not run');
		const told = suite.model.requests.slice(seen).at(-1).messages.filter((m) => m.role === 'tool').map((m) => m.content).join('\n');
		// n8n 2.41 words a review step that passed its input on as "feedback", quoting the input's
		// chatInput (here the customer's own message): the call still did not run.
		assert.match(told, /reviewed your planned tool call to Send to the customer/);
		assert.doesNotMatch(told, /"outcome"/, 'the model is not told anything was sent');
	});
});
