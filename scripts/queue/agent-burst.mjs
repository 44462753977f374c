// The AI assistant example (examples/ai-assistant-whatsapp.json) in queue mode: customers write bursts
// of messages, their webhooks spread over two webhook processes, the executions run on the workers,
// and each customer still gets one agent turn and one reply, with edna (the sandbox) as the only
// state. Then some webhooks are delivered again: nothing more is sent and the model is not asked.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { start as startSandbox } from '../../sandbox/index.mjs';
import { createModelCredential } from '../lib/agent-workflow.mjs';
import { REPO_ROOT, waitForWebhook } from '../lib/n8n/index.mjs';
import { startScriptedModel } from '../lib/scripted-model.mjs';
import { send } from '../lib/simulator.mjs';
import { CREDENTIAL_TYPE, TRIGGER_TYPE, itemsOf } from '../lib/trigger-workflow.mjs';
import { countBy, waitForExecutions, workerLog } from './accounting.mjs';
import { startBalancer } from './balancer.mjs';
import { check, loadAverage, say, seconds, sleep, time } from './report.mjs';
import { REDELIVERY_S, REDELIVERY_SCALE } from './traffic.mjs';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'ai-assistant-whatsapp.json');
const AGENT = 'AI Agent';
const CONVERSATION = 'Read the conversation';
const WHATSAPP = 101; // the sandbox's WhatsApp channel (sandbox/seed.json)

// A burst: one message every 0.3 s, so 2 to 4 messages span at most 0.9 s, well inside the
// example's 5-s wait. Customers start 0.6 s apart, so each burst overlaps the next one or two.
const GAP_MS = 300;
const STAGGER_MS = 600;
// edna's time runs this much faster in the sandbox: its re-deliveries of a webhook not answered 200
// within 10 s (which on a busy machine happens) come 4, 128 and 2048 s divided by this, as the
// worker-kill rounds play them. Every attempt that reaches a webhook process must run once.
const SANDBOX_SPEED = REDELIVERY_SCALE;
// Warm-up customers per round, and rounds at most, until both workers have run the AI Agent.
const WARM_UP_CUSTOMERS = 4;
const WARM_UP_ROUNDS = 3;

/** Customer i (from 0): a phone of their own and 2, 3 or 4 messages naming them. */
function customerPlan(i) {
	const texts = [`Hi, this is customer ${i + 1}`, `my order is ${7001 + i}`, 'when will it arrive?', 'thanks in advance'];
	return { index: i, phone: `3579100${String(i + 1).padStart(4, '0')}`, texts: texts.slice(0, 2 + (i % 3)) };
}

/** What the scripted model answers a prompt with: built from the prompt, so each customer's differs. */
const answerTo = (prompt) => `We read: ${prompt.split('\n').join(' / ')}`;

/** The model: asked with the customer's messages, it calls the Reply tool once; told the tool answered, it closes. */
function modelTurn(request) {
	const last = request.messages.at(-1);
	if (last.role === 'tool') return { content: 'Done.' };
	return { toolCalls: [{ name: request.tools?.[0]?.function?.name, arguments: { text: answerTo(String(last.content)) } }] };
}

/** The example as a user imports it: its two credentials replaced by the user's own. */
async function importExample(api, { ednaCredential, modelCredential }) {
	const file = JSON.parse(await readFile(EXAMPLE, 'utf8'));
	const nodes = structuredClone(file.nodes);
	for (const node of nodes) {
		if (node.credentials?.ednaPulseApi) node.credentials.ednaPulseApi = { id: ednaCredential.id, name: ednaCredential.name };
		if (node.credentials?.openAiApi) node.credentials.openAiApi = { id: modelCredential.id, name: modelCredential.name };
	}
	const created = await api.createWorkflow({ name: file.name, nodes, connections: file.connections, settings: file.settings });
	await api.publishWorkflow(created.id);
	return { id: created.id, name: file.name, webhookId: nodes.find((n) => n.type === TRIGGER_TYPE).webhookId };
}

const ranAgent = (execution) => AGENT in (execution.data?.resultData?.runData ?? {});
const idOf = (body) => String((typeof body === 'string' ? JSON.parse(body || '{}') : body)?.id);

/**
 * Waits (at most `timeoutMs`) until edna will send nothing more for the messages `ids`: the last
 * attempt of each was answered 200, or it was the last retry. Returns the IDs still pending.
 */
async function ednaSettled(sandbox, url, ids, timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const last = new Map(sandbox.record.webhooks({ url }).map((d) => [idOf(d.body), d]));
		const pending = ids.filter((id) => {
			const d = last.get(id);
			return !d || (d.status !== 200 && d.attempt <= REDELIVERY_S.length);
		});
		if (pending.length === 0 || Date.now() > deadline) return pending;
		await sleep(500);
	}
}

/** Waits (at most `timeoutMs`) until every request the balancer forwarded has its answer. */
async function answered(forwarded, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	while (forwarded.some((f) => f.status === 0) && Date.now() < deadline) await sleep(500);
}

/**
 * Warm-up customers write one message each, a round at a time, until both workers have run the example
 * through the AI Agent. A worker's first agent run loads n8n's AI nodes: on a busy 2-CPU machine that
 * blocks it for longer than the cluster's 15-s queue lock (it then loses the jobs it holds) and takes
 * the CPU the webhook processes need to answer edna in time. A deployment that has answered customers
 * before did this long ago. The messages go through the balancer in turn, so both webhook processes
 * serve the workflow before the burst too. Returns the warm-up's executions.
 */
async function warmUp({ api, sandbox, example, workers, url, balancer }) {
	const warmed = new Set();
	let executions = [];
	for (let round = 1; round <= WARM_UP_ROUNDS && warmed.size < workers.length; round++) {
		const sent = await Promise.all(
			Array.from({ length: WARM_UP_CUSTOMERS }, (_, k) =>
				sandbox.customer.send({ phone: `3579200${round}${String(k + 1).padStart(3, '0')}`, subjectId: WHATSAPP, text: `warm-up ${round}.${k + 1}` }),
			),
		);
		// Until edna sends nothing more for them (it sends again after a timeout), then until every run is over.
		await ednaSettled(sandbox, url, sent.map((x) => String(x.message.id)));
		await answered(balancer.forwarded);
		const posts = balancer.forwarded.filter((f) => f.method === 'POST').length;
		executions = await waitForExecutions(api, [example], posts, { timeoutMs: 180_000 });
		const logs = workers.map(workerLog);
		for (const e of executions.filter(ranAgent)) logs.forEach((log, i) => log.started.has(e.id) && warmed.add(i));
	}
	if (warmed.size < workers.length) say(`  warm-up: after ${WARM_UP_ROUNDS} rounds only ${warmed.size} of ${workers.length} workers had run the AI Agent`);
	return executions;
}

/**
 * Runs the scenario on `cluster` (see cluster.mjs; it needs two webhook processes): `customers`
 * bursts, then the first or last webhook of every other burst sent again. Returns its rows of the
 * summary.
 */
export async function agentBurst(cluster, { customers: count }) {
	const { api, workers, webhookServers } = cluster;
	if (webhookServers.length < 2) throw new Error('the agent burst needs two webhook processes (startCluster webhookProcesses: 2)');
	const owned = [];
	try {
		const sandbox = await startSandbox({ port: 0, speed: SANDBOX_SPEED });
		owned.push(sandbox);
		const model = await startScriptedModel({ reply: modelTurn });
		owned.push(model);

		// Message j of customer i goes to webhook process (i + j) mod 2, so consecutive messages of every
		// burst land on different processes, and both take first messages. A real balancer's round robin
		// would spread them by chance; here the spreading that would break a per-process memory is
		// certain in every run. Only a message's first delivery is planned; deliveries again take turns.
		const plan = new Map(); // "phone|text" -> index of the webhook process
		const planned = (body) => {
			try {
				const event = JSON.parse(body.toString('utf8'));
				const key = `${event.subscriber?.identifier}|${event.messageContent?.text}`;
				const target = plan.get(key);
				plan.delete(key);
				return target;
			} catch {
				return undefined;
			}
		};
		const balancer = await startBalancer(
			webhookServers.map((w) => w.base),
			{ pick: (_req, body) => planned(body) },
		);
		owned.push(balancer);

		const example = await time('AI assistant example imported and published', async () => {
			const ednaCredential = await api.createCredential({
				name: 'edna Pulse sandbox',
				type: CREDENTIAL_TYPE,
				data: { webhookKey: sandbox.keys.webhook, apiKey: sandbox.keys.master, baseUrl: sandbox.apiUrl },
			});
			const modelCredential = await createModelCredential(api, model.url);
			const imported = await importExample(api, { ednaCredential, modelCredential });
			// Every webhook process must know the URL before edna sends to it.
			for (const server of webhookServers) await waitForWebhook(`${server.base}/webhook/${imported.webhookId}/webhook`);
			return imported;
		});
		const url = `${balancer.url}/webhook/${example.webhookId}/webhook`;
		sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });
		const warm = await time('warm-up: both workers ran the AI Agent', () => warmUp({ api, sandbox, example, workers, url, balancer }));
		// What the burst is judged on starts here.
		const known = new Set(warm.map((e) => e.id));
		const since = sandbox.record.all().at(-1)?.seq ?? 0;
		const modelSince = model.requests.length;
		const forwardedSince = balancer.forwarded.length;

		const people = Array.from({ length: count }, (_, i) => customerPlan(i));
		for (const p of people) p.texts.forEach((text, j) => plan.set(`${p.phone}|${text}`, (p.index + j) % webhookServers.length));
		const messages = people.reduce((n, p) => n + p.texts.length, 0);
		say(`agent burst: ${count} customers write ${messages} messages in bursts of 2-4 (one every ${GAP_MS / 1000} s) through a balancer to ${webhookServers.length} webhook processes`);

		const burstStart = Date.now();
		await Promise.all(
			people.map(async (p) => {
				await sleep(p.index * STAGGER_MS);
				const pending = [];
				for (const [j, text] of p.texts.entries()) {
					if (j > 0) await sleep(GAP_MS);
					// Not awaited: edna stores the message at once and delivers it while the customer types on.
					pending.push(sandbox.customer.send({ phone: p.phone, subjectId: WHATSAPP, text }));
				}
				p.sent = await Promise.all(pending);
			}),
		);
		const burstMs = Date.now() - burstStart;
		const firstAnswers = sandbox.record.webhooks({ url }).filter((d) => d.seq > since);
		say(`  ${messages} messages written in ${seconds(burstMs)}; edna's deliveries answered ${JSON.stringify(countBy(firstAnswers, (d) => d.status || d.error))}`);

		const workflows = [example];
		const drainStart = Date.now();
		const burstIds = people.flatMap((p) => p.sent.map((x) => String(x.message.id)));
		const unsettled = await ednaSettled(sandbox, url, burstIds);
		const forwarded = balancer.forwarded.slice(forwardedSince);
		await answered(forwarded);
		// Every POST that reached a webhook process, edna's re-deliveries included, is one execution.
		const posts = forwarded.filter((f) => f.method === 'POST');
		const executions = (await waitForExecutions(api, workflows, known.size + posts.length, { timeoutMs: 240_000 })).filter((e) => !known.has(e.id));
		const drainMs = Date.now() - drainStart;
		const deliveries = sandbox.record.webhooks({ url }).filter((d) => d.seq > since);
		const postsOf = countBy(posts, (f) => idOf(f.body));
		const lastAnswer = new Map(deliveries.map((d) => [idOf(d.body), d]));

		// Which execution each message became, by the edna message ID in the trigger's item.
		const runsOf = new Map();
		for (const e of executions) {
			for (const item of itemsOf(e)) {
				const key = String(item.id);
				runsOf.set(key, [...(runsOf.get(key) ?? []), e]);
			}
		}
		const sendsOf = () => sandbox.record.requests({ path: 'cascade/schedule' }).filter((r) => r.seq > since);
		const sends = sendsOf();
		const accepted = sends.filter((s) => s.status === 200);
		const asked = model.requests.slice(modelSince);
		const turns = asked.filter((r) => r.messages.at(-1)?.role === 'user');
		const followUps = asked.filter((r) => r.messages.at(-1)?.role === 'tool');
		const logs = workers.map(workerLog);
		const workersOf = (id) => workers.filter((_, i) => logs[i].started.has(id));
		// The webhook process that took each message's first delivery, by edna's message ID.
		const processOf = new Map();
		for (const f of forwarded) {
			const id = String(JSON.parse(f.body || '{}').id);
			if (!processOf.has(id)) processOf.set(id, f.target);
		}

		const rows = people.map((p) => {
			const ids = p.sent.map((s) => String(s.message.id));
			const runs = ids.map((id) => runsOf.get(id) ?? []);
			const agentRuns = runs.flat().filter(ranAgent);
			const replies = accepted.filter((s) => s.body?.subscriberFilter?.address === p.phone);
			const prompt = p.texts.join('\n');
			return {
				p,
				ids,
				runs,
				agentRuns,
				replies,
				prompt,
				promptTurns: turns.filter((r) => r.messages.at(-1).content === prompt).length,
				targets: ids.map((id) => processOf.get(id)),
			};
		});

		const timeouts = deliveries.filter((d) => d.status !== 200);
		const delivered = burstIds.filter((id) => lastAnswer.get(id)?.status === 200).length;
		// Per message: as many successful executions as POSTs of it reached a webhook process.
		const runsMatch = (r) => r.runs.every((x, j) => x.length === (postsOf[r.ids[j]] ?? 0) && x.length > 0 && x.every((e) => e.status === 'success'));
		const exact = rows.reduce((n, r) => n + r.runs.filter((x, j) => x.length === (postsOf[r.ids[j]] ?? 0) && x.length > 0 && x.every((e) => e.status === 'success')).length, 0);
		const missingRuns = rows.reduce((n, r) => n + r.runs.filter((x) => x.length === 0).length, 0);
		const twice = rows.reduce((n, r) => n + r.runs.filter((x) => x.length > 1).length, 0);
		const failedRuns = executions.filter((e) => e.status !== 'success');
		const strangers = executions.filter((e) => !itemsOf(e).some((item) => rows.some((r) => r.ids.includes(String(item.id)))));
		const missing = rows.filter((r) => r.replies.length === 0);
		const duplicates = rows.reduce((n, r) => n + Math.max(0, r.replies.length - 1), 0);
		const wrongText = rows.filter((r) => r.replies.length === 1 && r.replies[0].body?.content?.whatsappContent?.text !== answerTo(r.prompt));
		const agentNotLast = rows.filter((r) => r.agentRuns.length !== 1 || !r.runs.at(-1).includes(r.agentRuns[0]));
		const promptsWrong = rows.filter((r) => r.promptTurns !== 1);
		const notAlternating = rows.filter((r) => r.targets.some((t, j) => t === undefined || (j > 0 && t === r.targets[j - 1])));
		const perProcess = webhookServers.map((_, i) => forwarded.filter((f) => f.target === i && f.status === 200).length);
		const perWorker = workers.map((_, i) => executions.filter((e) => logs[i].started.has(e.id)).length);
		const notOnOneWorker = executions.filter((e) => workersOf(e.id).length !== 1);

		check(unsettled.length === 0, `agent burst: edna still had ${unsettled.length} messages to send again after 180 s`);
		check(deliveries.every((d) => d.status === 200 || d.error === 'timeout'), `agent burst: edna's deliveries answered ${JSON.stringify(countBy(deliveries, (d) => d.status || d.error))} (200, or no answer within edna's 10 s, expected)`);
		check(posts.length === deliveries.length && posts.every((f) => f.status === 200), `agent burst: ${deliveries.length} deliveries, ${posts.length} reached a webhook process, n8n answered ${JSON.stringify(countBy(posts, (f) => f.status))} (every one 200 expected)`);
		check(rows.every(runsMatch) && missingRuns === 0, `agent burst: of ${messages} messages ${exact} ran exactly once per delivery that reached n8n (${posts.length} in all), ${missingRuns} not at all`);
		check(failedRuns.length === 0, `agent burst: ${failedRuns.length} executions not successful (${JSON.stringify(countBy(failedRuns, (e) => e.status))})`);
		check(strangers.length === 0 && executions.length === posts.length, `agent burst: ${executions.length} executions for ${posts.length} deliveries that reached n8n (${strangers.length} match no message)`);
		check(missing.length === 0 && duplicates === 0, `agent burst: ${missing.length} customers got no reply, ${duplicates} replies beyond the first (one each expected)`);
		check(accepted.length === count && sends.length === count, `agent burst: edna got ${sends.length} sends (${accepted.length} accepted) for ${count} customers`);
		check(wrongText.length === 0, `agent burst: ${wrongText.length} customers got another text than the answer to their own messages (e.g. ${wrongText[0]?.p.phone})`);
		check(agentNotLast.length === 0, `agent burst: ${agentNotLast.length} customers without exactly one agent turn, in the run of their last message`);
		check(turns.length === count && followUps.length === count && promptsWrong.length === 0, `agent burst: the model got ${turns.length} prompts and ${followUps.length} tool results for ${count} customers; ${promptsWrong.length} customers' messages not exactly once as one prompt joined by newline in order`);
		check(notAlternating.length === 0, `agent burst: ${notAlternating.length} customers had consecutive messages on the same webhook process (or not forwarded)`);
		check(perProcess.every((n) => n > 0), `agent burst: deliveries answered 200 per webhook process ${perProcess.join(' / ')}: not both served`);
		check(notOnOneWorker.length === 0, `agent burst: ${notOnOneWorker.length} executions not logged by exactly one worker`);
		if (timeouts.length > 0) say(`  ${timeouts.length} of ${deliveries.length} deliveries not answered within edna's 10 s (n8n answered them after p50 ${latency(posts)[0]} ms): edna sent them again (load average ${loadAverage()})`);
		say(`  ${exact}/${messages} messages ran once per delivery; ${count - missing.length}/${count} customers answered once; per webhook process ${perProcess.join(' / ')}; per worker ${perWorker.join(' / ')}`);

		// edna delivers some messages again (a lost answer, a retry): the first and the last of a burst.
		const again = people.flatMap((p) => (p.index % 4 === 0 ? [p.sent.at(-1)] : p.index % 4 === 2 ? [p.sent[0]] : []));
		const modelBefore = model.requests.length;
		const sendsBefore = sends.length;
		for (const e of executions) known.add(e.id);
		const answers = await Promise.all(again.map((s) => send({ url, key: sandbox.keys.webhook, body: JSON.stringify(s.body), timeoutMs: 120_000 })));
		const afterAgain = await waitForExecutions(api, workflows, known.size + again.length, { timeoutMs: 120_000 });
		const newRuns = afterAgain.filter((e) => !known.has(e.id));
		const goneOn = newRuns.filter((e) => e.status !== 'success' || ranAgent(e) || itemsOf(e, CONVERSATION)[0]?.unansweredCount !== 0);
		const sendsAgain = sendsOf().length - sendsBefore;
		const modelAgain = model.requests.length - modelBefore;
		check(answers.every((a) => a.status === 200), `agent burst, delivered again: answers ${JSON.stringify(countBy(answers, (a) => a.status || a.error))}`);
		check(newRuns.length === again.length && goneOn.length === 0, `agent burst, delivered again: ${newRuns.length} executions for ${again.length} webhooks, ${goneOn.length} not stopped by the filter with nothing unanswered`);
		check(sendsAgain === 0 && modelAgain === 0, `agent burst, delivered again: ${sendsAgain} more sends, ${modelAgain} more model requests (none expected)`);
		say(`  ${again.length} webhooks delivered again: ${newRuns.length} executions, ${sendsAgain} sends, ${modelAgain} model requests`);

		const answeredRuns = rows.reduce((n, r) => n + r.agentRuns.length, 0);
		return {
			batch: ['agent burst', deliveries.length, delivered, exact, failedRuns.length, missingRuns, twice, perWorker.join(' / ')],
			agent: [count, messages, executions.length, answeredRuns, accepted.length, duplicates, missing.length, asked.length, perProcess.join(' / '), perWorker.join(' / '), `${again.length} → ${sendsAgain} / ${modelAgain}`],
			traffic: ['agent burst', seconds(burstMs), ((messages * 1000) / burstMs).toFixed(1), ...latency(posts), seconds(drainMs)],
		};
	} finally {
		for (const server of owned.reverse()) await server.stop();
	}
}

/** p50, p99 and max of the webhook processes' answer times (as the balancer saw them), in ms. */
function latency(forwarded) {
	const ms = forwarded.map((f) => f.ms).sort((a, b) => a - b);
	const at = (q) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
	return [at(0.5), at(0.99), at(1)];
}
