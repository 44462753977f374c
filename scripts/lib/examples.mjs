// The workflows of examples/ as `npm start` brings them into n8n: read, made importable through the
// public API (edna credentials pointing at the sandbox's, a stable webhook id), and the credential
// they use.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { REPO_ROOT } from './n8n/common.mjs';
import { CREDENTIAL_TYPE, TRIGGER_TYPE } from './trigger-workflow.mjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const EXAMPLE_CREDENTIAL = 'edna Pulse sandbox';
/** Names this credential had before; a kept .n8n-local/ gets it renamed. */
const OLD_CREDENTIAL_NAMES = ['edna Pulse example webhook key'];

/** Every examples/*.json, parsed, in name order. */
export async function readExamples(say = console.log) {
	const files = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.json')).sort();
	const examples = [];
	for (const file of files) {
		try {
			examples.push({
				file,
				workflow: JSON.parse(await readFile(path.join(EXAMPLES_DIR, file), 'utf8')),
			});
		} catch (error) {
			say(`  ! examples/${file} is not valid JSON, skipped (${error.message})`);
		}
	}
	return examples;
}

/** A UUID-shaped id derived from text, for a trigger saved without webhookId: its URL stays the same. */
export function stableUuid(text) {
	const h = createHash('sha256').update(text).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The public API accepts only these workflow fields; edna credentials point at the example one. */
export function forImport({ file, workflow }, credential) {
	const nodes = (workflow.nodes ?? []).map((node) => {
		const copy = { ...node };
		if (copy.credentials?.[CREDENTIAL_TYPE]) {
			copy.credentials = {
				...copy.credentials,
				[CREDENTIAL_TYPE]: { id: credential.id, name: credential.name },
			};
		}
		if (copy.type === TRIGGER_TYPE && !copy.webhookId)
			copy.webhookId = stableUuid(`${file}/${copy.name}`);
		return copy;
	});
	return {
		name: workflow.name ?? path.basename(file, '.json'),
		nodes,
		connections: workflow.connections ?? {},
		settings: workflow.settings ?? { executionOrder: 'v1' },
	};
}

/** n8n publishes only a workflow with a trigger that starts it by itself: a Manual Trigger does not. */
export function startsOnlyByHand({ nodes = [] }) {
	const starters = nodes.filter(
		(n) => !n.disabled && (/Trigger$/i.test(n.type) || n.type === 'n8n-nodes-base.webhook'),
	);
	return starters.length > 0 && starters.every((n) => n.type === 'n8n-nodes-base.manualTrigger');
}

/** The sandbox's credential: created, or its keys and base URL reset if it exists (the port may differ). */
export async function exampleCredential(api, data) {
	const existing = (await api.rest('GET', '/credentials')).find(
		(c) =>
			[EXAMPLE_CREDENTIAL, ...OLD_CREDENTIAL_NAMES].includes(c.name) && c.type === CREDENTIAL_TYPE,
	);
	if (existing) {
		await api.updateCredential(existing.id, { name: EXAMPLE_CREDENTIAL, data });
		return { ...existing, name: EXAMPLE_CREDENTIAL };
	}
	return api.createCredential({ name: EXAMPLE_CREDENTIAL, type: CREDENTIAL_TYPE, data });
}

/**
 * Imports every example whose name n8n does not hold yet and publishes those that can start by
 * themselves; a kept one is left as the user last saved it. Returns each workflow name's file.
 */
export async function importExamples(api, credential, say = console.log) {
	const fileOf = new Map();
	const existing = new Map((await api.listWorkflows()).map((w) => [w.name, w]));
	const examples = await readExamples(say);
	for (const example of examples) {
		const body = forImport(example, credential);
		fileOf.set(body.name, example.file);
		let workflow = existing.get(body.name);
		if (workflow) {
			say(`  kept      ${body.name}  (examples/${example.file}; --fresh re-imports it)`);
		} else {
			try {
				workflow = await api.createWorkflow(body);
				existing.set(workflow.name, workflow);
				say(`  imported  ${body.name}  (examples/${example.file})`);
			} catch (error) {
				say(`  ! examples/${example.file} was not imported: ${error.message}`);
				continue;
			}
		}
		// As stored: a kept workflow may have gained a trigger of its own since.
		if (!workflow.active && startsOnlyByHand(workflow)) {
			say('            ready to run from the editor (its only trigger is a Manual Trigger)');
		} else if (!workflow.active) {
			try {
				await api.publishWorkflow(workflow.id);
			} catch (error) {
				const message = String(error.body?.message ?? error.message);
				// n8n lists each missing credential on its own line ("Missing required credential: slackApi").
				const missing = [...message.matchAll(/Missing required credential: (\w+)/g)].map((m) => m[1]);
				say(
					missing.length > 0
						? `            not published: choose its ${missing.join(', ')} credential in the editor, then publish`
						: `  ! "${body.name}" was not published: ${message}`,
				);
			}
		}
	}
	return fileOf;
}
