// The edna Pulse action node inside a real n8n 2.41.1 (the packed package installed as a community
// package), against the edna sandbox as its edna: every request the node makes crosses real HTTP
// and is read back from the sandbox's record; every result is read back from n8n's executions.
// The round trip at the end is the whole loop a user builds: the sandbox delivers a customer's
// message → the trigger → Reply → the sandbox receives the reply and sends its statuses → a
// Message Status Changed trigger runs with the reply's requestId.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

import { actionNode, errorOf, publishActionWorkflow } from '../../scripts/lib/action-workflow.mjs';
import { loadFixtures, send } from '../../scripts/lib/simulator.mjs';
import { itemsOf, publishTriggerWorkflow } from '../../scripts/lib/trigger-workflow.mjs';
import { lastSeq as lastSeqOf, requestsTo as requestsToOf, setUpSandboxSuite } from '../support/sandbox-suite.mjs';

const SPEED = 100; // edna's seconds pass 100 times faster: statuses within tens of milliseconds
const CUSTOMER = '35790000100';

let sandbox;
let n8n;
let credential;

setUpSandboxSuite({
	speed: SPEED,
	then: async (suite) => {
		({ sandbox, n8n } = suite);
		credential = n8n.credential;
	},
});

/** Publishes "Webhook → edna Pulse (parameters)" and runs it once; returns the run. */
async function runNode(parameters, { nodeExtra = {}, cred = credential, body = {} } = {}) {
	const flow = await publishActionWorkflow(n8n, {
		nodes: [actionNode({ parameters, credential: cred, extra: nodeExtra })],
	});
	return flow.run(body);
}

/** The sandbox's record of one API path since `since` (a record seq). */
const requestsTo = (path, since = 0) => requestsToOf(sandbox, path, since);
const lastSeq = () => lastSeqOf(sandbox);

describe('edna Pulse action node in a real n8n, against the sandbox', { concurrency: 1 }, () => {
	test("Channel → Get Many: the account's channels with their health fields", async () => {
		const run = await runNode({ resource: 'channel', operation: 'getMany' });
		assert.equal(run.execution.status, 'success', JSON.stringify(errorOf(run.execution)));
		const wa = run.items.find((c) => c.subjectId === 101);
		assert.ok(wa, `channel 101 listed: ${JSON.stringify(run.items)}`);
		assert.equal(wa.subject, 'sandbox_wa');
		assert.equal(wa.type, 'WHATSAPP');
		assert.equal(wa.active, true);
		for (const field of ['registrationStatus', 'qualityStatus', 'limit'])
			assert.ok(field in wa, `${field} in ${JSON.stringify(wa)}`);
		assert.ok(run.items.some((c) => c.subjectId === 103 && c.type === 'SMS'));
		const [req] = requestsTo('channel-profile').slice(-1);
		assert.equal(req.method, 'GET');
		assert.equal(req.headers['x-api-key'], '[REDACTED]', 'the sandbox saw an API key');
	});

	test('Cascade → Get Many: every cascade, stages named by channel', async () => {
		const run = await runNode({ resource: 'cascade', operation: 'getMany', returnAll: true });
		assert.equal(run.execution.status, 'success', JSON.stringify(errorOf(run.execution)));
		const ids = run.items.map((c) => c.id).sort();
		for (const id of [201, 202, 203, 204, 205])
			assert.ok(ids.includes(id), `cascade ${id} in ${ids}`);
	});

	test("Message → Send on SMS, cascade found automatically: edna receives exactly that cascade's content", async () => {
		const since = lastSeq();
		const run = await runNode({
			resource: 'message',
			operation: 'send',
			phone: '+357 9000 0201',
			cascadeChoice: 'automatic',
			channel: { __rl: true, mode: 'id', value: '103' },
			contentType: 'text',
			text: 'Your order has shipped',
		});
		assert.equal(run.execution.status, 'success', JSON.stringify(errorOf(run.execution)));
		const [item] = run.items;
		assert.equal(item.outcome, 'sent');
		assert.equal(item.recipient, '35790000201');
		assert.equal(item.cascadeId, 203);
		const [req] = requestsTo('cascade/schedule', since);
		assert.equal(req.status, 200, JSON.stringify(req.answer));
		assert.equal(req.body.requestId, item.requestId);
		assert.deepEqual(req.body.subscriberFilter, { address: '35790000201', type: 'PHONE' });
		assert.equal(req.body.cascadeId, 203);
		assert.deepEqual(Object.keys(req.body.content), ['smsContent']);
		assert.equal(req.body.content.smsContent.text, 'Your order has shipped');
	});

	test('Message → Send through WhatsApp → SMS: content for both stages, the SMS fallback text on the SMS stage', async () => {
		const since = lastSeq();
		const run = await runNode({
			resource: 'message',
			operation: 'send',
			phone: '35790000202',
			cascadeChoice: 'cascade',
			cascade: { __rl: true, mode: 'id', value: '204' },
			contentType: 'image',
			mediaUrl: 'https://example.com/files/offer.jpg',
			mediaName: 'offer',
			options: { fallbackText: 'See our offer at example.com' },
		});
		assert.equal(run.execution.status, 'success', JSON.stringify(errorOf(run.execution)));
		const [req] = requestsTo('cascade/schedule', since);
		assert.equal(req.status, 200, JSON.stringify(req.answer));
		assert.deepEqual(Object.keys(req.body.content).sort(), ['smsContent', 'whatsappContent']);
		assert.equal(req.body.content.whatsappContent.contentType, 'IMAGE');
		assert.deepEqual(req.body.content.whatsappContent.attachment, {
			url: 'https://example.com/files/offer.jpg',
			name: 'offer',
		});
		assert.equal(req.body.content.smsContent.text, 'See our offer at example.com');
	});

	test('an execution that runs twice with one Send ID sends once: the second item says alreadySent', async () => {
		const flow = await publishActionWorkflow(n8n, {
			nodes: [
				actionNode({
					credential,
					parameters: {
						resource: 'message',
						operation: 'send',
						phone: '35790000203',
						channel: { __rl: true, mode: 'id', value: '103' },
						contentType: 'text',
						text: 'Your code is 1234',
						options: { sendId: 'e2e-fixed-send-id-1' },
					},
				}),
			],
		});
		const since = lastSeq();
		const first = await flow.run();
		const second = await flow.run();
		assert.equal(first.items[0].outcome, 'sent');
		assert.equal(second.execution.status, 'success', JSON.stringify(errorOf(second.execution)));
		assert.equal(second.items[0].outcome, 'alreadySent');
		assert.equal(second.items[0].requestId, 'e2e-fixed-send-id-1');
		const accepted = requestsTo('cascade/schedule', since).filter((r) => r.status === 200);
		assert.equal(accepted.length, 1, 'edna accepted one message');
	});

	test("an unknown cascade: the execution fails with edna's code and a hint; with Continue, a paired error item", async () => {
		const parameters = {
			resource: 'message',
			operation: 'send',
			phone: '35790000204',
			cascadeChoice: 'cascade',
			cascade: { __rl: true, mode: 'id', value: '999' },
			contentType: 'text',
			text: 'hello',
		};
		const failed = await runNode(parameters);
		assert.equal(failed.execution.status, 'error');
		const error = errorOf(failed.execution);
		assert.match(`${error.message} ${error.description}`, /cascade/i);
		const continued = await runNode(parameters, {
			nodeExtra: { onError: 'continueRegularOutput' },
		});
		assert.equal(continued.execution.status, 'success');
		assert.equal(continued.items.length, 1);
		assert.match(continued.items[0].error, /cascade/i);
	});

	test("a wrong API key: 401 in the user's words, and no key in the execution", async () => {
		const wrongKey = 'e2e-wrong-api-key-example-0001';
		const wrong = await n8n.api.createCredential({
			name: 'edna wrong key',
			type: 'ednaPulseApi',
			data: { apiKey: wrongKey, baseUrl: sandbox.apiUrl, webhookKey: 'e2e-webhook-key-example-2' },
		});
		const run = await runNode({ resource: 'channel', operation: 'getMany' }, { cred: wrong });
		assert.equal(run.execution.status, 'error');
		const error = errorOf(run.execution);
		assert.match(`${error.message} ${error.description}`, /key/i);
		const stored = JSON.stringify(run.execution);
		for (const secret of [wrongKey, 'e2e-webhook-key-example-2', sandbox.keys.master]) {
			assert.ok(!stored.includes(secret), `the execution holds a key (${secret.slice(0, 8)}…)`);
		}
	});

	test("Template → Get Many: the channel's approved templates with their variable counts; Get by name", async () => {
		const run = await runNode({
			resource: 'template',
			operation: 'getMany',
			channel: { __rl: true, mode: 'id', value: '101' },
			returnAll: true,
		});
		assert.equal(run.execution.status, 'success', JSON.stringify(errorOf(run.execution)));
		const names = run.items.map((t) => t.name).sort();
		assert.ok(names.includes('order_update') && names.includes('track_parcel'), names.join());
		assert.ok(
			!names.includes('welcome_new_customer'),
			'a PENDING template is not listed by default',
		);
		const order = run.items.find((t) => t.name === 'order_update');
		assert.equal(order.bodyVariables, 2);
		assert.equal(order.headerVariables, 1);
		const got = await runNode({
			resource: 'template',
			operation: 'get',
			channel: { __rl: true, mode: 'name', value: 'sandbox_wa' },
			template: { __rl: true, mode: 'name', value: 'track_parcel' },
		});
		assert.equal(got.execution.status, 'success', JSON.stringify(errorOf(got.execution)));
		assert.equal(got.items[0].id, 302);
		assert.equal(got.items[0].buttonVariables, 1);
	});

	test("Message → Send Template: the variables in edna's order; an empty one is refused before edna is called", async () => {
		const parameters = (values) => ({
			resource: 'message',
			operation: 'sendTemplate',
			channel: { __rl: true, mode: 'id', value: '101' },
			template: { __rl: true, mode: 'id', value: '301' },
			phone: '35790000205',
			variables: { mappingMode: 'defineBelow', value: values, matchingColumns: [], schema: [] },
		});
		const since = lastSeq();
		const run = await runNode(parameters({ body_1: 'Alex', body_2: 'A-1001', header_1: 'A-1001' }));
		assert.equal(run.execution.status, 'success', JSON.stringify(errorOf(run.execution)));
		const [item] = run.items;
		assert.equal(item.outcome, 'sent');
		assert.equal(item.templateId, 301);
		const [req] = requestsTo('v1/out-messages/whatsapp/template', since);
		assert.equal(req.status, 200, JSON.stringify(req.answer));
		assert.equal(req.body.messageId, item.messageId);
		assert.equal(req.body.sender, 'sandbox_wa');
		assert.equal(req.body.phone, '35790000205');
		assert.deepEqual(req.body.textVariables, ['Alex', 'A-1001']);
		assert.deepEqual(req.body.headerVariables, ['A-1001']);

		const before = lastSeq();
		const empty = await runNode(parameters({ body_1: 'Alex', body_2: '', header_1: 'A-1002' }));
		assert.equal(empty.execution.status, 'error');
		assert.match(
			JSON.stringify(errorOf(empty.execution)),
			/\{\{2\}\}/,
			'the error names the empty variable',
		);
		assert.equal(
			requestsTo('v1/out-messages/whatsapp/template', before).length,
			0,
			'edna was not called',
		);
	});

	test("Message → Mark as Read marks the customer's message; Get Status finds a phone's messages in edna's history", async () => {
		const { message } = await sandbox.customer.send({
			phone: '35790000206',
			subjectId: 101,
			text: 'is my order here?',
		});
		const read = await runNode({
			resource: 'message',
			operation: 'markAsRead',
			incomingMessageId: String(message.id),
		});
		assert.equal(read.execution.status, 'success', JSON.stringify(errorOf(read.execution)));
		const [req] = requestsTo('in-message/change-status').slice(-1);
		assert.deepEqual(req.body, { id: message.id, status: 'READ' });
		assert.equal(req.status, 200);

		const status = await runNode({
			resource: 'message',
			operation: 'getStatus',
			findBy: 'phone',
			phone: '35790000201',
			dateFrom: new Date(Date.now() - 3_600_000).toISOString(),
			dateTo: new Date(Date.now() + 60_000).toISOString(),
			returnAll: true,
		});
		assert.equal(status.execution.status, 'success', JSON.stringify(errorOf(status.execution)));
		assert.ok(status.items.length >= 1, 'the SMS sent earlier is in the history');
		assert.equal(status.items[0].address, '35790000201');
		assert.ok(
			['SENT', 'DELIVERED', 'READ'].includes(status.items[0].deliveryStatus),
			JSON.stringify(status.items[0]),
		);
	});

	test('Webhook → Set URLs: checked with HEAD first; a URL that does not answer 200 stops before edna is called', async () => {
		const target = await publishTriggerWorkflow(n8n, {
			name: 'e2e: status URL',
			parameters: { event: 'messageStatus' },
		});
		const since = lastSeq();
		const ok = await runNode({
			resource: 'webhook',
			operation: 'setUrls',
			scope: 'channel',
			channel: { __rl: true, mode: 'id', value: '103' },
			statusCallbackUrl: target.url,
		});
		assert.equal(ok.execution.status, 'success', JSON.stringify(errorOf(ok.execution)));
		assert.equal(ok.items[0].code, 'ok');
		const [req] = requestsTo('callback/set', since);
		assert.deepEqual(req.body, { statusCallbackUrl: target.url, subjectId: 103 });
		assert.ok(
			JSON.stringify(sandbox.webhooks.list()).includes(target.url),
			JSON.stringify(sandbox.webhooks.list()),
		);

		const before = lastSeq();
		const missing = `${n8n.instance.webhookBaseUrl}/webhook/00000000-0000-4000-8000-000000000000/webhook`;
		const bad = await runNode({
			resource: 'webhook',
			operation: 'setUrls',
			scope: 'all',
			statusCallbackUrl: missing,
		});
		assert.equal(bad.execution.status, 'error');
		assert.match(JSON.stringify(errorOf(bad.execution)), /404/);
		assert.equal(requestsTo('callback/set', before).length, 0, 'edna was not called');
	});

	test("an additional key without the message-history group: 403, said in the user's words", async () => {
		const limited = await n8n.api.createCredential({
			name: 'edna WhatsApp-only key',
			type: 'ednaPulseApi',
			data: {
				apiKey: 'sandbox-wa-only-api-key-example',
				baseUrl: sandbox.apiUrl,
				webhookKey: 'e2e-webhook-key-example-3',
			},
		});
		const since = lastSeq();
		const run = await runNode(
			{ resource: 'message', operation: 'getStatus', findBy: 'messageId', messageId: '9000001' },
			{ cred: limited },
		);
		assert.equal(run.execution.status, 'error');
		const [req] = requestsTo('messages/history', since);
		assert.equal(req.status, 403, 'the sandbox refused the key');
		const error = errorOf(run.execution);
		assert.match(`${error.message} ${error.description}`, /additional|message history/i);
		assert.ok(
			!JSON.stringify(run.execution).includes('sandbox-wa-only-api-key-example'),
			'the key is not in the execution',
		);
	});

	test('Reply to a sender known only by a WhatsApp user ID (BSUID): the execution fails saying why, nothing is sent', async () => {
		const flow = await publishTriggerWorkflow(n8n, {
			name: 'e2e: reply to BSUID',
			parameters: { event: 'incomingMessage' },
			nodes: [
				actionNode({
					credential,
					parameters: { resource: 'message', operation: 'reply', text: 'hi' },
				}),
			],
		});
		const since = lastSeq();
		const [fixture] = await loadFixtures({ kind: 'incomingMessage', variant: 'button-bsuid' });
		const res = await send({ url: flow.url, key: sandbox.keys.webhook, body: fixture.body });
		assert.equal(res.status, 200, res.text);
		const [execution] = await n8n.api.waitForExecutions(flow.workflow.id, 1);
		assert.equal(execution.status, 'error');
		assert.match(JSON.stringify(errorOf(execution)), /BSUID|WhatsApp user ID/i);
		assert.equal(requestsTo('cascade/schedule', since).length, 0, 'edna was not called');
	});

	test("round trip: customer writes → trigger → Reply → sandbox gets the reply → its statuses start a status trigger with the reply's requestId; a redelivered webhook sends nothing twice", async () => {
		const replies = await publishTriggerWorkflow(n8n, {
			name: 'e2e: auto-reply',
			parameters: { event: 'incomingMessage' },
			nodes: [
				actionNode({
					credential,
					parameters: {
						resource: 'message',
						operation: 'reply',
						text: '=Thanks! You wrote: {{ $json.text }}',
					},
				}),
			],
		});
		const statuses = await publishTriggerWorkflow(n8n, {
			name: 'e2e: statuses',
			parameters: { event: 'messageStatus' },
		});
		sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url: replies.url });
		sandbox.webhooks.register({ field: 'statusCallbackUrl', url: statuses.url });

		const since = lastSeq();
		const { body, webhook } = await sandbox.customer.send({
			phone: CUSTOMER,
			subjectId: 101,
			text: 'hello',
		});
		assert.equal(
			webhook?.status,
			200,
			`the trigger accepted the incoming message: ${JSON.stringify(webhook)}`,
		);
		const [execution] = await n8n.api.waitForExecutions(replies.workflow.id, 1);
		assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
		const [reply] = itemsOf(execution, 'edna Pulse');
		assert.equal(reply.outcome, 'sent');
		assert.equal(reply.idSource, 'eventKey');
		assert.equal(reply.recipient, CUSTOMER);
		assert.equal(reply.subjectId, 101);

		const [req] = requestsTo('cascade/schedule', since);
		assert.equal(req.status, 200, JSON.stringify(req.answer));
		assert.equal(req.body.requestId, reply.requestId);
		assert.equal(req.body.cascadeId, 201, "the WhatsApp channel's own cascade");
		assert.deepEqual(req.body.content, {
			whatsappContent: { contentType: 'TEXT', text: 'Thanks! You wrote: hello' },
		});

		// SENT, DELIVERED, READ arrive as three executions carrying the reply's requestId.
		const runs = await n8n.api.waitForExecutions(statuses.workflow.id, 3, { timeoutMs: 60_000 });
		const seen = runs
			.flatMap((e) => itemsOf(e))
			.filter((i) => i.requestId === reply.requestId)
			.map((i) => i.status);
		assert.deepEqual([...seen].sort(), ['DELIVERED', 'READ', 'SENT']);
		const conversation = sandbox.state().conversations?.find?.((c) => c.phone === CUSTOMER);
		if (conversation) assert.ok(JSON.stringify(conversation).includes('Thanks! You wrote: hello'));

		// edna delivers the same webhook again (as after a lost 200): the trigger runs, Reply does not send twice.
		const again = await send({ url: replies.url, key: sandbox.keys.webhook, body });
		assert.equal(again.status, 200, again.text);
		const both = await n8n.api.waitForExecutions(replies.workflow.id, 2);
		const [second] = itemsOf(both[0], 'edna Pulse');
		assert.equal(both[0].status, 'success', JSON.stringify(errorOf(both[0])));
		assert.equal(second.outcome, 'alreadySent');
		assert.equal(second.requestId, reply.requestId);
		const accepted = requestsTo('cascade/schedule', since).filter(
			(r) => r.status === 200 && r.body.subscriberFilter.address === CUSTOMER,
		);
		assert.equal(accepted.length, 1, 'the customer got one reply');
	});
});

describe(
	'the sandbox as edna: every webhook it sends is accepted by the trigger',
	{ concurrency: 1 },
	() => {
		test('incoming messages of every content type, a status stream, a template status and category change, a link click: one execution each, no validation issue, in strict mode', async () => {
			const flow = await publishTriggerWorkflow(n8n, {
				name: 'e2e: every sandbox webhook',
				parameters: { event: 'anyEvent', options: { strictValidation: true } },
			});
			for (const field of [
				'inMessageCallbackUrl',
				'statusCallbackUrl',
				'messageMatcherCallbackUrl',
				'templateCategoryCallbackUrl',
				'linkClickCallbackUrl',
			]) {
				sandbox.webhooks.register({ field, url: flow.url });
			}
			const phone = '35790000300';
			const delivered = [];
			const expectAccepted = (what, result) => {
				assert.equal(result.webhook?.status, 200, `${what}: ${JSON.stringify(result.webhook)}`);
				delivered.push(what);
			};
			const inputs = {
				TEXT: { text: 'hello' },
				IMAGE: { caption: 'my receipt' },
				DOCUMENT: {},
				VIDEO: {},
				AUDIO: {},
				BUTTON: { text: 'Yes', payload: 'YES' },
				LIST_PICKER: { items: [{ identifier: 'opt-1', title: 'Delivery' }] },
				LOCATION: { location: { latitude: 34.68, longitude: 33.04, address: 'Limassol' } },
				FLOW: { response: { flow_token: 'e2e', rating: '5' } },
			};
			for (const [type, input] of Object.entries(inputs)) {
				expectAccepted(
					`incoming ${type}`,
					await sandbox.customer.send({ phone, subjectId: 101, type, ...input }),
				);
			}
			expectAccepted('template status', await sandbox.templates.setStatus(305, 'APPROVED'));
			expectAccepted('category change', await sandbox.templates.setCategory(304, 'UTILITY'));

			// A template with a link button, sent through the node, then clicked: statuses and the click.
			const send = await runNode({
				resource: 'message',
				operation: 'sendTemplate',
				channel: { __rl: true, mode: 'id', value: '101' },
				template: { __rl: true, mode: 'id', value: '302' },
				phone,
				variables: {
					mappingMode: 'defineBelow',
					value: { body_1: 'Alex', button_1: 'P-42' },
					matchingColumns: [],
					schema: [],
				},
			});
			assert.equal(send.execution.status, 'success', JSON.stringify(errorOf(send.execution)));
			const { messageId } = send.items[0];
			expectAccepted('link click', await sandbox.customer.clickLink({ requestId: messageId }));
			await sandbox.record.waitFor(
				(e) =>
					e.type === 'webhook' &&
					e.kind === 'messageStatus' &&
					e.body?.requestId === messageId &&
					e.body?.status === 'READ',
				{ timeoutMs: 30_000 },
			);

			const expected = delivered.length + 3; // + SENT, DELIVERED, READ of the template
			const executions = await n8n.api.waitForExecutions(flow.workflow.id, expected, {
				timeoutMs: 60_000,
			});
			const items = executions.flatMap((e) => itemsOf(e));
			for (const e of executions) assert.equal(e.status, 'success', JSON.stringify(errorOf(e)));
			assert.deepEqual(
				items.filter((i) => i.validationIssues),
				[],
				'no item has validation issues',
			);
			const count = (type) => items.filter((i) => i.eventType === type).length;
			assert.equal(count('incomingMessage'), Object.keys(inputs).length);
			assert.deepEqual(
				items
					.filter((i) => i.eventType === 'incomingMessage')
					.map((i) => i.contentType)
					.sort(),
				Object.keys(inputs).sort(),
			);
			assert.equal(count('templateStatus'), 1);
			assert.equal(count('templateCategory'), 1);
			assert.equal(count('linkClick'), 1);
			assert.deepEqual(
				items
					.filter((i) => i.eventType === 'messageStatus' && i.requestId === messageId)
					.map((i) => i.status)
					.sort(),
				['DELIVERED', 'READ', 'SENT'],
			);
			const flowItem = items.find((i) => i.contentType === 'FLOW');
			assert.deepEqual(flowItem.flowResponse, { flow_token: 'e2e', rating: '5' });
		});
	},
);

describe(
	"Conversation → Get in a real n8n: the conversation read back from the sandbox's history",
	{
		concurrency: 1,
	},
	() => {
		test('after the trigger with no field filled: turns in order, unanswered, isNewest true then false once the customer writes again, window open', async () => {
			const phone = '35790000400';
			const flow = await publishTriggerWorkflow(n8n, {
				name: 'e2e: conversation after the trigger',
				parameters: { event: 'incomingMessage' },
				nodes: [
					actionNode({ credential, parameters: { resource: 'conversation', operation: 'get' } }),
				],
			});
			sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url: flow.url });
			const conversationOf = (execution) => {
				assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));
				const [item] = itemsOf(execution, 'edna Pulse');
				assert.ok(item, 'Conversation → Get gave an item');
				return item;
			};

			// The customer writes; the run for that message sees it as the newest and unanswered.
			const since = lastSeq();
			const hi = await sandbox.customer.send({ phone, subjectId: 101, text: 'hi' });
			assert.equal(hi.webhook?.status, 200, JSON.stringify(hi.webhook));
			const [firstRun] = await n8n.api.waitForExecutions(flow.workflow.id, 1);
			const first = conversationOf(firstRun);
			const [trigger] = itemsOf(firstRun);
			assert.equal(first.sessionId, `101:${phone}`);
			assert.equal(first.sessionId, trigger.sessionId, "the trigger's sessionId");
			assert.deepEqual(
				first.turns.map((t) => [t.role, t.text, t.direction, t.messageId]),
				[['user', 'hi', 'IN', hi.message.id]],
			);
			assert.equal(first.isNewest, true);
			assert.equal(first.incomingMessageId, String(hi.message.id));
			assert.equal(first.unanswered, 'hi');
			assert.equal(first.unansweredCount, 1);
			assert.equal(first.window.open, true);
			const [req] = requestsTo('messages/history', since);
			assert.equal(req.body.subjectId, 101);
			assert.deepEqual(req.body.subscriberFilter, { address: phone, type: 'PHONE' });
			assert.equal(req.body.sort, undefined, 'no sort asked of edna');

			// The business answers through the node; the customer writes twice more.
			const answer = await runNode({
				resource: 'message',
				operation: 'send',
				phone,
				channel: { __rl: true, mode: 'id', value: '101' },
				contentType: 'text',
				text: 'Hello! How can I help?',
			});
			assert.equal(answer.execution.status, 'success', JSON.stringify(errorOf(answer.execution)));
			const question = await sandbox.customer.send({
				phone,
				subjectId: 101,
				text: 'I have a question',
			});
			await n8n.api.waitForExecutions(flow.workflow.id, 2);
			const order = await sandbox.customer.send({ phone, subjectId: 101, text: 'about my order' });
			const runs = await n8n.api.waitForExecutions(flow.workflow.id, 3);
			const last = conversationOf(runs[0]);
			assert.deepEqual(
				last.turns.map((t) => [t.role, t.text]),
				[
					['user', 'hi'],
					['assistant', 'Hello! How can I help?'],
					['user', 'I have a question'],
					['user', 'about my order'],
				],
			);
			assert.equal(
				last.transcript,
				'Customer: hi\nYou: Hello! How can I help?\nCustomer: I have a question\nCustomer: about my order',
			);
			assert.equal(last.unanswered, 'I have a question\nabout my order');
			assert.equal(last.unansweredCount, 2);
			assert.equal(last.isNewest, true);
			assert.equal(last.incomingMessageId, String(order.message.id));
			assert.equal(last.window.open, true);
			assert.equal(Date.parse(last.window.lastIncomingAt), Date.parse(order.message.receivedAt));
			assert.ok(
				Date.parse(last.window.closesAt) - Date.parse(order.message.receivedAt) === 23 * 3_600_000,
				`closes 23 h (24 h less the default margin) after the last message: ${JSON.stringify(last.window)}`,
			);
			for (let i = 1; i < last.turns.length; i++)
				assert.ok(last.turns[i - 1].at <= last.turns[i].at, 'oldest first');

			// Checked again now, the earlier messages are no longer the customer's newest.
			for (const earlier of [hi, question]) {
				const again = await runNode({
					resource: 'conversation',
					operation: 'get',
					channel: { __rl: true, mode: 'name', value: 'sandbox_wa' },
					phone: `+${phone}`,
					options: { incomingMessageId: String(earlier.message.id) },
				});
				assert.equal(again.execution.status, 'success', JSON.stringify(errorOf(again.execution)));
				assert.equal(
					again.items[0].isNewest,
					false,
					`message ${earlier.message.id} is not the newest`,
				);
				assert.equal(again.items[0].unansweredCount, 2);
			}
		});
	},
);

describe("n8n's log after every test above", () => {
	test('holds neither the API keys nor the webhook key used in this file', async (t) => {
		const log = await readFile(n8n.instance.logFile, 'utf8');
		t.diagnostic(`n8n log (level warn): ${log.split('\n').length} lines`);
		const secrets = [
			sandbox.keys.master,
			sandbox.keys.webhook,
			'sandbox-wa-only-api-key-example',
			'e2e-wrong-api-key-example-0001',
			'e2e-webhook-key-example-2',
			'e2e-webhook-key-example-3',
		];
		for (const secret of secrets)
			assert.ok(!log.includes(secret), `n8n's log holds a key (${secret.slice(0, 12)}…)`);
	});
});
