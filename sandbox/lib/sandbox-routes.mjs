// /sandbox/*: the sandbox's own endpoints, for tests, the conversation page and curl. Not edna's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CALLBACK_FIELDS } from './choices.mjs';
import { ActionError } from './customer.mjs';
import { parseJson, readBody, sendJson } from './http.mjs';
import { LimitsError } from './limits.mjs';

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'page');
const PAGE_FILES = {
	'/': ['index.html', 'text/html; charset=utf-8'],
	'/app.js': ['app.js', 'text/javascript; charset=utf-8'],
};

export function createSandboxRoutes(sandbox) {
	// method + path → handler(body, query); answers JSON
	const routes = {
		'GET /sandbox/state': () => sandbox.state(),
		'GET /sandbox/record': (_, q) => sandbox.record.all(Number(q.get('since') ?? 0)),
		'POST /sandbox/record/clear': () => (sandbox.record.clear(), { ok: true }),
		'POST /sandbox/reset': () => (sandbox.reset(), { ok: true }),
		'GET /sandbox/webhooks': () => sandbox.webhooks.list(),
		'POST /sandbox/webhooks': (b) => {
			for (const field of Object.keys(CALLBACK_FIELDS))
				if (b[field]) sandbox.webhooks.register(field, b[field], b.subjectId ?? null);
			return sandbox.webhooks.list();
		},
		'GET /sandbox/faults': () => sandbox.faults.list(),
		'POST /sandbox/faults': (b) => sandbox.faults.add(b),
		'POST /sandbox/faults/clear': () => (sandbox.faults.clear(), { ok: true }),
		'GET /sandbox/limits': () => sandbox.limits(),
		'POST /sandbox/limits': (b) => sandbox.setLimits(b),
		'GET /sandbox/stats': () => sandbox.sendStats(),
		'POST /sandbox/customer/message': (b) => sandbox.customer.send(b).then(strip),
		'POST /sandbox/customer/button': (b) => sandbox.customer.tapButton(b).then(strip),
		'POST /sandbox/customer/link-click': (b) => sandbox.customer.clickLink(b).then(strip),
		'POST /sandbox/operator/message': async (b) => ({ message: sandbox.operator.send(b) }),
		'POST /sandbox/templates/status': (b) =>
			sandbox.templates.setStatus(b.id, b.status).then(strip),
		'POST /sandbox/templates/category': (b) =>
			sandbox.templates.setCategory(b.id, b.category).then(strip),
	};

	return async function handleSandbox(req, res, pathname) {
		if (req.method === 'GET' && PAGE_FILES[pathname]) {
			const [file, type] = PAGE_FILES[pathname];
			const text = await readFile(path.join(PAGE_DIR, file));
			res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
			res.end(text);
			return true;
		}
		const handler = routes[`${req.method} ${pathname}`];
		if (!handler) return false;
		try {
			const body = req.method === 'POST' ? (parseJson((await readBody(req)) || '{}') ?? {}) : {};
			sendJson(res, 200, await handler(body, new URL(req.url, 'http://sandbox').searchParams));
		} catch (error) {
			const known =
				error instanceof ActionError ||
				error instanceof LimitsError ||
				/^fault|unknown webhook field/.test(error.message);
			sendJson(res, known ? 400 : 500, { error: error.message });
		}
		return true;
	};
}

// The webhook answer of an action, without the body edna would have sent twice over.
const strip = ({ webhook, ...rest }) => ({
	...rest,
	webhook: webhook && { status: webhook.status, error: webhook.error ?? null },
});
