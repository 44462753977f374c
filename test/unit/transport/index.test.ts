import { NodeApiError, NodeOperationError, type IHttpRequestOptions } from 'n8n-workflow';

import { HINTS, apiUrl, ednaRequest, ednaSend, hintFor, methodGroupOf, problemOf, retryPolicy } from '../../../nodes/EdnaPulse/transport';
import { getCascades, getChannels } from '../../../nodes/EdnaPulse/transport/lists';
import { executeContext } from '../../support/action/context';
import { BASE_URL, MASTER_KEY, WA_ONLY_KEY, WEBHOOK_KEY } from '../../support/action/fakeEdna';

beforeAll(() => {
	retryPolicy.delaysMs = [0, 0];
	retryPolicy.maxRetryAfterMs = 0;
});

/** Every string reachable from a value, own non-enumerable properties (message, stack, cause) included. */
function allText(value: unknown, seen = new Set<unknown>()): string {
	if (typeof value === 'string') return value;
	if (typeof value !== 'object' || value === null || seen.has(value)) return '';
	seen.add(value);
	return Object.getOwnPropertyNames(value)
		.map((name) => `${name}=${allText((value as Record<string, unknown>)[name], seen)}`)
		.join('\n');
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected a failure');
}

const read = { method: 'GET' as const, path: 'channel-profile', kind: 'read' as const };

describe('URLs', () => {
	test.each([
		['https://app.edna.io/api', 'https://app.edna.io/api/channel-profile'],
		['https://app.edna.ru/api/', 'https://app.edna.ru/api/channel-profile'],
		['https://app.edna.by/api///', 'https://app.edna.by/api/channel-profile'],
		[' http://127.0.0.1:9999/api ', 'http://127.0.0.1:9999/api/channel-profile'],
		['', 'https://app.edna.io/api/channel-profile'],
	])('%p', (base, url) => expect(apiUrl(base, '/channel-profile')).toBe(url));

	test('the request goes to the credential base URL with the credential API key in X-API-KEY', async () => {
		const seen: IHttpRequestOptions[] = [];
		const ctx = executeContext({ parameters: {}, seen });
		await ednaRequest(ctx, read);
		expect(seen[0]).toMatchObject({
			url: 'http://127.0.0.1:9999/api/channel-profile',
			method: 'GET',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			headers: { 'X-API-KEY': MASTER_KEY },
		});
	});

	test('no API key in the credential: a clear error before any call', async () => {
		const ctx = executeContext({ parameters: {}, credential: { webhookKey: WEBHOOK_KEY, baseUrl: BASE_URL } });
		const error = await failure(ednaRequest(ctx, read));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('no API key');
		expect(error.description).toContain('webhook key is only for the edna Pulse Trigger');
		expect(ctx.edna.requests).toHaveLength(0);
	});

	test('a base URL that is not a URL', async () => {
		const ctx = executeContext({ parameters: {}, credential: { apiKey: MASTER_KEY, baseUrl: 'app.edna.io' } });
		expect((await failure(ednaRequest(ctx, read))).message).toContain('not a URL');
	});
});

describe('retries', () => {
	test('reads back off on 429 and 5xx, then succeed', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('channel-profile', { status: 429, title: 'too-many-requests' }, { status: 500 });
		await expect(ednaRequest(ctx, read)).resolves.toHaveLength(4);
		expect(ctx.edna.requests).toHaveLength(3);
	});

	test('reads give up after three attempts with edna’s error', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('channel-profile', { status: 503 }, { status: 503 }, { status: 503 });
		const error = await failure(ednaRequest(ctx, read));
		expect(error.httpCode).toBe('503');
		expect(error.description).toBe(HINTS['system-error']);
		expect(ctx.edna.requests).toHaveLength(3);
	});

	test('reads are retried when nothing answers', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('channel-profile', { status: 0, noAnswer: 'ECONNRESET' });
		await expect(ednaRequest(ctx, read)).resolves.toHaveLength(4);
	});

	test('other 4xx are never retried', async () => {
		const ctx = executeContext({ parameters: {}, credential: { apiKey: 'wrong-example-key', baseUrl: BASE_URL } });
		await failure(ednaRequest(ctx, read));
		expect(ctx.edna.requests).toHaveLength(1);
	});

	const schedule = (requestId: string) => ({
		method: 'POST' as const,
		path: 'cascade/schedule',
		body: { requestId, cascadeId: 201, subscriberFilter: { address: '35790000001', type: 'PHONE' }, content: { whatsappContent: { contentType: 'TEXT', text: 'Hi' } } },
		duplicateTitle: 'requestId-is-not-unique',
	});

	test('a cascade send (ID unique by edna’s rule) is retried with the same requestId after a 5xx', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('cascade/schedule', { status: 502 });
		await expect(ednaSend(ctx, { ...schedule('r-1'), retrySafe: true })).resolves.toMatchObject({ outcome: 'sent', attempts: 2 });
		expect(ctx.edna.requests.map((r) => r.body?.requestId)).toEqual(['r-1', 'r-1']);
		expect(ctx.edna.accepted).toHaveLength(1);
	});

	test('accepted, then a 5xx: the retry meets requestId-is-not-unique and reports alreadySent, one message', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('cascade/schedule', { status: 500, afterAccept: true });
		const result = await ednaSend(ctx, { ...schedule('r-2'), retrySafe: true });
		expect(result).toMatchObject({ outcome: 'alreadySent', response: { title: 'requestId-is-not-unique', status: 400 } });
		expect(ctx.edna.accepted).toHaveLength(1);
	});

	test('accepted, then no answer (timeout): same', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('cascade/schedule', { status: 0, noAnswer: 'ETIMEDOUT', afterAccept: true });
		await expect(ednaSend(ctx, { ...schedule('r-3'), retrySafe: true })).resolves.toMatchObject({ outcome: 'alreadySent' });
		expect(ctx.edna.accepted).toHaveLength(1);
	});

	test('a send that is not retry-safe (v1) is never repeated after a 5xx or a timeout, and says why', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('cascade/schedule', { status: 500, afterAccept: true }, { status: 0, noAnswer: 'ETIMEDOUT', afterAccept: true });
		const afterServerError = await failure(ednaSend(ctx, schedule('r-4')));
		expect(afterServerError.description).toContain('not sent again');
		expect(afterServerError.description).toContain('Get Status');
		const afterTimeout = await failure(ednaSend(ctx, schedule('r-5')));
		expect(afterTimeout.message).toContain('did not answer');
		expect(afterTimeout.description).toContain('not sent again');
		expect(ctx.edna.requests).toHaveLength(2);
	});

	test('429s do not use up the attempts: a read goes on through more 429s than three, and gives up after the 429 budget', async () => {
		const ctx = executeContext({ parameters: {} });
		const tooMany = { status: 429, title: 'too-many-requests', headers: { 'retry-after': '0' } };
		ctx.edna.fail('channel-profile', ...Array.from({ length: 5 }, () => tooMany), { status: 500 });
		await expect(ednaRequest(ctx, read)).resolves.toHaveLength(4);
		expect(ctx.edna.requests).toHaveLength(7);

		const budget = retryPolicy.tooManyRetries;
		retryPolicy.tooManyRetries = 2;
		const again = executeContext({ parameters: {} });
		// the 429 budget (2), then the three attempts every read has
		again.edna.fail('channel-profile', ...Array.from({ length: 5 }, () => tooMany));
		expect((await failure(ednaRequest(again, read))).httpCode).toBe('429');
		expect(again.edna.requests).toHaveLength(5);
		retryPolicy.tooManyRetries = budget;
	});

	test('a send that is not retry-safe is not repeated after a 429 unless a check says it did not go out', async () => {
		const tooMany = { status: 429, title: 'too-many-requests', headers: { 'retry-after': '0' } };
		const plain = executeContext({ parameters: {} });
		plain.edna.fail('cascade/schedule', tooMany);
		expect((await failure(ednaSend(plain, schedule('r-6')))).description).toContain('not sent again');
		expect(plain.edna.requests).toHaveLength(1);

		const checked = executeContext({ parameters: {} });
		checked.edna.fail('cascade/schedule', tooMany);
		const checks: string[] = [];
		const result = await ednaSend(checked, { ...schedule('r-7'), checkAfterTooMany: async () => (checks.push('asked'), undefined) });
		expect(result).toMatchObject({ outcome: 'sent', attempts: 1 });
		expect(checks).toEqual(['asked']);
		expect(checked.edna.accepted).toHaveLength(1);

		const found = executeContext({ parameters: {} });
		found.edna.fail('cascade/schedule', { ...tooMany, afterAccept: true });
		const seen = await ednaSend(found, { ...schedule('r-8'), checkAfterTooMany: async () => ({ outcome: 'alreadySent', response: { checkedIn: 'history' }, attempts: 1 }) });
		expect(seen).toMatchObject({ outcome: 'alreadySent', response: { checkedIn: 'history' } });
		expect(found.edna.requests).toHaveLength(1);
	});

	test('Retry-After is honoured (bounded)', async () => {
		retryPolicy.maxRetryAfterMs = 5;
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('channel-profile', { status: 429, headers: { 'retry-after': '1' } });
		const started = Date.now();
		await ednaRequest(ctx, read);
		expect(Date.now() - started).toBeGreaterThanOrEqual(4);
		retryPolicy.maxRetryAfterMs = 0;
	});
});

describe('errors a user can act on', () => {
	test('every documented code has a hint', () => {
		const codes = [
			'requestId-is-not-unique', 'content-not-specified', 'contentType-not-specified', 'text-not-specified',
			'caption-not-specified', 'action-not-specified', 'attachmentName-not-specified', 'attachmentName-is-too-long',
			'latitude-not-specified', 'longitude-not-specified', 'cascade-not-found',
			"request-doesn't-contain-content-for-all-cascade-stages", 'matched-template-not-found',
			'cascade-scheduling-request-is-not-valid', 'cascade-scheduling-request-not-valid', 'messageId-is-not-unique',
			'sender-not-found', 'template-not-found', 'template-not-approved', 'template-variables-mismatch',
			'phone-not-specified', 'attachment-required', 'subjectId-not-specified', 'in-message-not-found',
			'status-not-valid', 'error-callback-url-not-available', 'error-subject-unknown', 'error-callback-url-max-length',
			'error-callback-url-not-https', 'url-not-specified', 'unauthorized', 'forbidden', 'not-found',
			'method-not-allowed', 'request-body-not-readable', 'too-many-requests', 'system-error',
		];
		for (const code of codes) {
			expect(HINTS[code]).toEqual(expect.any(String));
			expect(hintFor({ status: 400, title: code, detail: '' })).toBe(HINTS[code]);
		}
	});

	test('401 in the user’s words: wrong or expired key, or the webhook key by mistake', async () => {
		const ctx = executeContext({ parameters: {}, credential: { apiKey: WEBHOOK_KEY, baseUrl: BASE_URL } });
		const error = await failure(ednaRequest(ctx, read));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('edna Pulse: unauthorized: Check the spelling and the expiration date of the API key');
		expect(error.description).toContain('wrong or expired');
		expect(error.description).toContain('webhook key');
		expect(error.context.edna).toEqual({ status: 401, title: 'unauthorized', detail: 'Check the spelling and the expiration date of the API key' });
	});

	test('403 names the method group the additional key lacks', async () => {
		const ctx = executeContext({ parameters: {}, credential: { apiKey: WA_ONLY_KEY, baseUrl: BASE_URL } });
		const error = await failure(ednaRequest(ctx, { method: 'POST', path: 'messages/history', body: {}, kind: 'read' }));
		expect(error.httpCode).toBe('403');
		expect(error.description).toContain('additional API key');
		expect(error.description).toContain('"message history" method group');
	});

	test('a 400 carries edna’s title and detail and the code’s hint', async () => {
		const ctx = executeContext({ parameters: {} });
		const error = await failure(
			ednaSend(ctx, { method: 'POST', path: 'cascade/schedule', body: { requestId: 'x', cascadeId: 999 }, duplicateTitle: 'requestId-is-not-unique' }),
		);
		expect(error.message).toBe('edna Pulse: cascade-not-found: Cascade not found');
		expect(error.description).toBe(HINTS['cascade-not-found']);
	});

	test('callback/set style {code} answers, and answers with no body', () => {
		expect(problemOf(400, { code: 'error-subject-unknown' })).toEqual({ status: 400, title: 'error-subject-unknown', detail: '' });
		expect(problemOf(404, '')).toEqual({ status: 404, title: 'not-found', detail: '' });
		expect(problemOf(502, '<html>Bad gateway</html>')).toEqual({ status: 502, title: 'system-error', detail: '<html>Bad gateway</html>' });
		expect(problemOf(418, null).title).toBe('http-418');
	});

	test('a 200 with {"code": "<error>"} is a failure', async () => {
		const ctx = executeContext({ parameters: {} });
		jest.spyOn(ctx.edna, 'request').mockResolvedValueOnce({ statusCode: 200, body: { code: 'error-callback-url-not-available' }, headers: {} });
		const error = await failure(ednaRequest(ctx, { method: 'POST', path: 'callback/set', body: {}, kind: 'read' }));
		expect(error.message).toContain('error-callback-url-not-available');
		expect(error.description).toBe(HINTS['error-callback-url-not-available']);
	});

	test('method groups of the paths (sandbox/README.md, Choices)', () => {
		expect(methodGroupOf('cascade/schedule')).toBe('messaging');
		expect(methodGroupOf('v1/out-messages/whatsapp/template')).toBe('messaging');
		expect(methodGroupOf('/in-message/change-status')).toBe('read receipts');
		expect(methodGroupOf('messages/history')).toBe('message history');
		expect(methodGroupOf('message-matchers/get-by-request')).toBe('templates');
		expect(methodGroupOf('callback/set')).toBe('webhooks');
		expect(methodGroupOf('channel-profile')).toBe('channels');
		expect(methodGroupOf('cascade/get-all')).toBe('cascades');
	});
});

describe('neither key ever travels into an error', () => {
	const keys = [MASTER_KEY, WEBHOOK_KEY];
	const credential = { apiKey: MASTER_KEY, webhookKey: WEBHOOK_KEY, baseUrl: BASE_URL };

	test.each([
		['no answer (n8n puts the request, with its headers, on the error)', { status: 0, noAnswer: 'ECONNREFUSED' }],
		['a 500', { status: 500 }],
		['a 400', { status: 400, title: 'text-not-specified' }],
	])('%s', async (_case, fault) => {
		const ctx = executeContext({ parameters: {}, credential });
		ctx.edna.fail('cascade/schedule', fault);
		const error = await failure(
			ednaSend(ctx, { method: 'POST', path: 'cascade/schedule', body: { requestId: 'k' }, duplicateTitle: 'requestId-is-not-unique' }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		const text = `${allText(error)}\n${JSON.stringify(error)}\n${JSON.stringify(error.toJSON?.() ?? {})}`;
		for (const key of keys) expect(text).not.toContain(key);
	});

	test('the no-answer error says what happened from our own data only', async () => {
		const ctx = executeContext({ parameters: {}, credential });
		ctx.edna.fail('channel-profile', ...[1, 2, 3].map(() => ({ status: 0, noAnswer: 'ECONNREFUSED' })));
		const error = await failure(ednaRequest(ctx, read));
		expect(error.message).toBe('edna Pulse did not answer at http://127.0.0.1:9999');
		expect(error.description).toContain('(ECONNREFUSED)');
		expect(error.description).toContain('tried 3 times');
		expect(error.cause).toBeUndefined();
	});
});

describe('per-run caches', () => {
	test('channels and cascades are read once per node run', async () => {
		const ctx = executeContext({ parameters: {} });
		await Promise.all([getChannels(ctx), getChannels(ctx), getCascades(ctx), getCascades(ctx)]);
		await getChannels(ctx, ['WHATSAPP']);
		expect(ctx.edna.requests.map((r) => `${r.path} ${JSON.stringify(r.qs ?? {})}`)).toEqual([
			'channel-profile {}',
			'cascade/get-all {}',
			'channel-profile {"types":"WHATSAPP"}',
		]);
		expect(ctx.edna.requests[1].body).toEqual({ offset: 0, limit: 0 });
		const other = executeContext({ parameters: {}, edna: ctx.edna });
		await getChannels(other);
		expect(ctx.edna.requests).toHaveLength(4);
	});

	test('a failed read is not cached', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('cascade/get-all', { status: 400, title: 'x' });
		await failure(getCascades(ctx));
		await expect(getCascades(ctx)).resolves.toHaveLength(5);
	});
});

describe('a cascade send that keeps failing', () => {
	test('after three 5xx it says running again is safe', async () => {
		const ctx = executeContext({ parameters: {} });
		ctx.edna.fail('cascade/schedule', { status: 500 }, { status: 500 }, { status: 500 });
		const error = await failure(
			ednaSend(ctx, { method: 'POST', path: 'cascade/schedule', body: { requestId: 's' }, duplicateTitle: 'requestId-is-not-unique', retrySafe: true }),
		);
		expect(error.description).toContain('Running the node again is safe');
		expect(ctx.edna.requests).toHaveLength(3);
	});
});
