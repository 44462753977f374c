// The small HTTP toolkit of the sandbox: read a body, answer JSON, and make outgoing requests the way
// edna does (one connection per request, so stop() leaves no sockets behind).
import http from 'node:http';
import https from 'node:https';

const MAX_BODY = 5 * 1024 * 1024;

/** Reads the whole request body as a string (at most 5 MB). */
export function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(Object.assign(new Error('body too large'), { status: 413 }));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Parses JSON, or returns `undefined` for anything that is not. */
export function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export function sendJson(res, status, body, headers = {}) {
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/**
 * One outgoing request. Never throws: network errors and timeouts give `status: 0` and `error`.
 * `signal` aborts it (stop()).
 * @returns {Promise<{status: number, text: string, ms: number, error?: string}>}
 */
export function request(
	url,
	{ method = 'POST', headers = {}, body, timeoutMs = 10_000, signal } = {},
) {
	const t0 = performance.now();
	return new Promise((resolve) => {
		let target;
		try {
			target = new URL(url);
		} catch {
			resolve({ status: 0, text: '', ms: 0, error: 'invalid-url' });
			return;
		}
		const lib = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
		if (!lib) {
			resolve({ status: 0, text: '', ms: 0, error: 'unsupported-protocol' });
			return;
		}
		const payload =
			body === undefined
				? undefined
				: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		const done = (result) => resolve({ ms: Math.round(performance.now() - t0), ...result });
		const req = lib.request(
			target,
			{
				method,
				agent: false,
				headers: {
					connection: 'close',
					...headers,
					...(payload ? { 'content-length': payload.length } : {}),
				},
				timeout: timeoutMs,
				signal,
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					done({
						status: res.statusCode,
						text: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
					}),
				);
				res.on('error', (error) =>
					done({ status: 0, text: '', error: error.code ?? error.message }),
				);
			},
		);
		req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
		req.on('error', (error) =>
			done({
				status: 0,
				text: '',
				error: error.name === 'AbortError' ? 'aborted' : (error.code ?? error.message),
			}),
		);
		req.end(payload);
	});
}
