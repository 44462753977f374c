// A load balancer in front of the webhook processes, as a queue-mode deployment has one (docs/queue-mode.md,
// Load balancer): edna knows one URL, and each request goes on to one webhook process and comes back
// with its answer unchanged. Round robin, unless `pick` chooses the process for a request; every
// request forwarded is recorded with the process that answered it.
import http from 'node:http';

/**
 * Starts the balancer on a free port of 127.0.0.1 in front of `targets` (base URLs such as
 * http://127.0.0.1:5679). `pick(request, body)` may return a target's index for a request (its
 * method, url and headers, and the body as a Buffer); otherwise the next in turn takes it.
 * @returns {Promise<{url: string, forwarded: object[], stop: () => Promise<void>}>} forwarded holds
 *   `{target, method, path, body, status, ms, error?}` per request in the order they arrived; status
 *   is 0 until the answer is in
 */
export async function startBalancer(targets, { pick = () => undefined } = {}) {
	const forwarded = [];
	let turn = 0;
	const server = http.createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const body = Buffer.concat(chunks);
		const chosen = pick(req, body);
		const target = chosen ?? turn++ % targets.length;
		const t0 = performance.now();
		const entry = { target, method: req.method, path: req.url, body: body.toString('utf8'), status: 0 };
		forwarded.push(entry);
		const upstream = http.request(new URL(req.url, targets[target]), { method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode, answer.headers);
			answer.pipe(res);
			answer.on('end', () => {
				entry.status = answer.statusCode;
				entry.ms = performance.now() - t0;
			});
		});
		upstream.on('error', (error) => {
			// What a balancer answers when the process behind it is gone: edna retries a 502.
			entry.error = error.code ?? error.message;
			entry.status = 502;
			entry.ms = performance.now() - t0;
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: `webhook process ${target + 1}: ${entry.error}` }));
		});
		upstream.end(body);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		forwarded,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
