// n8n's own AI Agent answering edna customers in a real n8n (the packed package installed as a
// community package), with the sandbox as edna and a scripted OpenAI-compatible model served here
// as the agent's chat model (n8n's OpenAI Chat Model, its credential's Base URL pointed at it).
// The workflow keeps n8n's defaults: the agent's prompt is the trigger's chatInput, Simple Memory's
// session is the trigger's sessionId, and the edna Pulse node (Message → Reply) is the agent's tool.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { errorOf } from '../../scripts/lib/action-workflow.mjs';
import { agentWorkflow, ednaTool } from '../../scripts/lib/agent-workflow.mjs';
import { waitForWebhook } from '../../scripts/lib/n8n/index.mjs';
import { promptText } from '../../scripts/lib/scripted-model.mjs';
import { send } from '../../scripts/lib/simulator.mjs';
import { itemsOf } from '../../scripts/lib/trigger-workflow.mjs';
import { calling, lastMessage, lastSeq, sendsSince, setUpAgentSuite, toolName } from '../support/agent-suite.mjs';

const CUSTOMER = '35790000100';
const OTHER_CUSTOMER = '35790000200';
const TOOL_NAME = 'Reply to the customer';

let flow;
const suite = setUpAgentSuite(async ({ n8n, sandbox, modelCredential }) => {
	const workflow = agentWorkflow({
		credential: n8n.credential,
		modelCredential,
		systemMessage: 'You answer customers of a shop on WhatsApp. Send every answer with the reply tool.',
		tools: [
			ednaTool({
				name: TOOL_NAME,
				credential: n8n.credential,
				toolDescription: 'Sends a WhatsApp message to the customer who wrote. Fill in text: the message.',
				parameters: {
					resource: 'message',
					operation: 'reply',
					text: "={{ $fromAI('text', 'The message to send to the customer', 'string') }}",
					options: {},
				},
			}),
		],
	});
	const { trigger, ...definition } = workflow;
	const created = await n8n.api.createWorkflow({ name: 'agent answers customers', ...definition });
	await n8n.api.publishWorkflow(created.id);
	const url = n8n.instance.webhookUrl(trigger.webhookId, 'webhook');
	await waitForWebhook(url);
	sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });
	flow = { workflow: created, url };
});
const sends = (since) => sendsSince(suite.sandbox, since);
const sentTexts = (entries) =>
	entries.filter((e) => e.status === 200).map((e) => e.body.content.whatsappContent.text);
let runs = 0;
async function nextExecution() {
	runs++;
	const list = await suite.n8n.api.waitForExecutions(flow.workflow.id, runs, { timeoutMs: 60_000 });
	const [execution] = list;
	assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
	return execution;
}

describe('an AI agent answers customers, with the edna Pulse node as its tool', () => {
	let firstBody;

	test("the agent's prompt is the customer's message (chatInput), with no expression written", async () => {
		const seen = suite.model.requests.length;
		suite.script = calling('Your order 1042 ships today.');
		const { body, webhook } = await suite.sandbox.customer.send({ phone: CUSTOMER, subjectId: 101, text: 'Where is my order 1042?' });
		assert.equal(webhook?.status, 200, JSON.stringify(webhook));
		firstBody = body;
		await nextExecution();
		const [first] = suite.model.requests.slice(seen);
		assert.equal(lastMessage(first).role, 'user');
		assert.equal(lastMessage(first).content, 'Where is my order 1042?');
		assert.equal(toolName(first), TOOL_NAME.replaceAll(' ', '_'), 'the tool the model is offered');
	});

	test('two messages in one agent turn: both reach the customer, once each', async () => {
		const since = lastSeq(suite.sandbox);
		const seen = suite.model.requests.length;
		suite.script = calling('Your parcel left our warehouse.', 'It arrives on Friday.');
		await suite.sandbox.customer.send({ phone: CUSTOMER, subjectId: 101, text: 'When does it arrive?' });
		const execution = await nextExecution();
		const attempts = sends(since);
		// n8n 2.x runs the calls in the model's order; 1.x may run them side by side.
		assert.deepEqual(sentTexts(attempts).sort(), ['It arrives on Friday.', 'Your parcel left our warehouse.']);
		assert.equal(attempts.length, 2, 'no refused or repeated send');
		assert.deepEqual(
			attempts.map((a) => a.body.subscriberFilter.address),
			[CUSTOMER, CUSTOMER],
		);
		const toolItems = itemsOf(execution, TOOL_NAME);
		assert.deepEqual(toolItems.map((i) => i.outcome), ['sent', 'sent']);
		assert.notEqual(toolItems[0].requestId, toolItems[1].requestId);
		// the model was told of both sends, after this turn's message (memory holds the earlier turns)
		const { messages } = suite.model.requests.slice(seen).at(-1);
		const thisTurn = messages.slice(messages.findLastIndex((m) => m.role === 'user'));
		assert.equal(thisTurn.filter((m) => m.role === 'tool').length, 2);
		assert.match(thisTurn.filter((m) => m.role === 'tool').map((m) => m.content).join('\n'), /"outcome":"sent"/);
	});

	test('edna delivers the same message again: the agent runs, and nothing reaches the customer twice', async () => {
		const since = lastSeq(suite.sandbox);
		// The model may word its answer differently the second time: the IDs follow the calls, not the words.
		suite.script = calling('Your order 1042 ships today!');
		const again = await send({ url: flow.url, key: suite.sandbox.keys.webhook, body: JSON.stringify(firstBody) });
		assert.equal(again.status, 200, again.text);
		const execution = await nextExecution();
		assert.deepEqual(sentTexts(sends(since)), [], 'edna accepted no new message');
		assert.deepEqual(itemsOf(execution, TOOL_NAME).map((i) => i.outcome), ['alreadySent']);
	});

	test("the memory is the customer's own conversation: keyed by sessionId, it holds that customer's earlier turns only", async () => {
		const seen = suite.model.requests.length;
		suite.script = calling('We are open until 8 pm.');
		await suite.sandbox.customer.send({ phone: CUSTOMER, subjectId: 101, text: 'Until when are you open?' });
		await nextExecution();
		const prompt = promptText(suite.model.requests[seen]);
		assert.match(prompt, /Where is my order 1042\?/, "an earlier turn of this customer's conversation");
		assert.match(prompt, /When does it arrive\?/);

		const other = suite.model.requests.length;
		suite.script = calling('Hello! How can I help?');
		await suite.sandbox.customer.send({ phone: OTHER_CUSTOMER, subjectId: 101, text: 'Hi there' });
		await nextExecution();
		const otherPrompt = promptText(suite.model.requests[other]);
		assert.match(otherPrompt, /Hi there/);
		assert.doesNotMatch(otherPrompt, /order 1042|open/, "another customer's conversation is not in the prompt");
	});
});
