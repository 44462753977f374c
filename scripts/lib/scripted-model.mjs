// A scripted OpenAI-compatible chat model on 127.0.0.1, for tests of agent workflows: n8n's OpenAI
// Chat Model node, its credential's Base URL pointed here, talks to it as to OpenAI's Chat
// Completions API. Each answer comes from the test's `reply(request)`; every request is recorded, so
// a test can read what the agent put in the prompt. No network, no real model.
//
// POST {base}/chat/completions, answered as JSON or, when the request asks `stream: true`, as
// server-sent events; GET {base}/models lists the one model. {base} is `/v1` (or the root).
import { randomUUID } from 'node:crypto';
import http from 'node:http';

export const MODEL_ID = 'scripted-model';

/**
 * What the model answers: a final text, or tool calls (the agent runs them and asks again).
 * @typedef {{ content: string } | { toolCalls: Array<{ name: string, arguments: object }> }} ModelTurn
 */

/** The tool calls of one answer, with ids and JSON arguments as OpenAI sends them. */
function toolCallsOf(turn) {
	return turn.toolCalls.map((call, index) => ({
		index,
		id: `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
		type: 'function',
		function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
	}));
}

function completion(turn) {
	const message = turn.toolCalls
		? { role: 'assistant', content: null, tool_calls: toolCallsOf(turn).map(({ index, ...call }) => call) }
		: { role: 'assistant', content: turn.content };
	return {
		id: `chatcmpl-${randomUUID()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: MODEL_ID,
		choices: [{ index: 0, message, finish_reason: turn.toolCalls ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function streamChunks(turn) {
	const base = { id: `chatcmpl-${randomUUID()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: MODEL_ID };
	const chunk = (delta, finish = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
	if (turn.toolCalls)
		return [chunk({ role: 'assistant', content: null, tool_calls: toolCallsOf(turn) }), chunk({}, 'tool_calls')];
	return [chunk({ role: 'assistant', content: turn.content }), chunk({}, 'stop')];
}

/** The text of every message of a request, joined: what the model was shown. */
export function promptText(request) {
	return (request.messages ?? [])
		.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')))
		.join('\n');
}

/**
 * Starts the model. `reply(request, index)` returns a ModelTurn (or a promise of one) for each
 * chat-completion request; index counts requests from 0.
 * @returns {Promise<{ url: string, requests: object[], stop: () => Promise<void> }>} url is the Base URL (…/v1)
 */
export async function startScriptedModel({ reply }) {
	const requests = [];
	const server = http.createServer(async (req, res) => {
		const send = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		try {
			const path = new URL(req.url, 'http://x').pathname.replace(/^\/v1/, '');
			if (req.method === 'GET' && path === '/models') {
				return send(200, { object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: 'test' }] });
			}
			if (req.method !== 'POST' || path !== '/chat/completions')
				return send(404, { error: { message: `${req.method} ${req.url} is not served by the scripted model` } });
			let raw = '';
			for await (const chunk of req) raw += chunk;
			const request = JSON.parse(raw);
			const index = requests.push(request) - 1;
			const turn = await reply(request, index);
			if (!request.stream) return send(200, completion(turn));
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			for (const chunk of streamChunks(turn)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			if (request.stream_options?.include_usage)
				res.write(`data: ${JSON.stringify({ id: 'usage', object: 'chat.completion.chunk', model: MODEL_ID, choices: [], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } })}\n\n`);
			res.end('data: [DONE]\n\n');
		} catch (error) {
			send(500, { error: { message: `scripted model: ${error.message}` } });
		}
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}/v1`;
	return {
		url,
		requests,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
