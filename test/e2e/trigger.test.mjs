// The trigger inside a real n8n 2.41.1, row by row of docs/trigger.md's "HTTP answers" table, for every edna
// event kind. The package is packed from dist/ (run `npm run build` first; `npm test` does) and
// installed as n8n installs community packages. Requests go over HTTP as edna sends them; every
// execution is read back from n8n's public API, never inferred from an HTTP answer.
//
// One n8n for the whole file, one published workflow per configuration. "No execution" is proved
// without long sleeps: the negative requests go first, then a sentinel event to the same workflow;
// once the sentinel's execution has finished (and a short settle), the workflow must have exactly
// one new execution and it must be the sentinel's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { waitForWebhook } from '../../scripts/lib/n8n/index.mjs';
import { EVENT_KINDS } from '../../sandbox/lib/webhook-shapes.mjs';
import { ednaHeaders, loadFixtures, makeUnique } from '../../scripts/lib/simulator.mjs';
import {
	TRIGGER_NAME,
	eventKeysOf,
	itemsOf,
	nodeLogicOf,
	publishTriggerWorkflow,
	startEdnaN8n,
} from '../../scripts/lib/trigger-workflow.mjs';
import { setUpOnce } from '../support/harness.mjs';

const KEY = 'e2e-webhook-key-5d1f9a7c';
const STARTED = { message: 'Workflow was started' };
const NOT_MATCHED = /no event matched this trigger/;
/** After the awaited executions finished: how long to wait for any that should not exist. */
const SETTLE_MS = 300;
const POLL_MS = 200;
/** Groups of tests (one per kind, one across kinds) running at once; n8n has two cores to share. */
const CONCURRENCY = 3;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// Fixtures and what the node should make of them

const FIXTURES = (await loadFixtures()).filter((f) => f.body !== undefined);
const fixturesOf = (kind) => FIXTURES.filter((f) => f.kind === kind);
const fixture = (kind, variant) =>
	FIXTURES.find((f) => f.kind === kind && f.variant === variant).body;
const eventsOf = (body) => (Array.isArray(body) ? body : [body]);

/** The body a sentinel is made from: any event of the kind that passes the kind's filter below. */
const BASE = {
	messageStatus: 'undelivered-sms',
	incomingMessage: 'image',
	templateStatus: 'array',
	templateCategory: 'legacy',
	linkClick: 'current',
};

let serial = 1000;
/** A distinct edna event of `kind` (fresh ids and timestamps), so its execution can be told apart. */
const freshBody = (kind, body = fixture(kind, BASE[kind])) => makeUnique(kind, body, serial++);

/**
 * The friendly fields docs/trigger.md documents per kind, written from edna's fields independently of the
 * node's code.
 */
const FRIENDLY = {
	messageStatus: (e) => ({
		conversationId: e.paymentData?.conversationId ?? null,
		conversationType: e.paymentData?.conversationType ?? null,
		chargeable: e.paymentData?.chargeable ?? null,
	}),
	incomingMessage: (e) => {
		const c = e.messageContent;
		const u = e.userInfo ?? {};
		return {
			senderId: e.subscriber.identifier,
			senderName: u.userName || [u.firstName, u.lastName].filter(Boolean).join(' ') || null,
			contentType: c.type,
			text: c.text ?? null,
			caption: c.caption ?? null,
			attachmentUrl: c.attachment?.url ?? null,
			attachmentName: c.attachment?.name ?? null,
			buttonPayload: c.payload ?? null,
			selectedItemId: c.items?.[0]?.identifier ?? null,
			selectedItemTitle: c.items?.[0]?.title ?? null,
			latitude: c.location?.latitude ?? null,
			longitude: c.location?.longitude ?? null,
			address: c.location?.address ?? null,
			flowResponse: c.type === 'FLOW' ? JSON.parse(c.text) : null,
		};
	},
	templateStatus: (e) => {
		const t = e.messageMatcher ?? e;
		return {
			// the older {messageMatcher, subjectIds} format reads like the current one
			...t,
			templateId: t.id,
			templateName: t.name,
			text: t.content?.text ?? null,
			subjectIds: e.subjectIds ?? null,
		};
	},
	templateCategory: (e) => ({
		templateId: e.payload.id,
		templateName: e.payload.name,
		channelType: e.payload.channelType,
		category: e.payload.category,
	}),
	linkClick: (e) => ({
		templateId: e.payload.templateId,
		messageId: e.payload.outMessageId,
		requestId: e.payload.requestId ?? null,
		phone: e.payload.phone,
		url: e.payload.url,
		shortLink: e.payload.shortLink,
		subject: e.payload.sender,
		channelType: e.payload.channelType,
	}),
};

/** One filter per kind, and which events it keeps (written from docs/trigger.md's filter table). */
const FILTERS = {
	messageStatus: {
		filters: { statuses: ['UNDELIVERED', 'FAILED'] },
		keeps: (e) => ['UNDELIVERED', 'FAILED'].includes(e.status.toUpperCase()),
	},
	incomingMessage: {
		filters: { contentTypes: ['IMAGE', 'LOCATION'] },
		keeps: (e) => ['IMAGE', 'LOCATION'].includes(e.messageContent.type),
	},
	templateStatus: {
		filters: { templateStatuses: ['REJECTED'] },
		keeps: (e) => (e.messageMatcher ?? e).status === 'REJECTED',
	},
	templateCategory: {
		filters: { templateCategories: ['UTILITY'] },
		keeps: (e) => e.payload.category === 'UTILITY',
	},
	linkClick: {
		filters: { subjects: 'test-channel' },
		keeps: (e) => e.payload.sender === 'test-channel',
		// both fixtures come from test-channel; one from another channel must be dropped
		extra: (body) => ({ ...body, payload: { ...body.payload, sender: 'another-channel' } }),
	},
};

// The node's own key and shaping functions, from the package as installed in n8n (set in setUp):
// comparing with them proves n8n hands the items on unchanged.
let expectedEventKeys;
let nodeDecide;
function nodeItems(kind, body) {
	const decision = nodeDecide(eventsOf(body), {
		event: kind,
		output: 'simplified',
		filters: {},
		strict: false,
	});
	assert.equal(decision.outcome, 'run', `the node's own logic does not run on this ${kind} body`);
	return decision.items;
}

function assertSimplified(kind, body, items) {
	const events = eventsOf(body);
	assert.equal(items.length, events.length, 'one item per edna event');
	const keys = expectedEventKeys(body);
	items.forEach((item, i) => {
		const event = events[i];
		assert.equal(item.eventType, kind);
		assert.ok(item.eventKey.startsWith(`${kind}:`), `eventKey ${item.eventKey}`);
		assert.equal(item.eventKey, keys[i]);
		assert.equal(item.validationIssues, undefined, `a documented variant has no validationIssues`);
		for (const [field, value] of Object.entries(event))
			assert.deepEqual(item[field], value, `edna's field ${field}`);
		const friendly = FRIENDLY[kind](event);
		assert.deepEqual(
			Object.fromEntries(Object.keys(friendly).map((k) => [k, item[k]])),
			friendly,
			'friendly fields',
		);
	});
	assert.deepEqual(items, nodeItems(kind, body));
}

// ---------------------------------------------------------------------------
// n8n, workflows and requests

let n8n; // {instance, api, credential, stop}
/** Per kind: {simplified, raw, filtered, unpublished}, each {workflow, url, testUrl, kind, base}. */
const flows = {};
const special = {};

/**
 * Creates a workflow with the trigger and publishes it. Registration is awaited with a keyless POST
 * (401 once the trigger serves the URL) rather than the shared helper's HEAD, so that a broken HEAD
 * answer fails its own test below instead of the setup.
 */
async function publish(name, parameters, { published = true, sentinelKind } = {}) {
	const flow = await publishTriggerWorkflow(n8n, { name, parameters, publish: false });
	if (published) {
		await n8n.api.publishWorkflow(flow.workflow.id);
		await waitForWebhook(flow.url, { method: 'POST', status: 401 });
	}
	return { ...flow, kind: parameters.event, sentinelKind };
}

/** One HTTP request; `body` is sent as is when a string, else as JSON. POSTs carry edna's headers. */
async function request(url, { method = 'POST', body, key = KEY, headers = {} } = {}) {
	const merged = { ...(method === 'POST' ? ednaHeaders(key) : {}), ...headers };
	for (const [name, value] of Object.entries(merged)) if (value === null) delete merged[name];
	let res;
	try {
		res = await fetch(url, {
			method,
			headers: merged,
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
	} catch (error) {
		throw new Error(`${method} ${url}: ${error.cause?.code ?? error.name} (${error.message})`);
	}
	const text = await res.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, text, json, contentType: res.headers.get('content-type') ?? '' };
}

function assertStarted(answer) {
	assert.equal(answer.status, 200, answer.text);
	assert.match(answer.contentType, /^application\/json/);
	assert.deepEqual(answer.json, STARTED);
}

function assertNotMatched(answer) {
	assert.equal(answer.status, 200, answer.text);
	assert.match(answer.json?.message ?? '', NOT_MATCHED);
}

const isDone = (e) => !['new', 'running', 'waiting'].includes(e.status);
const byId = (a, b) => Number(a.id) - Number(b.id);

/**
 * Runs `send`, then waits until exactly `count` executions of the flow's workflow appeared and
 * finished (no more after a settle), and returns them with their data, oldest first.
 */
async function executionsFrom(flow, count, send) {
	const { api } = n8n;
	const id = flow.workflow.id;
	const before = new Set((await api.listExecutions(id)).map((e) => e.id));
	const result = await send();
	const added = async () => (await api.listExecutions(id)).filter((e) => !before.has(e.id));
	const deadline = Date.now() + 30_000;
	let list = await added();
	while (list.filter(isDone).length < count) {
		if (Date.now() > deadline)
			assert.fail(`${flow.workflow.name}: ${list.length} of ${count} executions after 30 s`);
		await sleep(POLL_MS);
		list = await added();
	}
	await sleep(SETTLE_MS);
	list = await added();
	assert.equal(
		list.length,
		count,
		`${flow.workflow.name}: expected ${count} new execution(s), found ${list.length}`,
	);
	const executions = await Promise.all(list.sort(byId).map((e) => api.getExecution(e.id)));
	for (const execution of executions) {
		assert.equal(execution.status, 'success', `execution ${execution.id} ${execution.status}`);
	}
	return { result, executions };
}

const keysOf = (execution) => itemsOf(execution).map((item) => item.eventKey);

/**
 * Runs `send` (requests that must start nothing on the flow's workflow), then sends a sentinel event
 * that must start one execution: the flow must end up with exactly that one.
 */
async function startsNothing(flow, send) {
	const sentinel = freshBody(flow.sentinelKind ?? flow.kind);
	const { result, executions } = await executionsFrom(flow, 1, async () => {
		const result = await send();
		assertStarted(await request(flow.url, { body: sentinel }));
		return result;
	});
	assert.deepEqual(
		keysOf(executions[0]),
		expectedEventKeys(sentinel),
		"the only new execution is the sentinel's",
	);
	return result;
}

/** Starts n8n and publishes every workflow the tests use. */
async function setUp(own) {
	const t0 = Date.now();
	// n8n answers every request 503 for a while when its SQLite "SELECT 1" health ping takes over 5 s,
	// which happens on a busy 2-core machine; that is no behaviour of the trigger.
	n8n = await own(startEdnaN8n({ key: KEY }));
	const t1 = Date.now();
	[expectedEventKeys, { decide: nodeDecide }] = await Promise.all([
		eventKeysOf(n8n.instance),
		nodeLogicOf(n8n.instance),
	]);
	const jobs = [];
	for (const kind of EVENT_KINDS) {
		flows[kind] = {};
		const add = (variant, name, parameters, options) =>
			jobs.push(
				publish(`${kind} ${name}`, { event: kind, ...parameters }, options).then((flow) => {
					flows[kind][variant] = { ...flow, base: BASE[kind] };
				}),
			);
		add('simplified', 'simplified', {});
		add('raw', 'raw', { output: 'raw' });
		add('filtered', 'filtered', { filters: FILTERS[kind].filters });
		add('unpublished', 'never published', {}, { published: false });
	}
	const addSpecial = (name, parameters, options) =>
		jobs.push(publish(name, parameters, options).then((flow) => (special[name] = flow)));
	addSpecial('any event', { event: 'anyEvent' }, { sentinelKind: 'messageStatus' });
	addSpecial('any event, incoming only', { event: 'anyEvent', anyEventTypes: ['incomingMessage'] });
	addSpecial('listening for a test event', { event: 'messageStatus' }, { published: false });
	addSpecial('published, then unpublished', { event: 'messageStatus' });
	await Promise.all(jobs);
	const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
	console.log(
		`n8n ready in ${s(t1 - t0)}; ${jobs.length} workflows created in ${s(Date.now() - t1)}`,
	);
}

// ---------------------------------------------------------------------------
// Groups run side by side (CONCURRENCY at a time), each on its own workflows, so execution counts
// stay exact; the tests within a group run one after another.

describe('edna Pulse Trigger in a real n8n', { concurrency: CONCURRENCY }, () => {
	setUpOnce(setUp);

	// The behaviour table, for every kind
	for (const kind of EVENT_KINDS) {
		describe(kind, { concurrency: 1 }, () => {
			const flow = () => flows[kind].simplified;

			test('HEAD and GET (edna URL check) answer 200 with an empty body, no key needed, and start nothing', async () => {
				const answers = await startsNothing(flow(), async () => [
					await request(flow().url, { method: 'HEAD' }),
					await request(flow().url, { method: 'GET' }),
					await request(flow().url, {
						method: 'HEAD',
						headers: { authorization: 'Token wrong-key' },
					}),
				]);
				for (const answer of answers) {
					assert.equal(answer.status, 200);
					assert.equal(answer.text, '');
				}
			});

			test('POST without a key: 401 with a JSON message, no execution', async () => {
				const answer = await startsNothing(flow(), () =>
					request(flow().url, { key: '', body: freshBody(kind) }),
				);
				assert.equal(answer.status, 401);
				assert.match(answer.json?.message ?? '', /Missing webhook key/);
			});

			test('POST with a wrong key (any length, any accepted form): 403, no execution', async () => {
				const wrong = [
					{ authorization: 'Token x' },
					{ authorization: `Token ${KEY.replace(/.$/, 'X')}` },
					{ authorization: `Token ${KEY}${'y'.repeat(300)}` },
					{ authorization: `Bearer ${KEY}0` },
					{ authorization: `Basic ${KEY}` },
					{ 'x-api-key': 'not-the-key' },
				];
				const answers = await startsNothing(flow(), async () => {
					const out = [];
					for (const headers of wrong)
						out.push(await request(flow().url, { key: '', headers, body: freshBody(kind) }));
					return out;
				});
				for (const answer of answers) {
					assert.equal(answer.status, 403);
					assert.deepEqual(answer.json, { message: 'Wrong webhook key.' });
					assert.ok(!answer.text.includes(KEY));
				}
			});

			test('each accepted key form starts exactly one execution', async () => {
				const forms = [
					{ authorization: `Token ${KEY}` },
					{ authorization: `token ${KEY}` },
					{ authorization: `TOKEN ${KEY}` },
					{ authorization: `Bearer ${KEY}` },
					{ authorization: KEY },
					{ 'x-api-key': KEY },
				];
				const bodies = forms.map(() => freshBody(kind));
				const { executions } = await executionsFrom(flow(), forms.length, async () => {
					for (const [i, headers] of forms.entries()) {
						assertStarted(await request(flow().url, { key: '', headers, body: bodies[i] }));
					}
				});
				assert.deepEqual(
					executions.map(keysOf).sort(),
					bodies.map((body) => expectedEventKeys(body)).sort(),
				);
			});

			for (const { variant, body } of fixturesOf(kind)) {
				test(`fixture ${variant}: 200 "Workflow was started", one execution per output mode with the events as items`, async () => {
					const [simplified, raw] = await Promise.all([
						executionsFrom(flows[kind].simplified, 1, () =>
							request(flows[kind].simplified.url, { body }),
						),
						executionsFrom(flows[kind].raw, 1, () => request(flows[kind].raw.url, { body })),
					]);
					assertStarted(simplified.result);
					assertStarted(raw.result);
					assert.equal(simplified.executions[0].mode, 'webhook');
					assertSimplified(kind, body, itemsOf(simplified.executions[0]));
					assert.deepEqual(
						itemsOf(raw.executions[0]),
						eventsOf(body),
						'raw items are the events exactly as sent',
					);
				});
			}

			test('an array of events: one execution with one item per event', async () => {
				const events = [1, 2, 3].flatMap(() => eventsOf(freshBody(kind)));
				const { executions } = await executionsFrom(flow(), 1, async () =>
					assertStarted(await request(flow().url, { body: events })),
				);
				assert.equal(itemsOf(executions[0]).length, events.length);
				assertSimplified(kind, events, itemsOf(executions[0]));
			});

			test('events of every other kind: 200, no execution', async () => {
				const others = EVENT_KINDS.filter((k) => k !== kind).map((k) => fixturesOf(k)[0].body);
				const answers = await startsNothing(flow(), async () => {
					const out = [];
					for (const body of others) out.push(await request(flow().url, { body }));
					return out;
				});
				answers.forEach(assertNotMatched);
			});

			test(`filter ${JSON.stringify(FILTERS[kind].filters)}: kept events run, the others are answered 200 and start nothing`, async () => {
				const target = flows[kind].filtered;
				const { keeps, extra } = FILTERS[kind];
				const bodies = fixturesOf(kind).map((f) => f.body);
				if (extra) bodies.push(extra(bodies[0]));
				const kept = bodies
					.map((body) => eventsOf(body).filter(keeps))
					.filter((events) => events.length > 0);
				assert.ok(
					kept.length > 0 && kept.length < bodies.length,
					'the filter case keeps some bodies and drops others',
				);
				const { executions } = await executionsFrom(target, kept.length, async () => {
					for (const body of bodies) {
						const answer = await request(target.url, { body });
						if (eventsOf(body).some(keeps)) assertStarted(answer);
						else assertNotMatched(answer);
					}
				});
				assert.deepEqual(
					executions.map(keysOf).sort(),
					kept.map((events) => events.flatMap((e) => expectedEventKeys(e))).sort(),
				);
			});

			test('bodies that are not a JSON object or an array of objects: 400, no execution', async () => {
				const bad = [
					'42',
					'"hello"',
					'null',
					'true',
					'[]',
					'[1,2]',
					`[${JSON.stringify(freshBody(kind))},3]`,
					'[[{"status":"READ"}]]',
					'',
				];
				const answers = await startsNothing(flow(), async () => {
					const out = [];
					for (const body of bad) out.push(await request(flow().url, { body }));
					return out;
				});
				answers.forEach((answer, i) => {
					assert.equal(answer.status, 400, `body ${JSON.stringify(bad[i])}: ${answer.text}`);
					assert.equal(typeof answer.json?.message, 'string');
				});
			});

			test('a workflow that is not published: its URL answers 404 and nothing runs', async () => {
				const target = flows[kind].unpublished;
				const answers = await startsNothing(flow(), async () => [
					await request(target.url, { method: 'HEAD' }),
					await request(target.url, { body: freshBody(kind) }),
				]);
				assert.deepEqual(
					answers.map((a) => a.status),
					[404, 404],
				);
				assert.deepEqual(await n8n.api.listExecutions(target.workflow.id), []);
			});
		});
	}

	// ---------------------------------------------------------------------------
	// Across kinds

	describe('across kinds', { concurrency: 1 }, () => {
		const mixed = () => [
			...EVENT_KINDS.flatMap((kind) => eventsOf(freshBody(kind))),
			{ hello: 'edna', note: 'matches no known kind' },
		];

		test('one body with every kind: one execution, each item typed, an unknown object kept as "unknown"', async () => {
			const flow = special['any event'];
			const events = mixed();
			const { executions } = await executionsFrom(flow, 1, async () =>
				assertStarted(await request(flow.url, { body: events })),
			);
			const items = itemsOf(executions[0]);
			assert.deepEqual(
				items.map((i) => i.eventType),
				[
					...EVENT_KINDS.flatMap((kind) => eventsOf(fixture(kind, BASE[kind])).map(() => kind)),
					'unknown',
				],
			);
			assert.deepEqual(
				items.map((i) => i.eventKey),
				expectedEventKeys(events),
			);
		});

		test('Event Types to Keep: only the kept kind runs; a body without it starts nothing', async () => {
			const flow = { ...special['any event, incoming only'], kind: 'incomingMessage' };
			const events = mixed();
			const { executions } = await executionsFrom(flow, 1, async () => {
				assertNotMatched(await request(flow.url, { body: freshBody('messageStatus') }));
				assertStarted(await request(flow.url, { body: events }));
			});
			assert.deepEqual(
				itemsOf(executions[0]).map((i) => i.eventType),
				['incomingMessage'],
			);
		});

		test('the test URL: armed by "listen for test event", stays armed through the URL check and rejected or ignored requests, closes after one run', async () => {
			const flow = special['listening for a test event'];
			const workflow = await n8n.api.getWorkflow(flow.workflow.id);
			const armed = await n8n.api.rest('POST', `/workflows/${flow.workflow.id}/run`, {
				workflowData: workflow,
				triggerToStartFrom: { name: TRIGGER_NAME },
			});
			assert.equal(armed.waitingForWebhook, true);
			const body = freshBody('messageStatus');
			const { executions } = await executionsFrom(flow, 1, async () => {
				assert.equal((await request(flow.testUrl, { method: 'HEAD' })).status, 200);
				assert.equal((await request(flow.testUrl, { method: 'GET' })).status, 200);
				assert.equal((await request(flow.testUrl, { key: '', body })).status, 401);
				assert.equal((await request(flow.testUrl, { key: 'wrong', body })).status, 403);
				assertNotMatched(await request(flow.testUrl, { body: fixture('incomingMessage', 'text') }));
				assert.equal((await request(flow.testUrl, { body: '42' })).status, 400);
				assertStarted(await request(flow.testUrl, { body }));
				// n8n closes the test URL after the run has started; 1.x answers that first request
				// before the URL is gone, so the close is awaited (HEAD starts nothing) before a POST.
				await waitForWebhook(flow.testUrl, { status: 404, timeoutMs: 10_000 });
				assert.equal(
					(await request(flow.testUrl, { body: freshBody('messageStatus') })).status,
					404,
				);
			});
			assert.equal(executions[0].mode, 'manual');
			assert.deepEqual(keysOf(executions[0]), expectedEventKeys(body));
			assert.equal(
				(await request(flow.url, { method: 'HEAD' })).status,
				404,
				'the production URL exists only once published',
			);
		});

		test('unpublishing a workflow removes its URL: 404, nothing runs', async () => {
			const flow = special['published, then unpublished'];
			assert.equal((await request(flow.url, { method: 'HEAD' })).status, 200);
			await n8n.api.unpublishWorkflow(flow.workflow.id);
			await waitForWebhook(flow.url, { method: 'POST', status: 404 });
			const answers = await startsNothing(special['any event'], async () => [
				await request(flow.url, { method: 'HEAD' }),
				await request(flow.url, { body: freshBody('messageStatus') }),
			]);
			assert.deepEqual(
				answers.map((a) => a.status),
				[404, 404],
			);
			assert.deepEqual(await n8n.api.listExecutions(flow.workflow.id), []);
		});
	});
});
