// A real n8n with this package installed, one edna Pulse Trigger workflow per call, and the
// items that reached a node in its executions. Shared by the end-to-end suites under test/e2e and
// scripts/load-test.mjs; built on scripts/lib/n8n/index.mjs.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import {
	REPO_ROOT,
	createInstance,
	packPackage,
	setupOwnerAndApiKey,
	start,
	stopInstance,
	waitForWebhook,
} from './n8n/index.mjs';

export const TRIGGER_NAME = 'edna Pulse Trigger';
export const TRIGGER_TYPE = 'n8n-nodes-edna-pulse.ednaPulseTrigger';
export const CREDENTIAL_TYPE = 'ednaPulseApi';

/**
 * Packs the current dist/ (run `npm run build` first, or pass `build: true`), starts an n8n on
 * 127.0.0.1 with the package installed as a community package, creates the owner, a public-API key
 * and an edna credential holding `key` (and `credentialData`: the API key and base URL).
 * NODE_ENV=production as in n8n's Docker image: n8n's own error answers (422, 404) then carry no stack trace.
 * @returns {Promise<{instance, api, credential, stop: () => Promise<void>}>}
 */
export async function startEdnaN8n({
	key,
	credentialData = {},
	build = false,
	env = {},
	log = false,
} = {}) {
	const tgz = await packPackage({ build, log });
	const instance = await createInstance({ tgz, env: { NODE_ENV: 'production', ...env }, log });
	try {
		await start(instance);
		const api = await setupOwnerAndApiKey(instance);
		const credential = await api.createCredential({
			name: 'edna Pulse webhook key',
			type: CREDENTIAL_TYPE,
			data: { webhookKey: key, ...credentialData },
		});
		return {
			instance,
			api,
			credential,
			stop: () => stopInstance(instance, { removeUserFolder: true }),
		};
	} catch (error) {
		await stopInstance(instance, { removeUserFolder: true });
		throw error;
	}
}

/** The trigger node of a workflow, with a fixed webhookId so its URL is known in advance. */
export function triggerNode({
	webhookId = randomUUID(),
	parameters = {},
	credential,
	typeVersion = 1,
}) {
	return {
		id: randomUUID(),
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		webhookId,
		parameters,
		credentials: credential
			? { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } }
			: undefined,
	};
}

/**
 * Nodes connected one after the other, first to last, as a workflow stores them: each node gets an
 * id and a position left to right unless it has its own.
 */
export function chain(nodes) {
	const placed = nodes.map((n, i) => ({ id: randomUUID(), position: [220 * i, 0], ...n }));
	const connections = {};
	for (let i = 0; i + 1 < placed.length; i++) {
		connections[placed[i].name] = {
			main: [[{ node: placed[i + 1].name, type: 'main', index: 0 }]],
		};
	}
	return { nodes: placed, connections };
}

/**
 * Creates and publishes a workflow starting with the trigger (plus `nodes` chained after it in
 * order), waits until its URL answers HEAD with 200, and returns it with its production URL.
 */
export async function publishTriggerWorkflow(
	{ instance, api, credential },
	{
		name = 'edna Pulse events',
		parameters = { event: 'anyEvent' },
		nodes = [],
		publish = true,
		typeVersion,
	} = {},
) {
	const trigger = triggerNode({ parameters, credential, typeVersion });
	const workflow = await api.createWorkflow({ name, ...chain([trigger, ...nodes]) });
	const url = instance.webhookUrl(trigger.webhookId, 'webhook');
	if (publish) {
		await api.publishWorkflow(workflow.id);
		await waitForWebhook(url);
	}
	return {
		workflow,
		url,
		testUrl: `${instance.webhookBaseUrl}/webhook-test/${trigger.webhookId}/webhook`,
		webhookId: trigger.webhookId,
	};
}

/**
 * The JSON items a node output in one execution (fetched with includeData), [] when it did not run.
 * A node run as an AI agent's tool records its output as `ai_tool`, one run per call.
 */
export function itemsOf(execution, nodeName = TRIGGER_NAME) {
	const runs = execution?.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[0] ?? run.data?.ai_tool?.[0] ?? []).map((item) => item.json));
}

/** The built trigger modules whose pure functions the scripts reuse, relative to a package root. */
const NODE_LOGIC_FILES = ['dist/nodes/EdnaPulse/trigger/pipeline.js', 'dist/nodes/EdnaPulse/trigger/events/filters.js'];

/** Whether this repository's dist/ holds the modules nodeLogicOf loads (false before the first build). */
export const nodeLogicBuilt = () => NODE_LOGIC_FILES.every((file) => existsSync(path.join(REPO_ROOT, file)));

/**
 * The node's pure logic (`splitBody`, `decide` of the trigger's pipeline, `parseFilters` of its
 * filters) from the very code n8n runs: the package's dist/ as installed in `instance`, copied under
 * this repository's node_modules/.cache so its imports (zod, n8n-workflow) resolve here, as n8n
 * resolves them for it. Without an instance, this repository's dist/. The one place that knows where
 * these modules lie in the build.
 */
export async function nodeLogicOf(instance) {
	let root = REPO_ROOT;
	const installed = instance?.packages?.[0]?.dir;
	if (installed) {
		root = path.join(REPO_ROOT, 'node_modules', '.cache', 'edna-event-keys', randomUUID());
		await cp(path.join(installed, 'dist'), path.join(root, 'dist'), { recursive: true });
		await writeFile(path.join(root, 'package.json'), '{"private":true}\n');
	}
	const load = createRequire(path.join(root, 'package.json'));
	const logic = Object.assign({}, ...NODE_LOGIC_FILES.map((file) => load(path.join(root, file))));
	if (installed) await rm(root, { recursive: true, force: true });
	return logic;
}

/**
 * The node's own key function, from the very code n8n runs (see nodeLogicOf).
 * @returns {Promise<(body: unknown) => string[]>} the eventKeys of a parsed body, in item order
 */
export async function eventKeysOf(instance) {
	const { splitBody, decide } = await nodeLogicOf(instance);
	return (body) => {
		const events = splitBody(body);
		if (typeof events === 'string') throw new Error(`not an edna body: ${events}`);
		const decision = decide(events, {
			event: 'anyEvent',
			output: 'simplified',
			filters: {},
			strict: false,
		});
		return decision.outcome === 'run' ? decision.items.map((item) => item.eventKey) : [];
	};
}
