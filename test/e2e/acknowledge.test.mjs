// Options → Acknowledge Edna Pulse in a real n8n 2.41.1 (one process): with "after the workflow", edna
// gets 200 only once the run has succeeded and a non-200 when a later node fails (so edna sends the
// event again); the URL check, refusals and filtered events answer as always; the default, and every
// node of version 1 or 1.1, answer at once as before. Needs `npm run build` first (npm test does it).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';

import { loadFixtures, makeUnique, send } from '../../scripts/lib/simulator.mjs';
import { publishTriggerWorkflow, startEdnaN8n } from '../../scripts/lib/trigger-workflow.mjs';
import { setUpOnce } from '../support/harness.mjs';

const KEY = 'ack-e2e-key-7e3b1c';
const STARTED = '{"message":"Workflow was started"}';
const AFTER = { acknowledge: 'afterWorkflow' };
const WAIT_S = 1;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const failing = () => [{ name: 'Fail', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, parameters: { errorMessage: 'downstream failed' } }];
const slow = () => [{ name: `Wait ${WAIT_S} s`, type: 'n8n-nodes-base.wait', typeVersion: 1.1, webhookId: randomUUID(), parameters: { resume: 'timeInterval', amount: WAIT_S, unit: 'seconds' } }];

const status = (await loadFixtures()).find((f) => f.kind === 'messageStatus' && f.body !== undefined).body;
let serial = 0;
const event = (overrides = {}) => JSON.stringify({ ...makeUnique('messageStatus', status, ++serial), ...overrides });

let n8n;
const flows = {};

/** The workflow's finished executions once `count` exist (and, after a settle, no more). */
async function executions(flow, count) {
	const deadline = Date.now() + 30_000;
	const done = async () => (await n8n.api.listExecutions(flow.workflow.id)).filter((e) => !['new', 'running', 'waiting'].includes(e.status));
	while ((await done()).length < count && Date.now() < deadline) await sleep(150);
	await sleep(300);
	const list = await done();
	assert.equal(list.length, count, `executions of "${flow.workflow.name}"`);
	return list;
}

setUpOnce(async (own) => {
	n8n = await own(startEdnaN8n({ key: KEY }));
	const publish = (name, options, nodes, typeVersion = 1.2, parameters = {}) =>
		publishTriggerWorkflow(n8n, { name, parameters: { event: 'messageStatus', ...parameters, options }, nodes, typeVersion });
	flows.ok = await publish('after the workflow: succeeds', AFTER, slow());
	flows.fails = await publish('after the workflow: later node fails', AFTER, failing());
	flows.filtered = await publish('after the workflow: filtered', AFTER, failing(), 1.2, { filters: { statuses: ['READ'] } });
	flows.default = await publish('1.2 default, later node fails', {}, failing());
	flows.v11 = await publish('1.1 with the option in its JSON, later node fails', AFTER, failing(), 1.1);
	flows.v1 = await publish('1 with the option in its JSON, later node fails', AFTER, failing(), 1);
});

describe('after the workflow', () => {
	test('a successful run: 200 with an empty body, sent only once the run has finished', async () => {
		const answer = await send({ url: flows.ok.url, key: KEY, body: event() });
		assert.equal(answer.status, 200);
		assert.equal(answer.text, '');
		assert.ok(answer.ms >= WAIT_S * 1000, `answered after ${Math.round(answer.ms)} ms, before the ${WAIT_S} s step ended`);
		const [run] = await executions(flows.ok, 1);
		assert.equal(run.status, 'success');
	});

	test('a later node fails: 500, so edna sends the event again; the run is recorded as failed', async () => {
		const answer = await send({ url: flows.fails.url, key: KEY, body: event() });
		assert.equal(answer.status, 500);
		assert.match(answer.text, /Error in workflow/);
		const [run] = await executions(flows.fails, 1);
		assert.equal(run.status, 'error');
	});

	test("edna's URL check still answers 200 at once, with no run", async () => {
		for (const method of ['HEAD', 'GET']) assert.equal((await send({ url: flows.fails.url, method })).status, 200, method);
	});

	test('refused and filtered requests answer as in the default mode, with no run', async () => {
		assert.equal((await send({ url: flows.filtered.url, key: 'wrong', body: event() })).status, 403);
		assert.equal((await send({ url: flows.filtered.url, key: '', body: event() })).status, 401);
		const skipped = await send({ url: flows.filtered.url, key: KEY, body: event({ status: 'DELIVERED' }) });
		assert.equal(skipped.status, 200);
		assert.match(skipped.text, /no event matched this trigger/);
		// The one event the filter keeps runs, and fails: only that one is recorded.
		assert.equal((await send({ url: flows.filtered.url, key: KEY, body: event({ status: 'READ' }) })).status, 500);
		await executions(flows.filtered, 1);
	});
});

describe('when received (the default) and older versions: as before', () => {
	for (const [label, key] of [
		['1.2 without the option', 'default'],
		['1.1 holding the option (it cannot be set there)', 'v11'],
		['1 holding the option', 'v1'],
	]) {
		test(`${label}: 200 "Workflow was started" although a later node fails`, async () => {
			const answer = await send({ url: flows[key].url, key: KEY, body: event() });
			assert.equal(answer.status, 200);
			assert.equal(answer.text, STARTED);
			const [run] = await executions(flows[key], 1);
			assert.equal(run.status, 'error');
		});
	}
});
