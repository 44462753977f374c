// Template sends through the edna Pulse node against the same sends through n8n's HTTP Request node,
// in one n8n, to the edna sandbox, in interleaved rounds. Each run is one execution: a Webhook node
// receives the list of phones, Split Out makes one item per phone, and the sending node sends one
// WhatsApp template per item (edna's v1 template API), answering when the last item is done.
// Measured per run: wall time of that one request (the execution from start to end), so sends/s.
// Used by bench/n8n.mjs (npm run bench:n8n); see BENCHMARKS.md.
import { randomUUID } from 'node:crypto';

import { start as startSandbox } from '../sandbox/index.mjs';
import { webhookNode } from '../scripts/lib/action-workflow.mjs';
import { chain } from '../scripts/lib/trigger-workflow.mjs';
import { fixed, median, table } from './lib/stats.mjs';

export const CHANNEL = 101; // sandbox_wa
export const TEMPLATE = 302; // track_parcel: one body variable, one dynamic link button
export const SENDER = 'sandbox_wa';

export const splitOut = {
	id: randomUUID(),
	name: 'One item per phone',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	position: [220, 0],
	parameters: { fieldToSplitOut: 'body.phones', options: { destinationFieldName: 'phone' } },
};

/** The two ways to send, as a user would configure them. */
const SENDERS = {
	node: (credentials) => nodeSender(credentials),
	httpRequest: (credentials, sandbox) => httpRequestSender(credentials, sandbox),
};

/** The edna Pulse node's Send Template to each item's phone; `typeVersion` and `options` as saved. */
export function nodeSender(credentials, { typeVersion = 1, options } = {}) {
	return {
		id: randomUUID(),
		name: 'Send',
		type: 'n8n-nodes-edna-pulse.ednaPulse',
		typeVersion,
		position: [440, 0],
		parameters: {
			resource: 'message',
			operation: 'sendTemplate',
			channel: { __rl: true, mode: 'id', value: String(CHANNEL) },
			template: { __rl: true, mode: 'id', value: String(TEMPLATE) },
			phone: '={{ $json.phone }}',
			variables: { mappingMode: 'defineBelow', value: { body_1: 'Alex', button_1: 'PARCEL-1' }, matchingColumns: [], schema: [] },
			...(options === undefined ? {} : { options }),
		},
		credentials: { ednaPulseApi: { id: credentials.edna.id, name: credentials.edna.name } },
	};
}

/**
 * n8n's HTTP Request node making edna's v1 template send for each item, with a Header Auth
 * credential (X-API-KEY) and the body as an expression; `options` as the node's Options collection
 * saves them (e.g. `{ batching: { batch: { batchSize: 10, batchInterval: 0 } } }`).
 */
export function httpRequestSender(credentials, sandbox, { typeVersion = 4.2, options = {} } = {}) {
	return {
		id: randomUUID(),
		name: 'Send',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion,
		position: [440, 0],
		parameters: {
			method: 'POST',
			url: `${sandbox.apiUrl}/v1/out-messages/whatsapp/template`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ messageId: $execution.id + '-' + $itemIndex, sender: '${SENDER}', phone: $json.phone, templateId: ${TEMPLATE}, textVariables: ['Alex'], buttonVariables: ['PARCEL-1'] }) }}`,
			options,
		},
		credentials: { httpHeaderAuth: { id: credentials.header.id, name: credentials.header.name } },
	};
}

/**
 * Runs `rounds` rounds of `count` sends per way, alternating which goes first, and returns
 * `{ runs, summary, ratio }` (ratio: the node's sends/s over HTTP Request's, median of the rounds).
 */
export async function benchSends({ instance, api, count = 1000, rounds = 3, log = () => {} }) {
	const sandbox = await startSandbox({ port: 0, speed: 1000 });
	try {
		const edna = await api.createCredential({
			name: 'bench edna sandbox',
			type: 'ednaPulseApi',
			data: { apiKey: sandbox.keys.master, baseUrl: sandbox.apiUrl, webhookKey: sandbox.keys.webhook },
		});
		const header = await api.createCredential({
			name: 'bench edna API key (header)',
			type: 'httpHeaderAuth',
			data: { name: 'X-API-KEY', value: sandbox.keys.master },
		});
		const credentials = { edna, header };
		const urls = {};
		for (const [way, make] of Object.entries(SENDERS)) {
			const path = randomUUID();
			const workflow = await api.createWorkflow({
				name: `bench: ${count} template sends through ${way}`,
				...chain([webhookNode(path, { responseData: 'firstEntryJson' }), splitOut, make(credentials, sandbox)]),
			});
			await api.publishWorkflow(workflow.id);
			urls[way] = `${instance.webhookBaseUrl}/webhook/${path}`;
		}

		let serial = 0;
		const phones = (n) => Array.from({ length: n }, (_, i) => String(35790100000 + ((serial * n + i) % 9_000_000)));
		const run = async (way, n) => {
			serial++;
			const sentBefore = sandbox.record.requests({ path: 'v1/out-messages/whatsapp/template' }).length;
			const t0 = performance.now();
			for (;;) {
				const res = await fetch(urls[way], {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ phones: phones(n) }),
					signal: AbortSignal.timeout(600_000),
				});
				const text = await res.text();
				if (res.status === 404) continue; // not registered yet: nothing ran
				if (res.status !== 200) throw new Error(`${way}: ${res.status} ${text.slice(0, 300)}`);
				break;
			}
			const ms = performance.now() - t0;
			const sent = sandbox.record.requests({ path: 'v1/out-messages/whatsapp/template' }).slice(sentBefore);
			const accepted = sent.filter((r) => r.status === 200).length;
			if (accepted !== n) throw new Error(`${way}: edna accepted ${accepted} of ${n} sends (${sent.length} requests)`);
			return { way, ms, sendsPerSecond: (n * 1000) / ms };
		};

		log(`sends: warming up (${Math.min(count, 50)} each)`);
		for (const way of Object.keys(SENDERS)) await run(way, Math.min(count, 50));
		sandbox.record.clear();
		const runs = [];
		for (let round = 0; round < rounds; round++) {
			const order = round % 2 === 0 ? ['node', 'httpRequest'] : ['httpRequest', 'node'];
			for (const way of order) {
				const r = await run(way, count);
				runs.push({ round, ...r });
				log(`sends round ${round + 1}/${rounds} ${way}: ${count} in ${(r.ms / 1000).toFixed(2)} s, ${r.sendsPerSecond.toFixed(1)}/s`);
			}
			sandbox.record.clear();
		}
		const perRound = Array.from({ length: rounds }, (_, round) => {
			const of = (way) => runs.find((r) => r.round === round && r.way === way).sendsPerSecond;
			return of('node') / of('httpRequest');
		});
		const summary = Object.fromEntries(
			Object.keys(SENDERS).map((way) => [way, median(runs.filter((r) => r.way === way).map((r) => r.sendsPerSecond))]),
		);
		return { count, rounds, runs, summary, ratio: median(perRound), ratios: perRound };
	} finally {
		await sandbox.stop();
	}
}

/** The section's lines of the report. */
export function sendsReport(sends) {
	return `\n\nTemplate sends to the edna sandbox at n8n defaults, ${sends.count} per execution, median of ${sends.rounds} interleaved rounds:\n${table([
		['sending node', 'sends/s'],
		['edna Pulse node (Send Template)', fixed(sends.summary.node)],
		['HTTP Request node (same v1 call)', fixed(sends.summary.httpRequest)],
	])}\nedna Pulse node / HTTP Request: ${fixed(sends.ratio, 2)} (rounds: ${sends.ratios.map((r) => fixed(r, 2)).join(', ')})`;
}
