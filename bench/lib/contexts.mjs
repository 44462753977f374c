// Two ways to call the built node's webhook() for the in-process bench:
// - inN8nContext: inside n8n-core's real WebhookContext, so getNodeParameter and getCredentials
//   cost what they cost in n8n (parameter defaults, expression resolution, credential checks);
//   only the HTTP request/response and the credential store are stand-ins.
// - inStubContext: a plain object answering the same calls with no n8n code behind them, so the
//   figure is the node's own pipeline (auth, body, recognise, filter, validate, shape).
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/lib/n8n/common.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));

// n8n-core reads its instance settings on first use; a fresh folder and a fixed key keep it quiet.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(os.tmpdir(), 'edna-bench-'));
process.env.N8N_ENCRYPTION_KEY ??= 'edna-bench-encryption-key-example';

const { Container } = require('@n8n/di');
const { Logger } = require('@n8n/backend-common');
const { WebhookContext } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const noop = () => {};
const silentLogger = { error: noop, warn: noop, info: noop, debug: noop, scoped: () => silentLogger };
Container.set(Logger, silentLogger);

/** The built node (run `npm run build` first), or another build of it: a `dist` folder. */
export function loadTrigger(dist = path.join(REPO_ROOT, 'dist')) {
	const { EdnaPulseTrigger } = require(path.resolve(dist, 'nodes/EdnaPulse/EdnaPulseTrigger.node.js'));
	return new EdnaPulseTrigger();
}

export const BENCH_KEY = 'example-bench-webhook-key';
export const HEADERS = Object.freeze({
	authorization: `Token ${BENCH_KEY}`,
	'content-type': 'application/json',
});

function response() {
	const res = {
		statusCode: 0,
		status(code) {
			res.statusCode = code;
			return res;
		},
		json: () => res,
		send: () => res,
		end: () => res,
		setHeader: () => res,
	};
	return res;
}

/** As n8n hands a parsed application/json request to the node: body parsed, rawBody kept. */
export function request(text, body) {
	return { method: 'POST', headers: HEADERS, params: {}, query: {}, rawBody: Buffer.from(text), body };
}

/**
 * A factory of real WebhookContexts for one saved node. The Workflow (parameter defaults filled in,
 * as when n8n loads a saved workflow) is built once; a context per request, as n8n does.
 */
export function n8nContextFactory(trigger, parameters) {
	const nodeTypes = {
		getByName: () => trigger,
		getByNameAndVersion: () => trigger,
		getKnownTypes: () => ({}),
	};
	const node = {
		id: 'bench-node-1',
		name: 'edna Pulse Trigger',
		type: 'n8n-nodes-edna-pulse.ednaPulseTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6f9d8f1e-0000-4000-8000-00000000b001',
		parameters,
		credentials: { ednaPulseApi: { id: 'cred-1', name: 'edna key' } },
	};
	const workflow = new Workflow({ id: 'wf-bench', nodes: [node], connections: {}, active: true, nodeTypes });
	const loadedNode = workflow.getNode(node.name);
	const credential = { webhookKey: BENCH_KEY };
	const credentialsHelper = {
		isCredentialUsableByNode: () => true,
		getDecrypted: async () => credential,
	};
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'webhook',
		webhookDescription: trigger.description.webhooks.find((w) => w.name === 'default'),
		workflowId: 'wf-bench',
	};
	return (req) =>
		new WebhookContext(
			workflow,
			loadedNode,
			{
				httpRequest: req,
				httpResponse: response(),
				credentialsHelper,
				executionId: undefined,
				webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
				formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
				variables: {},
			},
			'webhook',
			webhookData,
			[],
			null,
		);
}

/** The node's declared defaults, so the stub answers getNodeParameter as n8n would for a saved node. */
function defaultsOf(trigger) {
	const defaults = {};
	for (const p of trigger.description.properties) {
		if (p.type !== 'notice') defaults[p.name] ??= p.default;
	}
	return defaults;
}

/** A factory of plain-object contexts: no n8n code runs, only the node's. */
export function stubContextFactory(trigger, parameters) {
	const params = { ...defaultsOf(trigger), ...parameters };
	const credential = { webhookKey: BENCH_KEY };
	const helpers = { returnJsonArray: (items) => items.map((json) => ({ json })) };
	return (req) => {
		const res = response();
		return {
			getWebhookName: () => 'default',
			getNodeParameter: (name, fallback) => params[name] ?? fallback,
			getCredentials: async () => credential,
			// What the trigger keys its held webhook key by (nodes/EdnaPulse/trigger/webhookKeys.ts).
			getNode: () => ({ credentials: { ednaPulseApi: { id: 'cred-1', name: 'edna key' } } }),
			getWorkflow: () => ({ id: 'wf-bench-stub' }),
			getHeaderData: () => req.headers,
			getBodyData: () => req.body,
			getRequestObject: () => req,
			getResponseObject: () => res,
			logger: silentLogger,
			helpers,
		};
	};
}
