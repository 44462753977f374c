// Shared by the sandbox tests: a sandbox per test, an API caller, and a webhook receiver that
// answers as told and lets a test wait for what arrived (no sleeping).
import http from 'node:http';
import { after } from 'node:test';
import { start } from '../../sandbox/index.mjs';

export const MASTER = 'sandbox-master-api-key-example';
export const WA_ONLY = 'sandbox-wa-only-api-key-example';
export const EXPIRED = 'sandbox-expired-api-key-example';
export const WEBHOOK_KEY = 'sandbox-webhook-key-example';
export const PHONE = '35790000100';

/** A sandbox on a free port, stopped after the test file. Fast by default: 1 edna hour = 0.36 s. */
export async function sandbox(options = {}) {
	const sb = await start({ speed: 10_000, ...options });
	after(() => sb.stop());
	return sb;
}

/** Calls the sandbox's edna API; returns `{status, body}` (body parsed when JSON). */
export async function api(
	sb,
	path,
	body,
	{ key = MASTER, method = body === undefined ? 'GET' : 'POST', raw } = {},
) {
	const headers = { 'content-type': 'application/json' };
	if (key !== null) headers['x-api-key'] = key;
	const res = await fetch(`${sb.apiUrl}/${path}`, {
		method,
		headers,
		body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await res.text();
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = text;
	}
	return { status: res.status, body: parsed };
}

/** POST /sandbox/… with a JSON body. */
export async function sandboxPost(sb, path, body = {}) {
	const res = await fetch(`${sb.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
}

/** A text cascade send to `phone` on cascade 201 (WhatsApp). */
export const textSend = (requestId, text = `hello ${requestId}`, extra = {}) => ({
	requestId,
	cascadeId: 201,
	subscriberFilter: { address: PHONE, type: 'PHONE' },
	content: { whatsappContent: { contentType: 'TEXT', text } },
	...extra,
});

/**
 * An HTTP server playing the customer's webhook endpoint. `answer(req, n)` returns the status for
 * the n-th POST (default 200); HEAD answers `headStatus`. `next(predicate)` resolves with the first
 * received request matching it.
 */
export async function receiver({ answer = () => 200, headStatus = 200 } = {}) {
	const received = [];
	const waiters = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			if (req.method === 'HEAD') {
				res.writeHead(headStatus).end();
				return;
			}
			const text = Buffer.concat(chunks).toString('utf8');
			const hit = {
				method: req.method,
				url: req.url,
				headers: req.headers,
				body: JSON.parse(text || 'null'),
			};
			received.push(hit);
			res.writeHead(answer(hit, received.length)).end();
			for (const w of [...waiters]) {
				if (w.predicate(hit)) {
					waiters.splice(waiters.indexOf(w), 1);
					w.resolve(hit);
				}
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	after(() => new Promise((resolve) => server.close(resolve)));
	const base = `http://127.0.0.1:${server.address().port}`;
	return {
		url: (path = '/hook') => `${base}${path}`,
		received,
		next(predicate = () => true) {
			const found = received.find(predicate);
			if (found) return Promise.resolve(found);
			return new Promise((resolve) => waiters.push({ predicate, resolve }));
		},
	};
}

/** Registers `url` for status (and incoming) webhooks of all channels through the config. */
export const allWebhooks = (url) => ({
	statusCallbackUrl: url,
	inMessageCallbackUrl: url,
	messageMatcherCallbackUrl: url,
	templateCategoryCallbackUrl: url,
	linkClickCallbackUrl: url,
});
