// What the package adds to one AI-agent turn, in a real n8n, with the edna sandbox as edna and a
// scripted OpenAI-compatible model that answers at once (scripts/lib/scripted-model.mjs).
//
// Two published workflows, both made from examples/ai-assistant-whatsapp.json as a user imports it:
//   example     the example without its Wait: edna Pulse Trigger → Conversation → Get → Filter →
//               AI Agent (prompt: the unanswered messages, the transcript in its system message),
//               OpenAI Chat Model, and the edna Pulse tool Message → Reply;
//   agentAlone  the edna Pulse Trigger → the same AI Agent reading the trigger's chatInput (n8n's
//               default prompt), the same model and the same Reply tool: no conversation lookup.
// A turn is one customer message (a new customer each time) sent by the sandbox as edna's webhook,
// until the sandbox has accepted the reply and n8n has finished the execution. Measured per turn:
// webhook → reply accepted by edna (wall clock, in this process, which is also the sandbox), the
// execution's duration and each node's executionTime from its runData, and the edna calls the
// sandbox recorded. Rounds alternate which workflow goes first; ratios are taken within a round.
// Used by bench/n8n.mjs (npm run bench:n8n -- --only agent); see BENCHMARKS.md.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { start as startSandbox } from '../sandbox/index.mjs';
import { createModelCredential } from '../scripts/lib/agent-workflow.mjs';
import { REPO_ROOT, waitForWebhook } from '../scripts/lib/n8n/index.mjs';
import { startScriptedModel } from '../scripts/lib/scripted-model.mjs';
import { fixed, median, table } from './lib/stats.mjs';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'ai-assistant-whatsapp.json');
const TRIGGER = 'edna Pulse Trigger';
const WAIT = 'Wait for more messages';
const CONVERSATION = 'Read the conversation';
const FILTER = 'Newest message, not answered yet';
const AGENT = 'AI Agent';
const MODEL = 'OpenAI Chat Model';
const TOOL = 'Reply to the customer';
/** The package's own nodes in a turn of the example; the agent alone has the trigger and the tool. */
const PACKAGE_NODES = [TRIGGER, CONVERSATION, TOOL];
const NODES = [TRIGGER, CONVERSATION, FILTER, AGENT, MODEL, TOOL];
const ANSWER = 'Thank you! Your order ships today.';

/** The example without its Wait (trigger straight to the conversation), or the agent alone. */
function workflows(file, credentials) {
	const nodes = structuredClone(file.nodes).filter((n) => n.type !== 'n8n-nodes-base.stickyNote' && n.name !== WAIT);
	for (const node of nodes) {
		if (node.credentials?.ednaPulseApi) node.credentials.ednaPulseApi = credentials.edna;
		if (node.credentials?.openAiApi) node.credentials.openAiApi = credentials.model;
	}
	const connections = structuredClone(file.connections);
	connections[TRIGGER] = { main: [[{ node: CONVERSATION, type: 'main', index: 0 }]] };
	delete connections[WAIT];
	const example = { nodes, connections, settings: file.settings };

	const alone = structuredClone(nodes).filter((n) => n.name !== CONVERSATION && n.name !== FILTER);
	// Its own webhook: n8n refuses two published workflows on one path.
	alone.find((n) => n.name === TRIGGER).webhookId = randomUUID();
	const agent = alone.find((n) => n.name === AGENT);
	// n8n's default prompt: the input item's chatInput; the system message without the transcript.
	agent.parameters = {
		options: { systemMessage: 'You are the assistant of our shop on WhatsApp. Send your answer with the "Reply to the customer" tool.' },
	};
	const aloneConnections = {
		[TRIGGER]: { main: [[{ node: AGENT, type: 'main', index: 0 }]] },
		[MODEL]: connections[MODEL],
		[TOOL]: connections[TOOL],
	};
	return { example, agentAlone: { nodes: alone, connections: aloneConnections, settings: file.settings } };
}

/** The model calls the reply tool once, then, told it went out, ends the turn. */
function answerAtOnce(request) {
	if (request.messages.at(-1)?.role === 'tool') return { content: 'Done.' };
	return { toolCalls: [{ name: request.tools[0].function.name, arguments: { text: ANSWER } }] };
}

/** Sum of a node's executionTime over its runs in one execution (ms); 0 when it did not run. */
const nodeMs = (execution, name) =>
	(execution.data?.resultData?.runData?.[name] ?? []).reduce((sum, run) => sum + (run.executionTime ?? 0), 0);

const executionMs = (execution) => new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime();

/**
 * Runs `rounds` rounds of `turns` turns per workflow and returns per-turn figures, medians per
 * workflow and the ratios of each round.
 */
export async function benchAgentTurn({ instance, api, turns = 10, rounds = 5, log = () => {} }) {
	const sandbox = await startSandbox({ port: 0, speed: 100 });
	const model = await startScriptedModel({ reply: answerAtOnce });
	try {
		const edna = await api.createCredential({
			name: 'bench edna sandbox (agent)',
			type: 'ednaPulseApi',
			data: { apiKey: sandbox.keys.master, baseUrl: sandbox.apiUrl, webhookKey: sandbox.keys.webhook },
		});
		const openAi = await createModelCredential(api, model.url);
		const file = JSON.parse(await readFile(EXAMPLE, 'utf8'));
		const built = workflows(file, {
			edna: { id: edna.id, name: edna.name },
			model: { id: openAi.id, name: openAi.name },
		});
		const flows = {};
		for (const [way, definition] of Object.entries(built)) {
			const created = await api.createWorkflow({ name: `bench: agent turn, ${way}`, ...definition });
			await api.publishWorkflow(created.id);
			const trigger = definition.nodes.find((n) => n.name === TRIGGER);
			const url = instance.webhookUrl(trigger.webhookId, 'webhook');
			await waitForWebhook(url, { timeoutMs: 60_000 });
			flows[way] = { id: created.id, url, executions: 0 };
		}

		let customer = 0;
		const turn = async (way) => {
			const flow = flows[way];
			sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url: flow.url });
			const phone = String(35791000000 + ++customer);
			const since = sandbox.record.all().at(-1)?.seq ?? 0;
			const replied = sandbox.record.waitFor(
				(e) => e.seq > since && e.type === 'request' && e.path === 'cascade/schedule' && e.status === 200 && e.body?.subscriberFilter?.address === phone,
				{ timeoutMs: 120_000 },
			);
			const t0 = performance.now();
			const sentAt = Date.now();
			const { webhook } = await sandbox.customer.send({ phone, subjectId: 101, text: `Where is my order ${customer}?` });
			if (webhook?.status !== 200) throw new Error(`${way}: the trigger answered ${webhook?.status}`);
			await replied;
			const replyMs = performance.now() - t0;
			flow.executions++;
			const [execution] = await api.waitForExecutions(flow.id, flow.executions, { timeoutMs: 120_000 });
			if (execution.status !== 'success') throw new Error(`${way}: execution ${execution.id} ${execution.status}`);
			const calls = sandbox.record.all(since).filter((e) => e.type === 'request');
			const byPath = {};
			for (const c of calls) byPath[c.path] = (byPath[c.path] ?? 0) + 1;
			const nodes = Object.fromEntries(NODES.map((name) => [name, nodeMs(execution, name)]));
			const packageMs = PACKAGE_NODES.reduce((sum, name) => sum + nodes[name], 0);
			return {
				way,
				replyMs,
				// webhook sent → execution started: the trigger's webhook phase and n8n's start of the run
				startMs: new Date(execution.startedAt).getTime() - sentAt,
				executionMs: executionMs(execution),
				nodes,
				packageMs,
				ednaCalls: calls.length,
				ednaCallsByPath: byPath,
				modelRequests: 2,
			};
		};

		log('agent turn: warming up (2 turns each)');
		for (const way of Object.keys(flows)) for (let i = 0; i < 2; i++) await turn(way);
		const runs = [];
		for (let round = 0; round < rounds; round++) {
			const order = round % 2 === 0 ? ['example', 'agentAlone'] : ['agentAlone', 'example'];
			for (const way of order) {
				for (let i = 0; i < turns; i++) runs.push({ round, ...(await turn(way)) });
				const mine = runs.filter((r) => r.round === round && r.way === way);
				log(`agent turn round ${round + 1}/${rounds} ${way}: webhook→reply ${median(mine.map((r) => r.replyMs)).toFixed(0)} ms, execution ${median(mine.map((r) => r.executionMs)).toFixed(0)} ms, ${median(mine.map((r) => r.ednaCalls))} edna calls`);
			}
		}
		return summarise(runs, rounds);
	} finally {
		await model.stop();
		await sandbox.stop();
	}
}

function summarise(runs, rounds) {
	const of = (way, round) => runs.filter((r) => r.way === way && (round === undefined || r.round === round));
	const med = (list, pick) => median(list.map(pick));
	const summary = {};
	for (const way of ['example', 'agentAlone']) {
		const mine = of(way);
		summary[way] = {
			turns: mine.length,
			replyMs: med(mine, (r) => r.replyMs),
			replyP90Ms: [...mine.map((r) => r.replyMs)].sort((a, b) => a - b)[Math.floor(mine.length * 0.9)],
			startMs: med(mine, (r) => r.startMs),
			executionMs: med(mine, (r) => r.executionMs),
			packageMs: med(mine, (r) => r.packageMs),
			nodes: Object.fromEntries(NODES.map((name) => [name, med(mine, (r) => r.nodes[name])])),
			ednaCalls: med(mine, (r) => r.ednaCalls),
			ednaCallsByPath: Object.fromEntries(
				[...new Set(mine.flatMap((r) => Object.keys(r.ednaCallsByPath)))].map((p) => [p, med(mine, (r) => r.ednaCallsByPath[p] ?? 0)]),
			),
		};
	}
	// Within each round: medians of that round's turns, then one ratio per round.
	const perRound = { packageShare: [], packageShareAlone: [], lookupOverAlone: [], lookupOverAloneExecution: [], conversationShare: [] };
	for (let round = 0; round < rounds; round++) {
		const ex = of('example', round);
		const alone = of('agentAlone', round);
		if (ex.length === 0 || alone.length === 0) continue;
		perRound.packageShare.push(med(ex, (r) => r.packageMs / r.executionMs));
		perRound.packageShareAlone.push(med(alone, (r) => r.packageMs / r.executionMs));
		perRound.conversationShare.push(med(ex, (r) => r.nodes[CONVERSATION] / r.executionMs));
		perRound.lookupOverAlone.push(med(ex, (r) => r.replyMs) / med(alone, (r) => r.replyMs));
		perRound.lookupOverAloneExecution.push(med(ex, (r) => r.executionMs) / med(alone, (r) => r.executionMs));
	}
	const ratios = Object.fromEntries(Object.entries(perRound).map(([k, v]) => [k, { median: median(v), perRound: v }]));
	return { rounds, runs, summary, ratios, nodes: { trigger: TRIGGER, conversation: CONVERSATION, filter: FILTER, agent: AGENT, model: MODEL, tool: TOOL } };
}

/** One AI-agent turn: the example (with the conversation lookup) against the agent alone. */
export function agentReport(agent) {
	const { summary: s, ratios: r, nodes: n, rounds } = agent;
	const ms = (v) => fixed(v, 1);
	const calls = (way) =>
		Object.entries(s[way].ednaCallsByPath)
			.map(([p, c]) => `${p} ${c}`)
			.join(', ');
	const ratio = (k) => `${fixed(r[k].median, 2)} (rounds ${r[k].perRound.map((v) => fixed(v, 2)).join(' ')})`;
	return `\n\nOne AI-agent turn at n8n defaults, scripted model answering at once, median of ${s.example.turns} turns per workflow over ${rounds} interleaved rounds (loadavg ${agent.loadavgAtStart.join(' ')} → ${agent.loadavgAtEnd.join(' ')}):
${table([
	['per turn, median', 'example (Conversation → Get)', 'agent alone (chatInput)'],
	['webhook → reply accepted by edna, ms', ms(s.example.replyMs), ms(s.agentAlone.replyMs)],
	['  p90, ms', ms(s.example.replyP90Ms), ms(s.agentAlone.replyP90Ms)],
	['webhook sent → execution started, ms', ms(s.example.startMs), ms(s.agentAlone.startMs)],
	['execution (startedAt → stoppedAt), ms', ms(s.example.executionMs), ms(s.agentAlone.executionMs)],
	[`  ${n.trigger}, ms`, ms(s.example.nodes[n.trigger]), ms(s.agentAlone.nodes[n.trigger])],
	[`  ${n.conversation} (Conversation → Get), ms`, ms(s.example.nodes[n.conversation]), '-'],
	[`  ${n.filter} (Filter), ms`, ms(s.example.nodes[n.filter]), '-'],
	[`  ${n.agent}, ms`, ms(s.example.nodes[n.agent]), ms(s.agentAlone.nodes[n.agent])],
	[`  ${n.model}, ms`, ms(s.example.nodes[n.model]), ms(s.agentAlone.nodes[n.model])],
	[`  ${n.tool} (Reply), ms`, ms(s.example.nodes[n.tool]), ms(s.agentAlone.nodes[n.tool])],
	['  package nodes together, ms', ms(s.example.packageMs), ms(s.agentAlone.packageMs)],
	['edna calls', s.example.ednaCalls, s.agentAlone.ednaCalls],
])}
edna calls per turn: example ${calls('example')}; agent alone ${calls('agentAlone')}
package nodes' time / execution, example: ${ratio('packageShare')}
package nodes' time / execution, agent alone: ${ratio('packageShareAlone')}
Conversation → Get / execution, example: ${ratio('conversationShare')}
example / agent alone, webhook → reply: ${ratio('lookupOverAlone')}
example / agent alone, execution: ${ratio('lookupOverAloneExecution')}`;
}
