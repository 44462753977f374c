#!/usr/bin/env node
// Imports the task examples into a real n8n and runs what can run without outside services.
// Run with --help.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
	REPO_ROOT,
	createInstance,
	ensureN8n,
	freePort,
	packPackage,
	setupOwnerAndApiKey,
	start,
	stopInstance,
	waitForWebhook,
} from './lib/n8n-runtime.mjs';
import { FIXTURES_DIR, send } from './lib/simulator.mjs';
import { CREDENTIAL_TYPE, TRIGGER_TYPE, itemsOf } from './lib/trigger-workflow.mjs';

const HELP = `Checks the task examples in examples/ against a real n8n 2.41.1 with this package installed.

Usage: node scripts/check-examples.mjs [--no-build]

For each of examples/${['alert-team-on-failed-message', 'auto-reply-whatsapp', 'log-template-status'].join('.json, ')}.json:
every node type and version exists in n8n 2.41.1 (or in this package); the workflow imports through
the public API and, once its credentials are chosen (n8n publishes nothing with one missing),
publishes; its trigger answers edna's HEAD check. Then, with edna-shaped events:
  alert-team-on-failed-message  UNDELIVERED reaches the Slack node once; the same event again is
                                removed by Remove Duplicates; DELIVERED starts nothing
  auto-reply-whatsapp           a TEXT message makes the HTTP Request node send edna's
                                /api/cascade/schedule body (to a local stand-in of edna's API, with the
                                Header Auth key); an IMAGE message starts nothing
  log-template-status           both template formats add rows to the data table

Options:
  --no-build   use the current dist/ instead of running "npm run build"
  -h, --help   show this help`;

const { values: args } = parseArgs({
	options: {
		'no-build': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false },
	},
});
if (args.help) {
	console.log(HELP);
	process.exit(0);
}

const EXAMPLES = ['alert-team-on-failed-message', 'auto-reply-whatsapp', 'log-template-status'];
const KEY = 'check-examples-webhook-key';
const EDNA_API_KEY = 'check-examples-edna-api-key';
const started = Date.now();
const log = (message) =>
	console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

function check(condition, message) {
	if (!condition) throw new Error(message);
}

const fixture = async (kind, variant) =>
	JSON.parse(await readFile(path.join(FIXTURES_DIR, kind, `${variant}.json`), 'utf8'));
const readExample = async (name) =>
	JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', `${name}.json`), 'utf8'));

/** Every node's type and version exists: n8n's own nodes in n8n-nodes-base, ours in this package. */
async function checkNodeTypes(runtime, workflow, file) {
	const base = JSON.parse(
		await readFile(
			path.join(runtime.dir, 'node_modules', 'n8n-nodes-base', 'dist', 'types', 'nodes.json'),
			'utf8',
		),
	);
	for (const node of workflow.nodes) {
		if (node.type === TRIGGER_TYPE) {
			check(
				node.typeVersion === 1,
				`${file}: ${node.name} has version ${node.typeVersion}; the trigger has 1`,
			);
			check(node.webhookId, `${file}: ${node.name} has no fixed webhookId`);
			continue;
		}
		const name = node.type.replace(/^n8n-nodes-base\./, '');
		check(name !== node.type, `${file}: ${node.name} is of type ${node.type}, not an n8n node`);
		const versions = base.filter((d) => d.name === name).flatMap((d) => [].concat(d.version));
		check(
			versions.includes(node.typeVersion),
			`${file}: ${node.type} v${node.typeVersion} is not in n8n ${runtime.version} (${versions.join(', ')})`,
		);
	}
}

/** A stand-in for edna's send API that records what it receives. */
async function startFakeEdnaApi() {
	const received = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			received.push({ method: req.method, url: req.url, headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({ requestId: JSON.parse(body || '{}').requestId ?? null, messageId: 1 }),
			);
		});
	});
	const port = await freePort();
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${port}/api/cascade/schedule`,
		received,
		close: () => server.close(),
	};
}

async function importAndPublish({ instance, api }, workflow, credentials) {
	const nodes = workflow.nodes.map((node) => {
		const copy = structuredClone(node);
		if (copy.credentials?.[CREDENTIAL_TYPE]) copy.credentials[CREDENTIAL_TYPE] = credentials.edna;
		return copy;
	});
	const created = await api.createWorkflow({
		name: workflow.name,
		nodes,
		connections: workflow.connections,
		settings: workflow.settings,
	});
	await api.publishWorkflow(created.id);
	const trigger = nodes.find((n) => n.type === TRIGGER_TYPE);
	const url = instance.webhookUrl(trigger.webhookId, 'webhook');
	await waitForWebhook(url);
	return { id: created.id, url };
}

const ranNodes = (execution) => Object.keys(execution.data?.resultData?.runData ?? {});

async function checkAlert(ctx, workflow) {
	// n8n publishes only with every credential chosen: as a user would, pick a Slack one (its calls fail here).
	const completed = structuredClone(workflow);
	for (const node of completed.nodes)
		if (node.type === 'n8n-nodes-base.slack')
			node.credentials = { slackApi: ctx.credentials.slack };
	const { id, url } = await importAndPublish(ctx, completed, ctx.credentials);
	const undelivered = await fixture('messageStatus', 'undelivered-sms');
	for (let i = 0; i < 2; i++) {
		const res = await send({ url, key: KEY, body: undelivered });
		check(res.status === 200, `alert: UNDELIVERED → ${res.status} ${res.text}`);
		await ctx.api.waitForExecutions(id, i + 1, { exact: true });
	}
	const skipped = await send({ url, key: KEY, body: await fixture('messageStatus', 'delivered') });
	check(
		/no event matched/.test(skipped.text),
		`alert: DELIVERED → ${skipped.status} ${skipped.text}`,
	);
	const [second, first] = await ctx.api.waitForExecutions(id, 2, { exact: true });
	check(
		itemsOf(first, 'Skip edna retries').length === 1,
		'alert: the first UNDELIVERED did not pass Remove Duplicates',
	);
	check(
		ranNodes(first).includes('Alert the team in Slack'),
		`alert: Slack node not reached (${ranNodes(first)})`,
	);
	check(
		itemsOf(second, 'Skip edna retries').length === 0,
		'alert: the repeated event was not removed',
	);
	check(
		!ranNodes(second).includes('Alert the team in Slack'),
		'alert: the repeated event reached Slack',
	);
	log('  alert: UNDELIVERED reaches Slack once, its retry is removed, DELIVERED starts nothing');
}

async function checkAutoReply(ctx, workflow) {
	const fake = await startFakeEdnaApi();
	try {
		// The example as a user completes it: a cascade ID and the Header Auth credential.
		const completed = structuredClone(workflow);
		for (const node of completed.nodes) {
			if (node.type === 'n8n-nodes-base.set') {
				node.parameters.assignments.assignments.find((a) => a.name === 'cascadeId').value = '31634';
			}
			if (node.type === 'n8n-nodes-base.httpRequest') {
				check(
					node.parameters.url === 'https://app.edna.io/api/cascade/schedule',
					`auto-reply: URL ${node.parameters.url}`,
				);
				node.parameters.url = fake.url;
				node.credentials = { httpHeaderAuth: ctx.credentials.header };
			}
		}
		const { id, url } = await importAndPublish(ctx, completed, ctx.credentials);
		const image = await send({ url, key: KEY, body: await fixture('incomingMessage', 'image') });
		check(/no event matched/.test(image.text), `auto-reply: IMAGE → ${image.status} ${image.text}`);
		const text = await fixture('incomingMessage', 'text');
		const res = await send({ url, key: KEY, body: text });
		check(res.status === 200, `auto-reply: TEXT → ${res.status} ${res.text}`);
		const [execution] = await ctx.api.waitForExecutions(id, 1, { exact: true });
		check(
			execution.status === 'success',
			`auto-reply: execution ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? {})}`,
		);
		check(
			fake.received.length === 1,
			`auto-reply: edna's API got ${fake.received.length} requests`,
		);
		const [request] = fake.received;
		check(
			request.method === 'POST' && request.headers['x-api-key'] === EDNA_API_KEY,
			'auto-reply: no POST with X-API-KEY',
		);
		const body = JSON.parse(request.body);
		const expected = {
			requestId: `n8n-reply-${text.subjectId}-${text.id}`,
			cascadeId: 31634,
			subscriberFilter: { address: text.subscriber.identifier, type: 'PHONE' },
			content: {
				whatsappContent: { contentType: 'TEXT', text: body.content?.whatsappContent?.text },
			},
		};
		check(
			JSON.stringify(body) === JSON.stringify(expected),
			`auto-reply: edna got ${request.body}`,
		);
		check(
			typeof expected.content.whatsappContent.text === 'string' &&
				expected.content.whatsappContent.text.length > 0,
			'auto-reply: empty reply text',
		);
		log(`  auto-reply: edna's API got ${request.body.replace(/\s+/g, ' ')}`);
	} finally {
		fake.close();
	}
}

async function checkTemplateLog(ctx, workflow) {
	const table = await ctx.api.api('POST', '/data-tables', {
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
	const { id, url } = await importAndPublish(ctx, workflow, ctx.credentials);
	for (const variant of ['array', 'legacy-object']) {
		const res = await send({ url, key: KEY, body: await fixture('templateStatus', variant) });
		check(res.status === 200, `template log: ${variant} → ${res.status} ${res.text}`);
	}
	const executions = await ctx.api.waitForExecutions(id, 2, { exact: true });
	for (const e of executions)
		check(
			e.status === 'success',
			`template log: execution ${e.id} ${e.status}: ${JSON.stringify(e.data?.resultData?.error ?? {})}`,
		);
	const rows = (await ctx.api.api('GET', `/data-tables/${table.id}/rows?limit=100`)).data;
	const names = rows.map((r) => `${r.templateName}:${r.status}`).sort();
	check(rows.length === 3, `template log: ${rows.length} rows (${names.join(', ')}), expected 3`);
	check(
		rows.every(
			(r) => typeof r.templateId === 'number' && r.eventKey?.startsWith('templateStatus:'),
		),
		`template log rows: ${JSON.stringify(rows)}`,
	);
	log(`  template log: rows ${names.join(', ')}`);
}

async function main() {
	const runtime = await ensureN8n({ log: (m) => log(m) });
	const examples = {};
	for (const name of EXAMPLES) {
		examples[name] = await readExample(name);
		await checkNodeTypes(runtime, examples[name], `${name}.json`);
	}
	log(`node types and versions exist in n8n ${runtime.version}`);

	const tgz = await packPackage({ build: !args['no-build'], log: false });
	const instance = await createInstance({ tgz, runtime, log: (m) => log(m) });
	try {
		await start(instance);
		const api = await setupOwnerAndApiKey(instance);
		const credentials = {
			edna: await api.createCredential({
				name: 'edna Pulse webhook key',
				type: CREDENTIAL_TYPE,
				data: { webhookKey: KEY },
			}),
			header: await api.createCredential({
				name: 'edna API key',
				type: 'httpHeaderAuth',
				data: { name: 'X-API-KEY', value: EDNA_API_KEY },
			}),
			slack: await api.createCredential({
				name: 'Slack',
				type: 'slackApi',
				data: { accessToken: 'xoxb-not-a-real-token' },
			}),
		};
		for (const [k, c] of Object.entries(credentials)) credentials[k] = { id: c.id, name: c.name };
		const ctx = { instance, api, credentials };

		// As a user imports the file: unchanged, credentials still to be chosen.
		for (const name of EXAMPLES) {
			const { name: title, nodes, connections, settings } = examples[name];
			const created = await api.createWorkflow({ name: title, nodes, connections, settings });
			const stored = await api.getWorkflow(created.id);
			check(
				stored.nodes.length === nodes.length,
				`${name}.json: ${stored.nodes.length} of ${nodes.length} nodes stored`,
			);
			await api.deleteWorkflow(created.id);
		}
		log('the three files import unchanged');

		log('alert-team-on-failed-message.json');
		await checkAlert(ctx, examples['alert-team-on-failed-message']);
		log('auto-reply-whatsapp.json');
		await checkAutoReply(ctx, examples['auto-reply-whatsapp']);
		log('log-template-status.json');
		await checkTemplateLog(ctx, examples['log-template-status']);
		log('examples imported, published and ran as described');
	} finally {
		await stopInstance(instance, { removeUserFolder: true });
	}
}

main().catch((error) => {
	console.error(`check-examples FAILED: ${error.message}`);
	process.exit(1);
});
