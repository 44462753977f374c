// The trigger's Options → Register This URL in Edna Pulse inside a real n8n 2.41.1 (the packed
// package installed as a community package), against the edna sandbox as its edna. What it proves:
// when n8n runs the trigger's `create` hook — on publish through the public API, and on
// re-activation at start-up — the Production URL already answers HEAD with 200, so edna's HEAD
// check during callback/set (docs/edna-api.md §5.1) passes; refusals fail the publication with their
// reason; a test listener and unpublishing leave edna's settings alone.
//
// Measured on n8n 2.41.1: by default (N8N_USE_WORKFLOW_PUBLICATION_SERVICE=true) publishing goes
// through n8n's publication outbox. POST /publish answers 200 at once and the triggers are set up
// just after, so a failing `create` shows as publication status "failed" (and in the editor as
// "failed to activate"), not as an error of the publish call. Webhook registrations persist in
// n8n's database, so a restart does not run `create` again. With the service off (n8n's previous
// path) the publish call itself fails, and every start-up re-activates and runs `create`.
//
// Measured on n8n 1.123.81, which has neither the publication service nor its status route: it
// behaves as 2.41.1 with the service off. POST /activate sets the triggers up before it answers, so a
// refusal is that call's 400 with the node's message (once: no retries) and the workflow stays
// inactive; every start-up re-activates the active workflows and runs `create` again, so a restart
// calls callback/set once more and puts the Production URL back over whatever edna had meanwhile.
// Its POST /rest/workflows/:id/run runs the workflow it is sent, so the test listener sends it.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	n8nMajor,
	selectedN8nVersion,
	start,
	waitForWebhook,
} from '../../scripts/lib/n8n/index.mjs';
import {
	TRIGGER_NAME,
	itemsOf,
	publishTriggerWorkflow,
	startEdnaN8n,
} from '../../scripts/lib/trigger-workflow.mjs';
import { lastSeq as lastSeqOf, requestsTo, setUpSandboxSuite } from '../support/sandbox-suite.mjs';

const CUSTOMER = '35790000300';
const onN8n1 = n8nMajor(selectedN8nVersion()) === 1;

let sandbox;
let n8n;

setUpSandboxSuite({ baseUrl: (sb) => sb.apiUrl, then: async (suite) => ({ sandbox, n8n } = suite) });

const lastSeq = () => lastSeqOf(sandbox);
/** callback/set requests the sandbox received after `since`. */
const callbackSets = (since) => requestsTo(sandbox, 'callback/set', since);
const registered = (field, subjectId = null) =>
	sandbox.webhooks.list().find((w) => w.field === field && w.subjectId === subjectId)?.url;

const REGISTER = { registerUrl: true };
const OUTBOX_OFF = { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' };

/** Waits for the callback/set the sandbox received after `since` that carries `url`. */
const callbackSetWith = (url, since) =>
	sandbox.record.waitForRequest(
		(e) => e.seq > since && e.path === 'callback/set' && Object.values(e.body ?? {}).includes(url),
		{ timeoutMs: 30_000 },
	);

/** n8n's publication status of a workflow once it has settled (REST, as the editor reads it). */
async function settledPublication(workflowId) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const status = await n8n.api.rest('GET', `/workflows/${workflowId}/publication-status`);
		if (status.status !== 'in_progress') return status;
		if (Date.now() > deadline) assert.fail(`publication of ${workflowId} still in progress`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Whether n8n has set up a workflow's triggers after a successful publish: 2.x's publication
 * status "published"; 1.x (no such status) answered /activate only after that, so `active`. */
async function assertPublished(workflowId) {
	if (onN8n1) assert.equal((await n8n.api.getWorkflow(workflowId)).active, true);
	else assert.equal((await settledPublication(workflowId)).status, 'published');
}

/**
 * Publishes a workflow whose trigger's `create` is refused and returns n8n's error message for it:
 * on 2.x the publish call answers 200 and the publication status turns "failed" (after n8n's
 * retries); on 1.x the /activate call itself answers 400 and the workflow stays inactive.
 */
async function refusedPublication(workflowId) {
	if (onN8n1) {
		const error = await n8n.api.publishWorkflow(workflowId).then(
			() => assert.fail('the activation should have failed'),
			(e) => e,
		);
		assert.equal(error.status, 400, error.message);
		assert.equal((await n8n.api.getWorkflow(workflowId)).active, false, 'left inactive');
		return error.body.message;
	}
	await n8n.api.publishWorkflow(workflowId); // 200: n8n sets triggers up after answering
	const publication = await settledPublication(workflowId);
	assert.equal(publication.status, 'failed', JSON.stringify(publication));
	return publication.triggers[0].errorMessage;
}

/** Restarts n8n's main process, with `env` for the new process only. */
async function restart(env = {}) {
	const [main] = n8n.instance.processes;
	await main.stop();
	await start(n8n.instance, { env });
}

/** A Message Received trigger with `options`, created (not published) with `credential`. */
const draft = (name, options, credential = n8n.credential) =>
	publishTriggerWorkflow(
		{ ...n8n, credential },
		{ name, parameters: { event: 'incomingMessage', options }, publish: false },
	);

describe('the trigger registers its own URL in edna (sandbox)', { concurrency: 1 }, () => {
	let incoming; // published in the first test, used until the last
	let noApiKey;

	before(async () => {
		noApiKey = await n8n.api.createCredential({
			name: 'edna webhook key only',
			type: 'ednaPulseApi',
			data: { webhookKey: sandbox.keys.webhook, baseUrl: sandbox.apiUrl },
		});
	});

	test('publish with the option: one callback/set with the Production URL for inMessageCallbackUrl (HEAD check passed), and a customer message reaches the workflow', async () => {
		const since = lastSeq();
		incoming = await publishTriggerWorkflow(n8n, {
			name: 'register: message received',
			parameters: { event: 'incomingMessage', options: REGISTER },
		});
		const set = await callbackSetWith(incoming.url, since);
		assert.deepEqual(set.body, { inMessageCallbackUrl: incoming.url });
		assert.equal(set.status, 200, JSON.stringify(set.answer));
		assert.deepEqual(set.answer, { code: 'ok' });
		await assertPublished(incoming.workflow.id);
		assert.equal(callbackSets(since).length, 1);
		assert.equal(registered('inMessageCallbackUrl'), incoming.url);

		const sent = await sandbox.customer.send({
			phone: CUSTOMER,
			subjectId: 101,
			text: 'hello from the sandbox',
		});
		assert.equal(sent.webhook.status, 200);
		assert.equal(sandbox.record.webhooks().at(-1).url, incoming.url);
		const [execution] = await n8n.api.waitForExecutions(incoming.workflow.id, 1);
		assert.equal(execution.status, 'success');
		const [item] = itemsOf(execution, TRIGGER_NAME);
		assert.equal(item.eventType, 'incomingMessage');
		assert.equal(item.text, 'hello from the sandbox');
	});

	test('with a channel: registered for that subjectId only', async () => {
		const since = lastSeq();
		const flow = await publishTriggerWorkflow(n8n, {
			name: 'register: statuses of channel 102',
			parameters: {
				event: 'messageStatus',
				options: { ...REGISTER, registerChannel: { __rl: true, mode: 'list', value: '102' } },
			},
		});
		const set = await callbackSetWith(flow.url, since);
		assert.deepEqual(
			[set.body, set.status],
			[{ statusCallbackUrl: flow.url, subjectId: 102 }, 200],
		);
		assert.equal(registered('statusCallbackUrl', 102), flow.url);
		assert.equal(registered('statusCallbackUrl'), undefined, 'not for all channels');
		await n8n.api.unpublishWorkflow(flow.workflow.id);
	});

	test('"listen for test event" registers nothing: its URL is the test one', async () => {
		const since = lastSeq();
		const listening = await draft('register: listening', REGISTER);
		// n8n 1.x runs the workflow it is sent (2.x loads the saved one when none is), so it is sent.
		const armed = await n8n.api.rest('POST', `/workflows/${listening.workflow.id}/run`, {
			workflowData: await n8n.api.getWorkflow(listening.workflow.id),
			triggerToStartFrom: { name: TRIGGER_NAME },
		});
		assert.equal(armed.waitingForWebhook, true);
		await waitForWebhook(listening.testUrl);
		assert.deepEqual(callbackSets(since), []);
	});

	test('option on, credential without an API key: the publication fails naming the API key; edna not called', async () => {
		const since = lastSeq();
		const flow = await draft('register: no API key', REGISTER, noApiKey);
		assert.match(
			await refusedPublication(flow.workflow.id),
			/Register This URL in Edna Pulse needs an API key, and the Edna Pulse API credential has none/,
		);
		assert.equal((await fetch(flow.url, { method: 'HEAD' })).status, 404, 'its URL is not served');
		assert.deepEqual(callbackSets(since), []);
		await n8n.api.unpublishWorkflow(flow.workflow.id);
	});

	test('edna refuses (a channel it does not know): the publication fails with error-subject-unknown and its hint', async (t) => {
		const since = lastSeq();
		const flow = await draft('register: unknown channel', {
			...REGISTER,
			registerChannel: { __rl: true, mode: 'id', value: '999' },
		});
		const message = await refusedPublication(flow.workflow.id);
		const set = await callbackSetWith(flow.url, since);
		assert.deepEqual(
			[set.body, set.status, set.answer],
			[{ inMessageCallbackUrl: flow.url, subjectId: 999 }, 400, { code: 'error-subject-unknown' }],
		);
		assert.match(
			message,
			onN8n1
				? // n8n 1.x answers with the error's message or its description, which both name the code
					/error-subject-unknown\. edna knows no channel with this ID/
				: /did not register this trigger's URL: error-subject-unknown\. edna knows no channel with this ID/,
		);
		assert.equal((await fetch(flow.url, { method: 'HEAD' })).status, 404, 'its URL is not served');
		assert.equal(
			registered('inMessageCallbackUrl'),
			incoming.url,
			'the earlier registration stands',
		);
		// n8n's publication outbox retries a failed activation (measured: 5 attempts in about 15 s)
		// before it reports "failed": the same request each time, refused each time. n8n 1.x tries once.
		const attempts = callbackSets(since);
		if (onN8n1) assert.equal(attempts.length, 1);
		else assert.ok(attempts.length >= 1);
		for (const a of attempts) assert.deepEqual([a.body, a.status], [set.body, 400]);
		t.diagnostic(`callback/set attempts before n8n reported the failure: ${attempts.length}`);
		await n8n.api.unpublishWorkflow(flow.workflow.id);
	});

	// n8n 1.x keeps no webhook registrations across a restart: its start-up re-activation runs
	// `create`, and with it callback/set, for every active workflow with the option (measured).
	const restartTitle = onN8n1
		? 'restart on n8n 1.x: start-up re-activation runs create again, one callback/set that puts the URL back over what edna had meanwhile; served'
		: 'restart (default settings): the URL is still registered and served; n8n keeps its webhooks, so create does not run again';
	test(restartTitle, async () => {
		if (onN8n1) {
			sandbox.webhooks.register({
				field: 'inMessageCallbackUrl',
				url: 'http://127.0.0.1:9/set-by-hand',
			});
		}
		const since = lastSeq();
		await restart();
		if (onN8n1) {
			const set = await callbackSetWith(incoming.url, since);
			assert.deepEqual([set.body, set.status], [{ inMessageCallbackUrl: incoming.url }, 200]);
		}
		await waitForWebhook(incoming.url);
		const sent = await sandbox.customer.send({
			phone: CUSTOMER,
			subjectId: 101,
			text: 'after the restart',
		});
		assert.equal(sent.webhook.status, 200);
		await n8n.api.waitForExecutions(incoming.workflow.id, 2);
		if (onN8n1) {
			assert.equal(
				callbackSets(since).length,
				1,
				'only the published trigger with the option, once',
			);
		} else {
			await new Promise((resolve) => setTimeout(resolve, 11_000)); // one reconciliation round (10 s)
			assert.deepEqual(callbackSets(since), []);
		}
		assert.equal(registered('inMessageCallbackUrl'), incoming.url);
	});

	// n8n 1.x has no publication service (the variable means nothing to it): as its default restart.
	test('restart with the publication service off: start-up re-activation runs create, and the URL answers HEAD in time', async () => {
		sandbox.webhooks.register({
			field: 'inMessageCallbackUrl',
			url: 'http://127.0.0.1:9/elsewhere',
		});
		const since = lastSeq();
		await restart(OUTBOX_OFF);
		const set = await callbackSetWith(incoming.url, since);
		assert.deepEqual([set.body, set.status], [{ inMessageCallbackUrl: incoming.url }, 200]);
		assert.equal(callbackSets(since).length, 1, 'only the published trigger with the option, once');
		assert.equal(registered('inMessageCallbackUrl'), incoming.url);
	});

	// On n8n 1.x a refusal always fails the /activate call (see the refusals above).
	test('with the publication service off, a refusal fails the publish call itself', async () => {
		const flow = await draft('register: no API key, direct publish', REGISTER, noApiKey);
		const error = await n8n.api.publishWorkflow(flow.workflow.id).then(
			() => assert.fail('the publish should have failed'),
			(e) => e,
		);
		assert.equal(error.status, 400, error.message);
		assert.match(
			error.body.message,
			/needs an API key, and the Edna Pulse API credential has none/,
		);
	});

	test("unpublishing leaves the sandbox's registration as it was", async () => {
		const since = lastSeq();
		await n8n.api.unpublishWorkflow(incoming.workflow.id);
		await waitForWebhook(incoming.url, { status: 404 });
		assert.deepEqual(callbackSets(since), []);
		assert.equal(registered('inMessageCallbackUrl'), incoming.url);
	});
});
