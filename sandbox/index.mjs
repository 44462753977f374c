// The edna Pulse sandbox: a local edna for tests, demos and people without an edna account.
// start() runs a real HTTP server that answers edna's API under /api, sends edna's webhooks, plays
// the customer on demand and shows the conversations at /. See sandbox/README.md.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createApi } from './lib/api-server.mjs';
import { createClock } from './lib/clock.mjs';
import { CALLBACK_FIELDS } from './lib/choices.mjs';
import { createCustomer, createOperator, createTemplateEvents } from './lib/customer.mjs';
import { createDelivery } from './lib/delivery.mjs';
import { createFaults } from './lib/faults.mjs';
import { createLimits } from './lib/limits.mjs';
import { NOT_FOUND } from './lib/errors.mjs';
import { sendJson } from './lib/http.mjs';
import { createRecord } from './lib/record.mjs';
import { createSandboxRoutes } from './lib/sandbox-routes.mjs';
import { createState, loadSeed } from './lib/state.mjs';
import { snapshot } from './lib/view.mjs';
import { createWebhooks } from './lib/webhooks.mjs';

/**
 * Reads a webhooks config: `{<field>: url, …, channels: {<subjectId>: {<field>: url}}}` with the
 * fields of choices.CALLBACK_FIELDS, as an object or a JSON file path. Returns `[{field, url, subjectId}]`.
 */
export function readWebhooksConfig(config) {
	if (!config) return [];
	const data = typeof config === 'string' ? JSON.parse(readFileSync(config, 'utf8')) : config;
	const out = [];
	const add = (obj, subjectId) => {
		for (const [field, url] of Object.entries(obj ?? {})) {
			if (field === 'channels') continue;
			if (!CALLBACK_FIELDS[field])
				throw new Error(
					`webhooks config: unknown field "${field}" (expected: ${Object.keys(CALLBACK_FIELDS).join(', ')}, channels)`,
				);
			if (url) out.push({ field, url, subjectId });
		}
	};
	add(data, null);
	for (const [id, obj] of Object.entries(data.channels ?? {})) add(obj, Number(id));
	return out;
}

/**
 * Starts a sandbox. Options: port (0 = any free), host, seed (object) / seedFile (path), speed
 * (edna time runs `speed` times faster), failureRate (0..1), webhookKey (overrides the seed's; ''
 * sends no Authorization), webhooks (config object or file, see readWebhooksConfig), requireHttps,
 * sessionWindow (enforce WhatsApp's 24 h window, default true), latencyMs (every API answer that
 * much later, real ms), rateLimit ({perSecond, burst}: sends over it answer 429 with Retry-After),
 * v1MessageIdUnique (refuse a v1 messageId used before, default true), log (one-line notes).
 * @returns {Promise<object>} the handle described in sandbox/README.md
 */
export async function start({
	port = 0,
	host = '127.0.0.1',
	seed,
	seedFile,
	speed = 1,
	failureRate = 0,
	webhookKey,
	webhooks,
	requireHttps = false,
	sessionWindow = true,
	latencyMs = 0,
	rateLimit = null,
	v1MessageIdUnique = true,
	log = () => {},
} = {}) {
	const seedData = loadSeed({ seed, seedFile });
	if (webhookKey !== undefined) seedData.webhookKey = webhookKey;
	const configured = readWebhooksConfig(webhooks);
	const record = createRecord();
	const faults = createFaults();
	const limits = createLimits({ latencyMs, rateLimit, v1MessageIdUnique });

	let world;
	function makeWorld() {
		const state = createState(seedData);
		const clock = createClock(speed);
		const hooks = createWebhooks({ state, clock, record, log });
		for (const w of configured) hooks.register(w.field, w.url, w.subjectId);
		const delivery = createDelivery({ state, clock, webhooks: hooks, failureRate, sessionWindow });
		return { state, clock, webhooks: hooks, delivery };
	}
	const endWorld = (w) => {
		w.clock.stop();
		w.webhooks.stop();
	};
	world = makeWorld();

	const handle = {
		url: '',
		apiUrl: '',
		port: 0,
		host,
		speed,
		keys: {
			master: seedData.apiKeys.find((k) => k.type === 'master')?.key ?? null,
			additional: seedData.apiKeys.filter((k) => k.type !== 'master').map((k) => ({ ...k })),
			webhook: seedData.webhookKey,
		},
		record,
		faults,
		/** The account as GET /sandbox/state shows it (conversations per phone, webhooks, templates). */
		state: () => snapshot(world.state, world.webhooks),
		/** Back to the seed: messages, URLs registered by callback/set, ids, timers. Config webhooks stay; the record and the send stats are cleared. */
		reset() {
			endWorld(world);
			world = makeWorld();
			record.clear();
			faults.clear();
			limits.reset();
		},
		/** `{latencyMs, rateLimit: {perSecond, burst} | null, v1MessageIdUnique}` now in force. */
		limits: () => limits.get(),
		/** Changes any of them (the others stay); `rateLimit: null` switches it off. Returns limits(). */
		setLimits: (changes) => limits.set(changes),
		/** The sends the API accepted and refused, and the pace: see sandbox/README.md. */
		sendStats: () => limits.stats(),
		webhooks: {
			register: ({ field, url, subjectId = null }) =>
				world.webhooks.register(field, url, subjectId),
			list: () => world.webhooks.list(),
		},
		customer: createCustomer({ world: () => world }),
		/** A person answering in edna's chat centre. */
		operator: createOperator({ world: () => world }),
		templates: createTemplateEvents({ world: () => world }),
		/** The live account, for tests that need a field the views do not show. */
		get account() {
			return world.state;
		},
		stop,
	};

	const api = createApi({
		world: () => world,
		record,
		faults,
		limits,
		options: { requireHttps },
		log,
	});
	const sandboxRoutes = createSandboxRoutes(handle);
	const server = http.createServer(async (req, res) => {
		const pathname = new URL(req.url, 'http://sandbox').pathname;
		try {
			if (pathname === '/api' || pathname.startsWith('/api/')) await api(req, res, pathname);
			else if (!(await sandboxRoutes(req, res, pathname))) sendJson(res, 404, NOT_FOUND);
		} catch (error) {
			log(`sandbox: ${req.method} ${pathname} failed: ${error.stack ?? error}`);
			if (!res.headersSent) sendJson(res, 500, { error: 'sandbox error' });
		}
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	const address = server.address();
	handle.port = address.port;
	const shown = host.includes(':') ? `[${host}]` : host;
	handle.url = `http://${shown}:${address.port}`;
	handle.apiUrl = `${handle.url}/api`;

	let stopped;
	function stop() {
		stopped ??= new Promise((resolve) => {
			endWorld(world);
			limits.stop();
			server.close(() => resolve());
			server.closeAllConnections();
		});
		return stopped;
	}
	return handle;
}
