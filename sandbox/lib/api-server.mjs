// The HTTP adapter of the edna API under /api: the only place that knows requests and answers.
// Its exits, in order: unknown path 404 → wrong method 405 → key 401 → scope 403 → fault → body
// not JSON 400 → the endpoint's own answer. Every request and its answer go to the record.
import { authenticate, authorizeGroup } from './auth.mjs';
import { ROUTE_BEFORE_AUTH } from './choices.mjs';
import { METHOD_NOT_ALLOWED, NOT_FOUND, NOT_READABLE, SYSTEM_ERROR } from './errors.mjs';
import { parseJson, readBody, sendJson } from './http.mjs';
import { ROUTES } from './api/routes.mjs';

/**
 * `world()` returns the current account (`{state, clock, webhooks, delivery}`; reset() replaces it);
 * `options` are the start options the endpoints read (requireHttps).
 */
export function createApi({ world, record, faults, options = {}, log = () => {} }) {
	async function answer(req, route, path, text) {
		const w = world();
		const r = ROUTES[route];
		const early = !ROUTE_BEFORE_AUTH && authenticate(w.state, req.headers['x-api-key']);
		if (!r) return { status: 404, body: NOT_FOUND };
		if (req.method !== r.method) return { status: 405, body: METHOD_NOT_ALLOWED };
		const key = early || authenticate(w.state, req.headers['x-api-key']);
		authorizeGroup(key, route);
		const before = faults.take(route, false);
		if (before) return before;
		let body = {};
		if (r.method === 'POST') {
			body = text.trim() === '' && r.emptyBody ? r.emptyBody : parseJson(text);
			if (body === null || typeof body !== 'object' || Array.isArray(body))
				return { status: 400, body: NOT_READABLE };
		}
		const query = new URL(req.url, 'http://sandbox').searchParams;
		const result = await r.handler({ ...w, ...options, key, body, query });
		return (result.status === 200 && faults.take(route, true)) || result;
	}

	return async function handleApi(req, res, path) {
		const route = path.replace(/^\/api\/?/, '').replace(/\/$/, '');
		let text = '';
		let result;
		try {
			text = await readBody(req);
			result = await answer(req, route, path, text);
		} catch (error) {
			if (error.body) result = { status: error.status, body: error.body };
			else {
				log(`sandbox: ${req.method} ${path} failed: ${error.stack ?? error}`);
				result = { status: 500, body: SYSTEM_ERROR };
			}
		}
		record.request({
			method: req.method,
			path: route,
			query: Object.fromEntries(new URL(req.url, 'http://sandbox').searchParams),
			headers: req.headers,
			body: parseJson(text) ?? (text || null),
			status: result.status,
			answer: result.body,
		});
		sendJson(res, result.status, result.body);
	};
}
