// The task examples of examples/ in a real n8n 2.41.1 (the packed package installed as a community
// package), against the edna sandbox as their edna. Each file is first imported exactly as a user
// imports it; then it is run with only what the user must add: the credentials (n8n publishes
// nothing with one missing). Run alone: npm run build && node --test test/e2e/examples.test.mjs
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';

import { ACTION_TYPE, errorOf } from '../../scripts/lib/action-workflow.mjs';
import { REPO_ROOT, sleep, waitForWebhook } from '../../scripts/lib/n8n/index.mjs';
import { loadFixtures, send } from '../../scripts/lib/simulator.mjs';
import { CREDENTIAL_TYPE, TRIGGER_TYPE, itemsOf } from '../../scripts/lib/trigger-workflow.mjs';
import { lastSeq as lastSeqOf, requestsTo as requestsToOf, setUpSandboxSuite } from '../support/sandbox-suite.mjs';

const EXAMPLES = [
	'alert-team-on-failed-message',
	'auto-reply-whatsapp',
	'log-template-status',
	'send-template',
	'campaign-from-a-list',
];
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
// The versions the package's nodes have, as built (dist/).
const requireDist = createRequire(path.join(REPO_ROOT, 'dist', 'nodes', 'EdnaPulse', 'index.js'));
const PACKAGE_VERSIONS = {
	[ACTION_TYPE]: new (requireDist('./EdnaPulse.node.js').EdnaPulse)().description.version,
	[TRIGGER_TYPE]: new (requireDist('./EdnaPulseTrigger.node.js').EdnaPulseTrigger)().description.version,
};
const CUSTOMER = '35790000100';
// The trigger's answer when no event of the body is one it listens to: no execution starts.
const NOTHING_STARTED = /no event matched/;

let sandbox;
let n8n;
let slack;
const examples = {};

// edna's seconds 100 times faster, so the statuses of the sends are over within the test.
setUpSandboxSuite({
	baseUrl: (sb) => sb.apiUrl,
	then: async (suite) => {
		({ sandbox, n8n } = suite);
		for (const name of EXAMPLES) {
			examples[name] = JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', `${name}.json`), 'utf8'));
		}
		// The alert example's Slack node needs a credential to be published; its calls fail here.
		slack = await n8n.api.createCredential({
			name: 'Slack',
			type: 'slackApi',
			data: { accessToken: 'xoxb-not-a-real-token' },
		});
	},
});

const ranNodes = (execution) => Object.keys(execution.data?.resultData?.runData ?? {});
const lastSeq = () => lastSeqOf(sandbox);
const requestsTo = (apiPath, since = 0) => requestsToOf(sandbox, apiPath, since);
const fixture = async (kind, variant) => (await loadFixtures({ kind, variant }))[0].body;
const succeeded = (execution) =>
	assert.equal(execution.status, 'success', JSON.stringify(errorOf(execution)));

/**
 * The example as the user completes it: every edna credential reference points at the sandbox's
 * credential, `changes(nodes)` may choose others; nothing else differs from the file.
 */
/** The `customers` list of a list example's *Customers (edit me)* node. */
const customersOf = (example) =>
	JSON.parse(
		example.nodes
			.find((n) => n.name === 'Customers (edit me)')
			.parameters.assignments.assignments.find((a) => a.name === 'customers').value,
	);

/**
 * Imports and publishes a list example with its Manual Trigger swapped for a Webhook of the same name
 * (n8n's public API cannot run a Manual Trigger; a Webhook in its place starts the same nodes).
 * `run(n)` starts it and returns the n-th execution of the workflow, which must have succeeded.
 */
async function publishAsWebhook(example) {
	const manual = example.nodes.find((n) => n.type === MANUAL_TRIGGER);
	assert.ok(manual, 'the example starts with a Manual Trigger');
	const webhookPath = randomUUID();
	const { id } = await importAndPublish(example, (nodes) => {
		const i = nodes.findIndex((n) => n.type === MANUAL_TRIGGER);
		nodes[i] = {
			id: manual.id,
			name: manual.name,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: manual.position,
			webhookId: webhookPath,
			parameters: { httpMethod: 'POST', path: webhookPath, options: {} },
		};
	});
	const url = `${n8n.instance.webhookBaseUrl}/webhook/${webhookPath}`;
	const run = async (n) => {
		// 404: n8n has not registered the webhook yet, nothing ran; any other answer started the run.
		const deadline = Date.now() + 30_000;
		let res = await send({ url, body: {} });
		while (res.status === 404 && Date.now() < deadline) {
			await sleep(200);
			res = await send({ url, body: {} });
		}
		assert.equal(res.status, 200, res.text);
		const [execution] = await n8n.api.waitForExecutions(id, n, { exact: true });
		succeeded(execution);
		return execution;
	};
	return { id, run };
}

async function importAndPublish(workflow, changes = () => {}) {
	const nodes = structuredClone(workflow.nodes);
	for (const node of nodes) {
		if (node.credentials?.[CREDENTIAL_TYPE])
			node.credentials[CREDENTIAL_TYPE] = { id: n8n.credential.id, name: n8n.credential.name };
	}
	changes(nodes);
	const created = await n8n.api.createWorkflow({
		name: workflow.name,
		nodes,
		connections: workflow.connections,
		settings: workflow.settings,
	});
	await n8n.api.publishWorkflow(created.id);
	const trigger = nodes.find((n) => n.type === TRIGGER_TYPE);
	let url;
	if (trigger) {
		url = n8n.instance.webhookUrl(trigger.webhookId, 'webhook');
		await waitForWebhook(url);
	}
	return { id: created.id, url, nodes };
}

describe('the task examples in a real n8n, against the sandbox', { concurrency: 1 }, () => {
	test("every node's type and version exists in n8n 2.41.1 or in this package", async () => {
		const base = JSON.parse(
			await readFile(
				path.join(
					n8n.instance.dir,
					'node_modules',
					'n8n-nodes-base',
					'dist',
					'types',
					'nodes.json',
				),
				'utf8',
			),
		);
		for (const [file, workflow] of Object.entries(examples)) {
			for (const node of workflow.nodes) {
				if (node.type === TRIGGER_TYPE || node.type === ACTION_TYPE) {
					const versions = [PACKAGE_VERSIONS[node.type]].flat();
					assert.ok(versions.includes(node.typeVersion), `${file}: ${node.name} version ${node.typeVersion}, not one of ${versions}`);
					if (node.type === TRIGGER_TYPE)
						assert.ok(node.webhookId, `${file}: ${node.name} has no fixed webhookId`);
					continue;
				}
				const name = node.type.replace(/^n8n-nodes-base\./, '');
				assert.notEqual(name, node.type, `${file}: ${node.name} is of type ${node.type}`);
				const versions = base.filter((d) => d.name === name).flatMap((d) => [].concat(d.version));
				assert.ok(
					versions.includes(node.typeVersion),
					`${file}: ${node.type} v${node.typeVersion} is not in n8n ${n8n.instance.version} (${versions.join(', ')})`,
				);
			}
		}
	});

	test('each file imports through the public API unchanged: nodes and connections as in the file', async () => {
		for (const [file, { name, nodes, connections, settings }] of Object.entries(examples)) {
			const created = await n8n.api.createWorkflow({ name, nodes, connections, settings });
			const stored = await n8n.api.getWorkflow(created.id);
			// n8n adds a webhookId to nodes that can wait for one (Slack's Send and Wait): not a change.
			const shape = (list) =>
				list.map(({ name: n, type, typeVersion, parameters, credentials }) => ({
					name: n,
					type,
					typeVersion,
					parameters,
					credentials,
				}));
			assert.deepEqual(shape(stored.nodes), shape(nodes), `${file}: nodes changed on import`);
			for (const node of nodes.filter((n) => n.webhookId)) {
				const kept = stored.nodes.find((n) => n.name === node.name);
				assert.equal(kept?.webhookId, node.webhookId, `${file}: ${node.name}'s webhookId changed`);
			}
			assert.deepEqual(stored.connections, connections, `${file}: connections changed on import`);
			await n8n.api.deleteWorkflow(created.id);
		}
	});

	test('alert-team-on-failed-message: UNDELIVERED reaches Slack once, its retry is removed, DELIVERED starts nothing', async () => {
		const { id, url } = await importAndPublish(
			examples['alert-team-on-failed-message'],
			(nodes) => {
				for (const node of nodes)
					if (node.type === 'n8n-nodes-base.slack')
						node.credentials = { slackApi: { id: slack.id, name: slack.name } };
			},
		);
		const undelivered = await fixture('messageStatus', 'undelivered-sms');
		for (let i = 0; i < 2; i++) {
			const res = await send({ url, key: sandbox.keys.webhook, body: undelivered });
			assert.equal(res.status, 200, res.text);
			await n8n.api.waitForExecutions(id, i + 1);
		}
		const skipped = await send({
			url,
			key: sandbox.keys.webhook,
			body: await fixture('messageStatus', 'delivered'),
		});
		assert.match(skipped.text, NOTHING_STARTED);
		const [second, first] = await n8n.api.waitForExecutions(id, 2, { exact: true });
		assert.equal(itemsOf(first, 'Skip edna retries').length, 1, 'the first alert passes');
		assert.ok(ranNodes(first).includes('Alert the team in Slack'), ranNodes(first).join());
		assert.equal(itemsOf(second, 'Skip edna retries').length, 0, 'the retry is removed');
		assert.ok(!ranNodes(second).includes('Alert the team in Slack'), 'the retry reached Slack');
	});

	test("auto-reply-whatsapp as it is, given the sandbox's credential: one reply on the customer's channel; IMAGE, a BSUID sender and a redelivered webhook send nothing", async () => {
		const example = examples['auto-reply-whatsapp'];
		const { id, url } = await importAndPublish(example);
		const reply = example.nodes.find((n) => n.type === ACTION_TYPE);
		const filter = example.nodes.find((n) => n.type === 'n8n-nodes-base.filter');
		sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });

		const since = lastSeq();
		const written = await sandbox.customer.send({
			phone: CUSTOMER,
			subjectId: 101,
			text: 'Where is my order?',
		});
		assert.equal(written.webhook?.status, 200, JSON.stringify(written.webhook));
		const [execution] = await n8n.api.waitForExecutions(id, 1);
		succeeded(execution);
		const [item] = itemsOf(execution, reply.name);
		assert.equal(item?.outcome, 'sent', JSON.stringify(item));
		const sends = requestsTo('cascade/schedule', since);
		assert.equal(sends.length, 1, 'one send');
		const [req] = sends;
		assert.equal(req.status, 200, JSON.stringify(req.answer));
		assert.equal(req.body.requestId, item.requestId);
		assert.equal(req.body.cascadeId, 201, "the WhatsApp channel's cascade");
		assert.deepEqual(req.body.subscriberFilter, { address: CUSTOMER, type: 'PHONE' });
		assert.deepEqual(req.body.content, {
			whatsappContent: { contentType: 'TEXT', text: reply.parameters.text },
		});

		// An image: the trigger (content type TEXT only) answers edna and starts nothing.
		const image = await sandbox.customer.send({ phone: CUSTOMER, subjectId: 101, type: 'IMAGE' });
		assert.equal(image.webhook?.status, 200, JSON.stringify(image.webhook));
		const answered = sandbox.record.webhooks({ url }).at(-1);
		assert.match(String(JSON.stringify(answered?.answer)), NOTHING_STARTED);

		// A sender known only by a WhatsApp user ID (the sandbox has none: edna's shape, sent as edna).
		const text = await fixture('incomingMessage', 'text');
		const bsuid = {
			...text,
			id: 990001,
			subject: 'sandbox_wa',
			subjectId: 101,
			subscriber: { id: 990002, identifier: 'BR.1A2B3C4D5E6F7A8B9C0D' },
		};
		const sent = await send({ url, key: sandbox.keys.webhook, body: bsuid });
		assert.equal(sent.status, 200, sent.text);
		const [skipped] = await n8n.api.waitForExecutions(id, 2);
		succeeded(skipped);
		assert.equal(itemsOf(skipped, filter.name).length, 0, 'the filter stops the BSUID sender');
		assert.ok(!ranNodes(skipped).includes(reply.name), ranNodes(skipped).join());

		// edna delivers the first webhook again (as after a lost 200): the reply is not sent twice.
		const again = await send({ url, key: sandbox.keys.webhook, body: written.body });
		assert.equal(again.status, 200, again.text);
		const [redelivered] = await n8n.api.waitForExecutions(id, 3, { exact: true });
		succeeded(redelivered);
		const [repeat] = itemsOf(redelivered, reply.name);
		assert.equal(repeat?.outcome, 'alreadySent', JSON.stringify(repeat));
		assert.equal(repeat.requestId, item.requestId);
		const accepted = requestsTo('cascade/schedule', since).filter((r) => r.status === 200);
		assert.equal(accepted.length, 1, 'the customer got one reply');
	});

	test('log-template-status: both template formats add rows to the data table', async () => {
		const table = await n8n.api.api('POST', '/data-tables', {
			name: 'edna template statuses',
			columns: [
				{ name: 'templateId', type: 'number' },
				{ name: 'templateName', type: 'string' },
				{ name: 'status', type: 'string' },
				{ name: 'category', type: 'string' },
				{ name: 'channelType', type: 'string' },
				{ name: 'language', type: 'string' },
				{ name: 'changedAt', type: 'date' },
				{ name: 'eventKey', type: 'string' },
			],
		});
		const { id, url } = await importAndPublish(examples['log-template-status']);
		for (const variant of ['array', 'legacy-object']) {
			const res = await send({
				url,
				key: sandbox.keys.webhook,
				body: await fixture('templateStatus', variant),
			});
			assert.equal(res.status, 200, `${variant}: ${res.text}`);
		}
		const executions = await n8n.api.waitForExecutions(id, 2, { exact: true });
		for (const e of executions) succeeded(e);
		const rows = (await n8n.api.api('GET', `/data-tables/${table.id}/rows?limit=100`)).data;
		assert.equal(rows.length, 3, JSON.stringify(rows));
		for (const row of rows) {
			assert.equal(typeof row.templateId, 'number', JSON.stringify(row));
			assert.match(row.eventKey ?? '', /^templateStatus:/, JSON.stringify(row));
		}
	});

	test('send-template, its Manual Trigger swapped for a Webhook of the same name: one v1 template send per customer, variables from that customer', async () => {
		const example = examples['send-template'];
		const customers = customersOf(example);
		const sender = example.nodes.find((n) => n.type === ACTION_TYPE);
		const since = lastSeq();
		const { run } = await publishAsWebhook(example);
		const execution = await run(1);
		const items = itemsOf(execution, sender.name);
		assert.deepEqual(
			items.map((i) => i.outcome),
			customers.map(() => 'sent'),
		);

		const sends = requestsTo('v1/out-messages/whatsapp/template', since);
		assert.equal(sends.length, customers.length, 'one send per customer');
		for (const [i, customer] of customers.entries()) {
			const req = sends[i];
			assert.equal(req.status, 200, JSON.stringify(req.answer));
			assert.equal(req.body.sender, 'sandbox_wa');
			assert.equal(req.body.templateId, 301);
			assert.equal(req.body.phone, customer.phone.replace(/\D/g, ''));
			assert.deepEqual(req.body.textVariables, [customer.name, customer.order]);
			assert.deepEqual(req.body.headerVariables, [customer.order]);
			assert.equal(req.body.messageId, items[i].messageId);
		}
		assert.equal(new Set(sends.map((r) => r.body.messageId)).size, customers.length);
	});

	test('campaign-from-a-list, its Manual Trigger swapped for a Webhook: one template per row, Alex\'s two 6 s apart; run again the same day, nothing is sent twice', async () => {
		const example = examples['campaign-from-a-list'];
		const customers = customersOf(example);
		const sender = example.nodes.find((n) => n.type === ACTION_TYPE);
		const since = lastSeq();
		const { run } = await publishAsWebhook(example);
		const first = itemsOf(await run(1), sender.name);
		assert.deepEqual(first.map((i) => [i.outcome, i.idSource]), customers.map(() => ['sent', 'campaign']));
		const sends = requestsTo('v1/out-messages/whatsapp/template', since);
		const sorted = (list) => [...list].sort();
		assert.deepEqual(sorted(sends.map((r) => r.body.phone)), sorted(customers.map((c) => c.phone.replace(/\D/g, ''))));
		assert.ok(sends.every((r) => /^n8n campaign:shipping-\d{4}-\d{2}-\d{2}$/.test(r.body.options.comment)), JSON.stringify(sends[0].body));
		const alex = sends.filter((r) => r.body.phone === '35790000100').map((r) => Date.parse(r.at));
		assert.ok(alex[1] - alex[0] >= 6000, `Alex's messages ${alex[1] - alex[0]} ms apart`);

		const again = itemsOf(await run(2), sender.name);
		assert.deepEqual(again.map((i) => i.outcome), customers.map(() => 'alreadySent'));
		assert.deepEqual(again.map((i) => i.messageId), first.map((i) => i.messageId));
		assert.equal(requestsTo('v1/out-messages/whatsapp/template', since).length, customers.length, 'no second send');
	});
});
