// examples/ai-assistant-whatsapp.json in a real n8n, imported as a user imports it and given its two
// credentials: the edna one (the sandbox as edna) and an OpenAI one whose Base URL is a scripted
// OpenAI-compatible model served here. A burst of customer messages gets one agent turn and one
// reply; a redelivered message gets none. The example is an n8n 2.x workflow (AI Agent 3.1).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { errorOf } from '../../scripts/lib/action-workflow.mjs';
import { REPO_ROOT, sleep, waitForWebhook } from '../../scripts/lib/n8n/index.mjs';
import { send } from '../../scripts/lib/simulator.mjs';
import { TRIGGER_TYPE, itemsOf } from '../../scripts/lib/trigger-workflow.mjs';
import { calling, lastMessage, lastSeq, sendsSince, setUpAgentSuite } from '../support/agent-suite.mjs';

const CUSTOMER = '35790000300';
const HAND_OVER_S = 15;
const ANSWER = 'Hello Anna! Order 77 ships today and arrives on Friday.';
let example;

const suite = setUpAgentSuite(async ({ n8n, sandbox, modelCredential }) => {
	const file = JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', 'ai-assistant-whatsapp.json'), 'utf8'));
	const nodes = structuredClone(file.nodes);
	for (const node of nodes) {
		// The example's hand-over time is an hour; a quarter of a minute lets the test see it end.
		if (node.name === 'Read the conversation') node.parameters.options = { ...node.parameters.options, handOverMinutes: HAND_OVER_S / 60 };
		if (node.credentials?.ednaPulseApi) node.credentials.ednaPulseApi = { id: n8n.credential.id, name: n8n.credential.name };
		if (node.credentials?.openAiApi) node.credentials.openAiApi = { id: modelCredential.id, name: modelCredential.name };
	}
	const created = await n8n.api.createWorkflow({ name: file.name, nodes, connections: file.connections, settings: file.settings });
	await n8n.api.publishWorkflow(created.id);
	const url = n8n.instance.webhookUrl(nodes.find((n) => n.type === TRIGGER_TYPE).webhookId, 'webhook');
	await waitForWebhook(url);
	sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });
	example = { id: created.id, url, nodes };
});

test('three messages within seconds: one agent turn whose prompt holds all three, one reply on WhatsApp', async () => {
	const since = lastSeq(suite.sandbox);
	const seen = suite.model.requests.length;
	suite.script = calling(ANSWER);
	const texts = ['hi', 'this is Anna', 'when does order 77 arrive?'];
	for (const [i, text] of texts.entries()) {
		if (i > 0) await sleep(300);
		const { webhook } = await suite.sandbox.customer.send({ phone: CUSTOMER, subjectId: 101, text });
		assert.equal(webhook?.status, 200, JSON.stringify(webhook));
	}
	const executions = await suite.n8n.api.waitForExecutions(example.id, 3, { timeoutMs: 60_000, exact: true });
	for (const e of executions) assert.equal(e.status, 'success', JSON.stringify(errorOf(e)));
	const answered = executions.filter((e) => 'AI Agent' in (e.data?.resultData?.runData ?? {}));
	assert.equal(answered.length, 1, 'one agent turn for the burst');
	const turn = suite.model.requests.slice(seen);
	assert.equal(turn.length, 2, 'the model was asked once, then told the reply went out');
	assert.equal(lastMessage(turn[0]).content, texts.join('\n'), "the prompt is the customer's three messages");
	const accepted = sendsSince(suite.sandbox, since).filter((e) => e.status === 200);
	assert.deepEqual(
		accepted.map((e) => [e.body.subscriberFilter.address, e.body.content.whatsappContent.text]),
		[[CUSTOMER, ANSWER]],
	);
	const [reply] = itemsOf(answered[0], 'Reply to the customer');
	assert.equal(reply.idSource, 'eventKey', 'the reply is keyed to the last message of the burst');
	// The reply checks WhatsApp's 24-hour window (the example's "Stop With an Error") from the
	// conversation the workflow read: edna's history is read once per run, not again for the reply.
	assert.equal(reply.window?.checkedBy, 'conversation', JSON.stringify(reply));
	const historyReads = suite.sandbox.record.all(since).filter((e) => e.type === 'request' && e.path === 'messages/history');
	assert.equal(historyReads.length, texts.length, 'one history read per run');
});

test('the last message delivered again: nothing is unanswered, the agent is not asked, nothing is sent', async () => {
	const since = lastSeq(suite.sandbox);
	const seen = suite.model.requests.length;
	const last = suite.sandbox.record.webhooks({ url: example.url }).at(-1);
	const again = await send({ url: example.url, key: suite.sandbox.keys.webhook, body: typeof last.body === 'string' ? last.body : JSON.stringify(last.body) });
	assert.equal(again.status, 200, again.text);
	const [execution] = await suite.n8n.api.waitForExecutions(example.id, 4, { timeoutMs: 60_000, exact: true });
	assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
	const [conversation] = itemsOf(execution, 'Read the conversation');
	assert.equal(conversation.isNewest, true);
	assert.equal(conversation.unansweredCount, 0);
	assert.equal(suite.model.requests.length, seen, 'the model was not asked');
	assert.deepEqual(sendsSince(suite.sandbox, since), []);
});

test('a person answers in edna\'s chat centre: the bot stays quiet for the hand-over time, then answers again', async () => {
	const phone = '35790000301';
	let since = lastSeq(suite.sandbox);
	const seen = suite.model.requests.length;
	const before = (await suite.n8n.api.listExecutions(example.id)).length;
	await suite.sandbox.customer.send({ phone, subjectId: 101, text: 'I want to talk to a person' });
	const operator = suite.sandbox.operator.send({ phone, subjectId: 101, text: 'Hi, Maria here. Let me check.' });
	const answeredAt = Date.now();
	const quiet = await suite.sandbox.customer.send({ phone, subjectId: 101, text: 'thanks Maria' });
	assert.equal(quiet.webhook?.status, 200, JSON.stringify(quiet.webhook));
	const executions = await suite.n8n.api.waitForExecutions(example.id, before + 2, { timeoutMs: 60_000, exact: true });
	const latest = executions.slice(0, 2);
	for (const e of latest) assert.equal(e.status, 'success', JSON.stringify(errorOf(e)));
	const [conversation] = itemsOf(executions[0], 'Read the conversation');
	assert.equal(conversation.operatorActive, true, JSON.stringify(conversation));
	assert.equal(conversation.operatorLastAt, operator.createdAt);
	assert.ok(latest.every((e) => !('AI Agent' in (e.data?.resultData?.runData ?? {}))), 'the agent was not run');
	assert.equal(suite.model.requests.length, seen, 'the model was not asked');
	assert.deepEqual(sendsSince(suite.sandbox, since), [], 'the bot sent nothing');
	assert.ok(Date.now() - answeredAt < HAND_OVER_S * 1000, 'all of this happened within the hand-over time');

	// After the hand-over time the bot answers again.
	await sleep(Math.max(0, answeredAt + HAND_OVER_S * 1000 + 500 - Date.now()));
	since = lastSeq(suite.sandbox);
	suite.script = calling('Anything else I can help with?');
	await suite.sandbox.customer.send({ phone, subjectId: 101, text: 'one more question' });
	const [later] = await suite.n8n.api.waitForExecutions(example.id, before + 3, { timeoutMs: 60_000, exact: true });
	assert.equal(later.status, 'success', JSON.stringify(errorOf(later)));
	assert.equal(itemsOf(later, 'Read the conversation')[0].operatorActive, false);
	const accepted = sendsSince(suite.sandbox, since).filter((e) => e.status === 200);
	assert.deepEqual(accepted.map((e) => [e.body.subscriberFilter.address, e.body.content.whatsappContent.text, e.body.comment]), [[phone, 'Anything else I can help with?', 'n8n']]);
});
