// What a model sees of the edna Pulse node as an AI Agent's tools, in a real n8n with the sandbox
// as edna and the scripted model: one agent with six edna Pulse tools as the editor creates them
// (each node named after its operation's action, the tool description left automatic, the fields
// the model fills written as the editor's "let the model define this parameter" writes them) and one
// the user named and described; and what the model is told when a send is refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { errorOf } from '../../scripts/lib/action-workflow.mjs';
import { agentWorkflow, ednaTool } from '../../scripts/lib/agent-workflow.mjs';
import { waitForWebhook } from '../../scripts/lib/n8n/index.mjs';
import { itemsOf } from '../../scripts/lib/trigger-workflow.mjs';
import { lastMessage, lastSeq, sendsSince, setUpAgentSuite } from '../support/agent-suite.mjs';

const CUSTOMER = '35790000300';

/**
 * A field the user let the model define: the editor keys it by the field's label, with the
 * description the user typed beside it (none unless they did).
 */
const fromAI = (label, description = '') =>
	`={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${label.replaceAll(' ', '_')}', \`${description}\`, 'string') }}`;
const PHONE_HINT = "The customer's phone in international format, digits only";

const channel = { __rl: true, mode: 'id', value: '101' };
/**
 * Each tool: the node's name as n8n's editor gives a new tool node ("<action> in edna Pulse"), its
 * parameters, and what the model must then see: the tool's name, its description, the fields it fills.
 */
const TOOLS = [
	{
		name: 'Send a message to a phone number in edna Pulse',
		parameters: { resource: 'message', operation: 'send', channel, phone: fromAI('Recipient Phone'), contentType: 'text', text: fromAI('Text'), options: {} },
		fills: ['Recipient_Phone', 'Text'],
	},
	{
		name: 'Reply to the customer who wrote in edna Pulse',
		parameters: { resource: 'message', operation: 'reply', text: fromAI('Reply Text'), options: {} },
		fills: ['Reply_Text'],
	},
	{
		name: 'Send a template message in edna Pulse',
		parameters: {
			resource: 'message',
			operation: 'sendTemplate',
			channel,
			template: { __rl: true, mode: 'id', value: '302' },
			phone: fromAI('Recipient Phone', PHONE_HINT),
			variables: { mappingMode: 'defineBelow', value: { body_1: 'Alex', button_1: 'P-42' }, matchingColumns: [], schema: [] },
			options: {},
		},
		fills: ['Recipient_Phone'],
	},
	{
		name: 'Get the delivery status of sent messages in edna Pulse',
		parameters: { resource: 'message', operation: 'getStatus', findBy: 'messageId', messageId: fromAI('Message ID') },
		fills: ['Message_ID'],
	},
	{
		name: "Get a customer's conversation and 24-hour window in edna Pulse",
		parameters: { resource: 'conversation', operation: 'get' },
		fills: [],
	},
	{
		name: 'Get many templates of a channel in edna Pulse',
		parameters: { resource: 'template', operation: 'getMany', channel },
		fills: [],
	},
];
/** A tool the user named and described: both reach the model as written. */
const OWN = {
	name: 'List cascades',
	description: 'Lists the routes (cascades) messages can take. Needs nothing filled in.',
	parameters: { resource: 'cascade', operation: 'getMany', returnAll: true, filters: {} },
};
const toolNameOf = (nodeName) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
const SEND = TOOLS[0];

let flow;
const suite = setUpAgentSuite(async ({ n8n, sandbox, modelCredential }) => {
	const workflow = agentWorkflow({
		credential: n8n.credential,
		modelCredential,
		memory: false,
		tools: [
			...TOOLS.map((tool) => ednaTool({ name: tool.name, credential: n8n.credential, parameters: tool.parameters })),
			ednaTool({ name: OWN.name, credential: n8n.credential, parameters: OWN.parameters, toolDescription: OWN.description }),
		].map((node, i) => ({ ...node, position: [480 + 160 * i, 220] })),
	});
	const { trigger, ...definition } = workflow;
	const created = await n8n.api.createWorkflow({ name: 'agent with edna Pulse tools', ...definition });
	await n8n.api.publishWorkflow(created.id);
	const url = n8n.instance.webhookUrl(trigger.webhookId, 'webhook');
	await waitForWebhook(url);
	sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });
	flow = { workflow: created };
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let runs = 0;
/** The next execution, once the model has answered its last request (`done` tells which). */
async function nextExecution(done) {
	runs++;
	const deadline = Date.now() + 60_000;
	while (!done() && Date.now() < deadline) await sleep(100);
	const [execution] = await suite.n8n.api.waitForExecutions(flow.workflow.id, runs, { timeoutMs: 60_000 });
	assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
	return execution;
}

describe('the edna Pulse node as an AI Agent tool: what the model sees', () => {
	let first;
	let refusal;

	test('one customer message: the model is offered the seven tools and calls the send tool with a phone that is not one', async () => {
		const seen = suite.model.requests.length;
		let answered = false;
		suite.script = (request) => {
			if (lastMessage(request).role !== 'tool')
				return { toolCalls: [{ name: toolNameOf(SEND.name), arguments: { Recipient_Phone: 'call me on Monday', Text: 'Our spring offer: 20 % off.' } }] };
			answered = true;
			return { content: 'I could not send it: which number should I use?' };
		};
		const since = lastSeq(suite.sandbox);
		await suite.sandbox.customer.send({ phone: CUSTOMER, subjectId: 101, text: 'Send the offer to my wife' });
		const execution = await nextExecution(() => answered);
		const requests = suite.model.requests.slice(seen);
		assert.equal(requests.length, 2, 'one request with the tools, one with the tool result');
		[first] = requests;
		refusal = { request: requests[1], execution, sends: sendsSince(suite.sandbox, since) };
	});

	test("each tool's name is its node's whole name (n8n allows 64 characters), its description says what it does", () => {
		const offered = Object.fromEntries(first.tools.map((t) => [t.function.name, t.function]));
		assert.deepEqual(Object.keys(offered).sort(), [...TOOLS, OWN].map((t) => toolNameOf(t.name)).sort());
		for (const tool of TOOLS) {
			const name = toolNameOf(tool.name);
			assert.ok(name.length <= 64 && !name.endsWith('_'), `${name}: not cut short`);
			assert.equal(offered[name].description, tool.name, 'the automatic description: "<action> in edna Pulse"');
		}
	});

	test("a description the user wrote (Tool Description: Set Manually) replaces the automatic one", () => {
		const own = first.tools.find((t) => t.function.name === 'List_cascades');
		assert.equal(own?.function.description, OWN.description);
	});

	test('the parameters: exactly the fields the user let the model define, all required, with the description typed beside each', () => {
		for (const tool of TOOLS) {
			const { parameters } = first.tools.find((t) => t.function.name === toolNameOf(tool.name)).function;
			assert.deepEqual(Object.keys(parameters.properties).sort(), [...tool.fills].sort(), tool.name);
			assert.deepEqual([...(parameters.required ?? [])].sort(), [...tool.fills].sort(), tool.name);
			for (const key of tool.fills) assert.equal(parameters.properties[key].type, 'string');
		}
		const template = first.tools.find((t) => t.function.name === toolNameOf(TOOLS[2].name)).function;
		assert.equal(template.parameters.properties.Recipient_Phone.description, PHONE_HINT, 'a description typed beside the field');
		const send = first.tools.find((t) => t.function.name === toolNameOf(SEND.name)).function;
		assert.equal(send.parameters.properties.Recipient_Phone.description, undefined, 'none typed: the key alone');
	});

	test('a refused send: the model is told in one short message what was wrong and how to fill the field; nothing is sent', () => {
		const { request, execution, sends } = refusal;
		const toolMessage = request.messages.find((m) => m.role === 'tool');
		assert.ok(toolMessage, 'the model got a tool result');
		const told = JSON.stringify(JSON.parse(toolMessage.content));
		assert.match(told, /The recipient phone \\"call me on Monday\\" is not a phone number\. Use digits in international format, e\.g\. \+357 9000 0001 or 35790000001/);
		assert.ok(toolMessage.content.length < 300, `short: ${toolMessage.content.length} characters`);
		assert.doesNotMatch(told, /stack|at \w+ \(|NodeOperationError/, 'no stack trace or internals');
		assert.deepEqual(sends, [], 'edna received no send');
		assert.equal(itemsOf(execution, SEND.name).length, 1, 'the tool ran once');
	});
});
