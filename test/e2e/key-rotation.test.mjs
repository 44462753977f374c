// Key rotation and the test listener against a real n8n. The trigger holds the key's digest for at
// most 10 s (KEY_LIFETIME_MS, nodes/EdnaPulse/trigger/webhookKeys.ts); after the credential's key is changed
// (public API, as when it is edited in n8n) the same running n8n accepts the new key on its first
// request, after which the old one is refused, and an old key that is the only one sent is refused
// within 10 s of the change. Requests the node refuses never use up a "Listen for test event" listener.
// Needs `npm run build` first (npm test does it).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { send } from '../../scripts/lib/simulator.mjs';
import { TRIGGER_NAME, itemsOf, publishTriggerWorkflow, startEdnaN8n } from '../../scripts/lib/trigger-workflow.mjs';
import corpus from '../fixtures/hostile/corpus.js';
import { setUpOnce } from '../support/harness.mjs';

const OLD_KEY = 'rotation-e2e-key-before-1a2b';
const NEW_KEY = 'rotation-e2e-key-after-3c4d';
const THIRD_KEY = 'rotation-e2e-key-third-5e6f';
/** The bound this file proves: KEY_LIFETIME_MS in nodes/EdnaPulse/trigger/webhookKeys.ts. */
const OLD_KEY_BOUND_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let n8n;
let production;
let pid;
let sent = 0;

/** A status event no other request in this file repeats. */
function event() {
	const body = corpus.fixture('messageStatus/delivered');
	body.requestId = `rotation-${++sent}`;
	return body;
}

async function finished(workflowId) {
	const list = await n8n.api.listExecutions(workflowId);
	return list.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
}

/** Waits until the workflow has `count` finished executions, then checks no more follow. */
async function expectExecutions(workflowId, count) {
	const deadline = Date.now() + 30_000;
	while ((await finished(workflowId)).length < count && Date.now() < deadline) await sleep(150);
	await sleep(400);
	const list = await finished(workflowId);
	assert.equal(list.length, count, `executions of workflow ${workflowId}`);
	return list;
}

setUpOnce(async (own) => {
	n8n = await own(startEdnaN8n({ key: OLD_KEY }));
	pid = n8n.instance.processes[0].pid;
	production = await publishTriggerWorkflow(n8n, { name: 'rotation: statuses', parameters: { event: 'messageStatus' } });
});

test('before rotation the key is accepted and starts a run', async () => {
	const answer = await send({ url: production.url, key: OLD_KEY, body: event() });
	assert.equal(answer.status, 200);
	await expectExecutions(production.workflow.id, 1);
});

test('after the key is changed in n8n, the new key runs at once and then the old one gets 403, on the same n8n process', async () => {
	await n8n.api.updateCredential(n8n.credential.id, { data: { webhookKey: NEW_KEY } });

	// The very first request after the change, with the new key: accepted.
	const fresh = await send({ url: production.url, key: NEW_KEY, body: event() });
	assert.equal(fresh.status, 200);
	const old = await send({ url: production.url, key: OLD_KEY, body: event() });
	assert.equal(old.status, 403);
	assert.ok(!old.text.includes(OLD_KEY) && !old.text.includes(NEW_KEY));

	const executions = await expectExecutions(production.workflow.id, 2);
	const [latest] = await Promise.all(executions.slice(0, 1).map((e) => n8n.api.getExecution(e.id)));
	assert.equal(itemsOf(latest)[0].requestId, `rotation-${sent - 1}`);

	// Not restarted: the process that started first still serves, and it is the only one.
	assert.equal(n8n.instance.processes.length, 1);
	assert.equal(n8n.instance.processes[0].pid, pid);
	process.kill(pid, 0);
	// edna's URL check needs no key either way.
	assert.equal((await send({ url: production.url, method: 'HEAD' })).status, 200);
});

test(`an old key that is the only one sent is refused within ${OLD_KEY_BOUND_MS / 1000} s of the change`, async () => {
	const changedAt = Date.now();
	await n8n.api.updateCredential(n8n.credential.id, { data: { webhookKey: THIRD_KEY } });

	let accepted = 0;
	let refusedAfterMs;
	while (Date.now() - changedAt < OLD_KEY_BOUND_MS * 2) {
		const sentAt = Date.now();
		const answer = await send({ url: production.url, key: NEW_KEY, body: event() });
		if (answer.status === 403) {
			refusedAfterMs = sentAt - changedAt;
			break;
		}
		assert.equal(answer.status, 200, answer.text.slice(0, 200));
		// The server saw it no earlier than it was sent: a request sent after the bound must be refused.
		assert.ok(sentAt - changedAt < OLD_KEY_BOUND_MS, `old key accepted ${sentAt - changedAt} ms after the change`);
		accepted++;
		await sleep(250);
	}
	assert.ok(refusedAfterMs !== undefined, 'the old key was never refused');
	// Once refused, it stays refused; the current key runs.
	assert.equal((await send({ url: production.url, key: NEW_KEY, body: event() })).status, 403);
	assert.equal((await send({ url: production.url, key: THIRD_KEY, body: event() })).status, 200);
	await expectExecutions(production.workflow.id, 2 + accepted + 1);
	console.log(`key rotation: the old key ran ${accepted} more time(s) and was refused from ${refusedAfterMs} ms after the change (bound ${OLD_KEY_BOUND_MS} ms)`);
});

test('requests the node refuses leave a test listener open; the first accepted event closes it', async () => {
	const draft = await publishTriggerWorkflow(n8n, {
		name: 'rotation: listening for a test event',
		parameters: { event: 'messageStatus' },
		publish: false,
	});
	// n8n 1.x runs the workflow it is sent (2.x loads the saved one when none is), so it is sent.
	const listening = await n8n.api.rest('POST', `/workflows/${draft.workflow.id}/run`, {
		workflowData: await n8n.api.getWorkflow(draft.workflow.id),
		triggerToStartFrom: { name: TRIGGER_NAME },
	});
	assert.equal(listening.waitingForWebhook, true);

	const refused = [
		['HEAD (edna’s URL check)', { method: 'HEAD' }, 200],
		['no key', { key: '' }, 401],
		['the first key', { key: OLD_KEY }, 403],
		['the second key', { key: NEW_KEY }, 403],
		['Basic credentials', { key: '', headers: { authorization: `Basic ${Buffer.from(`edna:${THIRD_KEY}`).toString('base64')}` } }, 403],
		['XML', { key: THIRD_KEY, headers: { 'content-type': 'application/xml' }, body: '<a/>' }, 415],
		['an empty body', { key: THIRD_KEY, body: '' }, 400],
		['a JSON number', { key: THIRD_KEY, body: '42' }, 400],
	];
	for (const [name, request, status] of refused) {
		const answer = await send({ url: draft.testUrl, body: event(), ...request });
		assert.equal(answer.status, status, `${name}: ${answer.text.slice(0, 200)}`);
	}

	const accepted = await send({ url: draft.testUrl, key: THIRD_KEY, body: event() });
	assert.equal(accepted.status, 200, accepted.text.slice(0, 200));
	const [execution] = await expectExecutions(draft.workflow.id, 1);
	assert.equal(execution.mode, 'manual');
	assert.equal(itemsOf(await n8n.api.getExecution(execution.id))[0].requestId, `rotation-${sent}`);

	// The listener served its one event and is gone.
	const after = await send({ url: draft.testUrl, key: THIRD_KEY, body: event() });
	assert.equal(after.status, 404);
	console.log(
		`key rotation: ${refused.length} refused requests left the test listener open; 1 accepted event ran (manual), the next got 404`,
	);
});
