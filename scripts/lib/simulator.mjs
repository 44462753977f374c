// Sends edna Pulse webhook traffic the way edna does: one HEAD to verify the
// URL, then JSON POSTs carrying `Authorization: Token <key>`.
// edna documents the HEAD check and the redelivery of failed webhooks
// (https://docs-pulse.edna.io/docs/integrations/api/webhook-settings); the
// header name and `Token` scheme are not documented and come from observed traffic.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EVENT_KINDS, FIXTURES_DIR } from '../../sandbox/lib/webhook-shapes.mjs';

/**
 * Reads `<dir>/<kind>/<variant>.json`. Each file is one HTTP body exactly as edna
 * sends it; `raw` keeps the bytes so an unmodified send is byte-identical.
 * @returns {Promise<Array<{kind: string, variant: string, file: string, raw: string, body: unknown}>>}
 */
export async function loadFixtures({ dir = FIXTURES_DIR, kind = 'all', variant = 'all' } = {}) {
	const kinds = kind === 'all' ? EVENT_KINDS : [kind];
	for (const k of kinds) {
		if (!EVENT_KINDS.includes(k)) {
			throw new Error(`unknown event kind "${k}" (expected one of: ${EVENT_KINDS.join(', ')}, all)`);
		}
	}
	const fixtures = [];
	for (const k of kinds) {
		let names;
		try {
			names = (await readdir(path.join(dir, k))).filter((n) => n.endsWith('.json')).sort();
		} catch (error) {
			if (error.code === 'ENOENT') continue;
			throw error;
		}
		for (const name of names) {
			const v = name.slice(0, -'.json'.length);
			if (variant !== 'all' && v !== variant) continue;
			const file = path.join(dir, k, name);
			const raw = await readFile(file, 'utf8');
			let body;
			try {
				body = JSON.parse(raw);
			} catch {
				body = undefined; // deliberately malformed fixture: sent as raw text
			}
			fixtures.push({ kind: k, variant: v, file, raw, body });
		}
	}
	return fixtures;
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/;

/** Moves a timestamp `n` seconds later, keeping its exact format (fraction digits, zone). */
export function shiftTimestamp(value, n) {
	if (typeof value === 'number') {
		// epoch seconds or milliseconds
		return value + (value > 1e11 ? n * 1000 : n);
	}
	if (typeof value !== 'string') return value;
	const m = ISO.exec(value);
	if (!m) return value;
	const base = new Date(`${m[1]}Z`).getTime() + n * 1000;
	return new Date(base).toISOString().slice(0, 19) + (m[2] ?? '') + (m[3] ?? '');
}

// Numeric ids move to a block of their own (n * 1e9 + id) so that variants with
// neighbouring ids never produce the same id for different n.
function shiftId(value, n) {
	if (typeof value === 'number') return n * (Math.abs(value) < 1e9 ? 1e9 : 1e12) + value;
	if (typeof value === 'string') return `${value}-${n}`;
	return value;
}

function uniqueFields(obj, n, idFields, timeFields) {
	if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return obj;
	const out = { ...obj };
	for (const f of idFields) if (f in out && out[f] !== null) out[f] = shiftId(out[f], n);
	for (const f of timeFields) if (f in out) out[f] = shiftTimestamp(out[f], n);
	return out;
}

const UNIQUE = {
	// dedupe key: requestId/messageId + status + statusAt
	messageStatus: (b, n) => uniqueFields(b, n, ['requestId', 'messageId'], ['statusAt']),
	// dedupe key: subjectId + id
	incomingMessage: (b, n) => uniqueFields(b, n, ['id'], []),
	// dedupe key: id + status + updatedAt; current format is an array, older one wraps `messageMatcher`
	templateStatus: (b, n) =>
		b && typeof b === 'object' && !Array.isArray(b) && 'messageMatcher' in b
			? { ...b, messageMatcher: uniqueFields(b.messageMatcher, n, ['id'], ['updatedAt']) }
			: uniqueFields(b, n, ['id'], ['updatedAt']),
	// dedupe key: payload id + timestamp
	templateCategory: (b, n) => uniqueFields(b, n, [], ['timestamp']),
	linkClick: (b, n) => uniqueFields(b, n, [], ['timestamp']),
};

/**
 * Returns a copy of `body` that is a distinct edna event: the identity fields of
 * `kind` are varied by `n` (numeric ids get `n * 1e9` added, string ids a `-n`
 * suffix, timestamps move `n` seconds later in the same format).
 * Arrays are handled item by item. `n = 0` returns an equal copy.
 */
export function makeUnique(kind, body, n) {
	const fn = UNIQUE[kind];
	if (!fn) throw new Error(`unknown event kind "${kind}"`);
	const copy = structuredClone(body);
	if (!n) return copy;
	return Array.isArray(copy) ? copy.map((item) => fn(item, n)) : fn(copy, n);
}

/** Headers edna sends with a POST. `key` may be empty (authentication disabled in edna). */
export function ednaHeaders(key) {
	const headers = { 'content-type': 'application/json' };
	if (key) headers.authorization = `Token ${key}`;
	return headers;
}

/**
 * One request. `body` may be a string (sent as is) or a value (JSON-encoded).
 * `headers` are merged over edna's; a `null` value removes a header.
 * Never throws for HTTP errors; network errors give `status: 0` and `error`.
 * @returns {Promise<{status: number, ms: number, text: string, error?: string}>}
 */
export async function send({ url, key, body, headers = {}, method = 'POST', timeoutMs = 30_000 }) {
	const merged = { ...(method === 'POST' ? ednaHeaders(key) : {}), ...headers };
	for (const [name, value] of Object.entries(merged)) if (value === null) delete merged[name];
	const payload =
		method === 'HEAD' || method === 'GET' || body === undefined
			? undefined
			: typeof body === 'string'
				? body
				: JSON.stringify(body);
	const t0 = performance.now();
	try {
		const res = await fetch(url, {
			method,
			headers: merged,
			body: payload,
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await res.text();
		return { status: res.status, ms: performance.now() - t0, text };
	} catch (error) {
		return {
			status: 0,
			ms: performance.now() - t0,
			text: '',
			error: error.cause?.code ?? error.name ?? String(error),
		};
	}
}

/** edna's URL check: a HEAD that must answer 200 before the URL is accepted. */
export function verifyUrl(url, { timeoutMs = 10_000 } = {}) {
	return send({ url, method: 'HEAD', timeoutMs });
}

function percentile(sorted, p) {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (x) => Math.round(x * 100) / 100;

/**
 * Sends `count` distinct events (cycling over `fixtures`) to `url` with
 * `concurrency` requests in flight, after a HEAD check. A `retries` share of the
 * events is sent a second time with the identical body, as edna redelivers.
 * With `unique`, event i carries identity fields varied by i + 1 (see makeUnique);
 * without it, every send of a fixture is byte-identical to the file.
 * `onResult({event, result, retry})` is called after each POST.
 * @returns summary: { url, head, sent, events, resent, byStatus, errors, durationMs, rps, latencyMs }
 */
export async function runTraffic({
	url,
	key,
	fixtures,
	count = fixtures.length,
	concurrency = 1,
	retries = 0,
	unique = false,
	verify = true,
	headers = {},
	timeoutMs = 30_000,
	onResult,
}) {
	if (!fixtures || fixtures.length === 0) throw new Error('no fixtures to send');
	if (!(retries >= 0 && retries <= 1)) throw new Error('retries must be a fraction between 0 and 1');
	const summary = {
		url,
		head: null,
		sent: 0,
		events: 0,
		resent: 0,
		byStatus: {},
		errors: {},
		durationMs: 0,
		rps: 0,
		latencyMs: {},
	};
	if (verify) {
		const head = await verifyUrl(url, { timeoutMs });
		summary.head = head.status;
		if (head.status !== 200) {
			summary.headError = head.error ?? head.text.slice(0, 200);
			return summary; // edna does not add a URL that fails the check
		}
	}

	// Spread retries evenly: event i is resent when floor((i+1)*r) > floor(i*r).
	const jobs = [];
	for (let i = 0; i < count; i++) {
		const fx = fixtures[i % fixtures.length];
		const body = fx.body === undefined || !unique ? fx.raw : JSON.stringify(makeUnique(fx.kind, fx.body, i + 1));
		const event = { index: i, kind: fx.kind, variant: fx.variant, body };
		jobs.push({ event, retry: false });
		if (Math.floor((i + 1) * retries) > Math.floor(i * retries)) jobs.push({ event, retry: true });
	}

	const latencies = [];
	let next = 0;
	const t0 = performance.now();
	const worker = async () => {
		while (next < jobs.length) {
			const job = jobs[next++];
			const result = await send({ url, key, body: job.event.body, headers, timeoutMs });
			summary.sent++;
			if (job.retry) summary.resent++;
			else summary.events++;
			summary.byStatus[result.status] = (summary.byStatus[result.status] ?? 0) + 1;
			if (result.error) summary.errors[result.error] = (summary.errors[result.error] ?? 0) + 1;
			latencies.push(result.ms);
			onResult?.({ event: job.event, result, retry: job.retry });
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
	summary.durationMs = round(performance.now() - t0);
	summary.rps = summary.durationMs > 0 ? round((summary.sent * 1000) / summary.durationMs) : 0;
	latencies.sort((a, b) => a - b);
	summary.latencyMs = {
		min: round(latencies[0] ?? 0),
		mean: round(latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1)),
		p50: round(percentile(latencies, 50)),
		p90: round(percentile(latencies, 90)),
		p99: round(percentile(latencies, 99)),
		max: round(latencies.at(-1) ?? 0),
	};
	return summary;
}

/** `--event … [--variant …]` sending fixtures this trigger runs on, judged by the built node's own logic. */
export function simulatorTarget(parameters, fixtures, { decide, parseFilters }) {
	const event = parameters.event ?? 'messageStatus';
	const keep =
		event === 'anyEvent' && parameters.anyEventTypes?.length
			? new Set(parameters.anyEventTypes)
			: undefined;
	const settings = {
		event,
		keepTypes: keep,
		output: 'simplified',
		filters: parseFilters(parameters.filters ?? {}),
		strict: false,
	};
	const candidates = fixtures.filter((f) => event === 'anyEvent' || f.kind === event);
	const runs = candidates.filter(
		(f) => decide(Array.isArray(f.body) ? f.body : [f.body], settings).outcome === 'run',
	);
	if (runs.length === candidates.length) return `--event ${event === 'anyEvent' ? 'all' : event}`;
	if (runs.length > 0) return `--event ${runs[0].kind} --variant ${runs[0].variant}`;
	return `--event ${event === 'anyEvent' ? 'all' : event}`;
}
