// WhatsApp's 24-hour window in a real n8n (the packed package installed as a community package),
// against the sandbox as edna: a customer whose last message is older than 24 hours (sandbox time)
// gets the chosen template instead of free-form text, and is told nothing twice; "Stop With an
// Error" says why; a Reply to a fresh message needs no history lookup and goes out as text. Every
// send is read back from the sandbox's record and its account, every result from n8n's executions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { actionNode, errorOf, publishActionWorkflow } from '../../scripts/lib/action-workflow.mjs';
import { sleep } from '../../scripts/lib/n8n/index.mjs';
import { send as deliver } from '../../scripts/lib/simulator.mjs';
import { itemsOf, publishTriggerWorkflow } from '../../scripts/lib/trigger-workflow.mjs';
import { lastSeq as lastSeqOf, requestsTo as requestsToOf, setUpSandboxSuite } from '../support/sandbox-suite.mjs';

const SPEED = 100;
const DAY_AND_HOUR_S = 25 * 3600;
const TEMPLATE_PATH = 'v1/out-messages/whatsapp/template';
// order_update (seed.json): header "Order {{1}}", body "Hello {{1}}, your order {{2}} is on its way."
const WINDOW_TEMPLATE = {
	outsideWindow: 'template',
	windowTemplate: 'order_update',
	windowTemplateVariables: '{"header": ["A-77"], "body": ["Anna", "A-77"]}',
};

const suite = setUpSandboxSuite({ speed: SPEED });
const lastSeq = () => lastSeqOf(suite.sandbox);
const requestsTo = (path, since) => requestsToOf(suite.sandbox, path, since);

/** The sandbox's final status of an outgoing message (its `outMessageId`), waited for within 30 s. */
async function finalStatus(outMessageId) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const message = suite.sandbox.account.outMessages.find((m) => m.messageId === outMessageId);
		const status = message?.deliveryStatus;
		if (['READ', 'FAILED', 'UNDELIVERED', 'CANCELLED'].includes(status)) return status;
		if (Date.now() > deadline) return status ?? 'none';
		await sleep(50);
	}
}

const send = (phone, options) => ({
	resource: 'message',
	operation: 'send',
	phone,
	cascadeChoice: 'automatic',
	channel: { __rl: true, mode: 'id', value: '101' },
	contentType: 'text',
	text: 'Your order A-77 has shipped',
	options,
});

describe("WhatsApp's 24-hour window in Send and Reply, in a real n8n against the sandbox", { concurrency: 1 }, () => {
	test('Send to a customer who last wrote 25 hours ago, "Send a Template Instead": the template arrives and is read, no free-form text is sent', async () => {
		const phone = '35790000401';
		await suite.sandbox.customer.send({ phone, subjectId: 101, text: 'where is my order?', secondsAgo: DAY_AND_HOUR_S });
		const since = lastSeq();
		const flow = await publishActionWorkflow(suite.n8n, { nodes: [actionNode({ credential: suite.n8n.credential, parameters: send(phone, WINDOW_TEMPLATE) })] });
		const run = await flow.run();
		assert.equal(run.execution.status, 'success', JSON.stringify(errorOf(run.execution)));
		const [item] = run.items;
		assert.equal(item.sentAs, 'template');
		assert.equal(item.outcome, 'sent');
		assert.equal(item.templateName, 'order_update');
		assert.equal(item.window.open, false);
		assert.equal(item.window.checkedBy, 'history');
		assert.deepEqual(requestsTo('cascade/schedule', since), [], 'no free-form send');
		const [sent] = requestsTo(TEMPLATE_PATH, since);
		assert.equal(sent.status, 200, JSON.stringify(sent.answer));
		assert.equal(sent.body.messageId, item.messageId);
		assert.equal(await finalStatus(sent.answer.outMessageId), 'READ', 'the customer got the template');
		const shown = suite.sandbox.state().conversations.find((c) => c.phone === phone).messages;
		const template = shown.find((m) => m.direction === 'out' && m.messageId === sent.answer.outMessageId);
		assert.match(template.content.text, /Hello Anna, your order A-77 is on its way/, JSON.stringify(template));
	});

	test('Send with "Stop With an Error": the execution fails saying the window is closed and what to do; nothing is sent', async () => {
		const phone = '35790000402';
		await suite.sandbox.customer.send({ phone, subjectId: 101, text: 'hello', secondsAgo: DAY_AND_HOUR_S });
		const since = lastSeq();
		const flow = await publishActionWorkflow(suite.n8n, { nodes: [actionNode({ credential: suite.n8n.credential, parameters: send(phone, { outsideWindow: 'stop' }) })] });
		const run = await flow.run();
		assert.equal(run.execution.status, 'error');
		const error = JSON.stringify(errorOf(run.execution));
		assert.match(error, new RegExp(`WhatsApp's 24-hour window with ${phone} is closed: the customer has not written on this channel in the last 24 hours`));
		assert.match(error, /Send a Template Instead/);
		assert.deepEqual(requestsTo('cascade/schedule', since), []);
		assert.deepEqual(requestsTo(TEMPLATE_PATH, since), []);
	});

	test('trigger → Reply ("Send a Template Instead"): a fresh message is answered with text and no history lookup; one written 25 hours ago (delivered late) gets the template, once, also when delivered again', async () => {
		const flow = await publishTriggerWorkflow(suite.n8n, {
			name: 'e2e: window-aware reply',
			parameters: { event: 'incomingMessage' },
			nodes: [
				actionNode({
					credential: suite.n8n.credential,
					parameters: { resource: 'message', operation: 'reply', text: 'Thanks, we are on it', options: WINDOW_TEMPLATE },
				}),
			],
		});
		suite.sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url: flow.url });

		let since = lastSeq();
		const fresh = await suite.sandbox.customer.send({ phone: '35790000403', subjectId: 101, text: 'hi' });
		assert.equal(fresh.webhook?.status, 200, JSON.stringify(fresh.webhook));
		const [first] = await suite.n8n.api.waitForExecutions(flow.workflow.id, 1);
		assert.equal(first.status, 'success', JSON.stringify(errorOf(first)));
		const [text] = itemsOf(first, 'edna Pulse');
		assert.equal(text.sentAs, 'message');
		assert.equal(text.window.checkedBy, 'trigger');
		assert.deepEqual(requestsTo('messages/history', since), [], 'a reply to a fresh message reads no history');
		const [schedule] = requestsTo('cascade/schedule', since);
		assert.equal(schedule.body.content.whatsappContent.text, 'Thanks, we are on it');

		since = lastSeq();
		const old = await suite.sandbox.customer.send({ phone: '35790000404', subjectId: 101, text: 'hello?', secondsAgo: DAY_AND_HOUR_S });
		assert.equal(old.webhook?.status, 200, JSON.stringify(old.webhook));
		const [second] = await suite.n8n.api.waitForExecutions(flow.workflow.id, 2);
		assert.equal(second.status, 'success', JSON.stringify(errorOf(second)));
		const [template] = itemsOf(second, 'edna Pulse');
		assert.equal(template.sentAs, 'template');
		assert.equal(template.idSource, 'eventKey');
		assert.equal(requestsTo('messages/history', since).length, 1);
		assert.deepEqual(requestsTo('cascade/schedule', since), []);
		const [sent] = requestsTo(TEMPLATE_PATH, since);
		assert.equal(sent.body.messageId, template.messageId);

		const again = await deliver({ url: flow.url, key: suite.sandbox.keys.webhook, body: old.body });
		assert.equal(again.status, 200, again.text);
		const [third] = await suite.n8n.api.waitForExecutions(flow.workflow.id, 3);
		const [repeat] = itemsOf(third, 'edna Pulse');
		assert.equal(repeat.outcome, 'alreadySent');
		assert.equal(repeat.messageId, template.messageId);
		const accepted = requestsTo(TEMPLATE_PATH, since).filter((r) => r.status === 200);
		assert.equal(accepted.length, 1, 'the customer got one template');
	});
});
