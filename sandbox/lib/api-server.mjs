// The HTTP adapter of the edna API under /api: the only place that knows requests and answers.
// Its exits, in order: unknown path 404 → wrong method 405 → key 401 → scope 403 → rate limit 429
// → fault → body not JSON 400 → the endpoint's own answer. Every request and its answer go to the
// record; the answer leaves `latencyMs` after the request arrived (limits.mjs).
import { authenticate, authorizeGroup } from './auth.mjs';
import { ROUTE_BEFORE_AUTH } from './choices.mjs';
import { METHOD_NOT_ALLOWED, NOT_FOUND, NOT_READABLE, SYSTEM_ERROR } from './errors.mjs';
import { parseJson, readBody, sendJson } from './http.mjs';
import { ROUTES } from './api/routes.mjs';

/**
 * `world()` returns the current account (`{state, clock, webhooks, delivery}`; reset() replaces it);
 * `options` are the start options the endpoints read (requireHttps); `limits` the latency, rate
 * limit and send counts (limits.mjs).
 */
export function createApi({ world, record, faults, limits, options = {}, log = () => {} }) {
	async function answer(req, route, query, text) {
		const w = world();
		const r = ROUTES[route];
		const early = !ROUTE_BEFORE_AUTH && authenticate(w.state, req.headers['x-api-key']);
		if (!r) return { status: 404, body: NOT_FOUND };
		if (req.method !== r.method) return { status: 405, body: METHOD_NOT_ALLOWED };
		const key = early || authenticate(w.state, req.headers['x-api-key']);
		authorizeGroup(key, route);
		const refused = limits.refuse(route);
		if (refused) return refused;
		const before = faults.take(route, false);
		if (before) return before;
		let body = {};
		if (r.method === 'POST') {
			body = text.trim() === '' && r.emptyBody ? r.emptyBody : parseJson(text);
			if (body === null || typeof body !== 'object' || Array.isArray(body))
				return { status: 400, body: NOT_READABLE };
		}
		const result = await r.handler({
			...w,
			...options,
			v1MessageIdUnique: limits.v1MessageIdUnique,
			key,
			body,
			query,
		});
		return (result.status === 200 && faults.take(route, true)) || result;
	}

	return async function handleApi(req, res, path) {
		const arrivedAt = limits.begin();
		const route = path.replace(/^\/api\/?/, '').replace(/\/$/, '');
		const query = new URL(req.url, 'http://sandbox').searchParams;
		let text = '';
		let result;
		try {
			text = await readBody(req);
			result = await answer(req, route, query, text);
		} catch (error) {
			if (error.body) result = { status: error.status, body: error.body };
			else {
				log(`sandbox: ${req.method} ${path} failed: ${error.stack ?? error}`);
				result = { status: 500, body: SYSTEM_ERROR };
			}
		}
		limits.sent(route, result.status);
		try {
			record.request({
				method: req.method,
				path: route,
				query: Object.fromEntries(query),
				headers: req.headers,
				body: parseJson(text) ?? (text || null),
				status: result.status,
				answer: result.body,
				...(result.headers && { answerHeaders: result.headers }),
			});
		} finally {
			limits.answer(arrivedAt, () => sendJson(res, result.status, result.body, result.headers));
		}
	};
}
