/**
 * Hardening of the webhook key check: what it compares, every accepted and rejected form through
 * the real webhook(), rotation, and what a rejected request leaves behind (no body read, no run,
 * no key in the answer or the log, an open test listener).
 */
import { checkWebhookKey, sameKey } from '../../../nodes/EdnaPulse/trigger/auth';
import { KEY_LIFETIME_MS, REREAD_INTERVAL_MS } from '../../../nodes/EdnaPulse/trigger/webhookKeys';
import { fixture } from '../../support/fixtures';
import { answerOf, callWebhook, logLines, TEST_KEY } from '../../support/webhook';

/** Byte lengths of both sides of every constant-time comparison made. */
const mockCompared: Array<[number, number]> = [];
jest.mock('crypto', () => {
	const actual = jest.requireActual<typeof import('crypto')>('crypto');
	return {
		...actual,
		timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
			mockCompared.push([a.byteLength, b.byteLength]);
			return actual.timingSafeEqual(a, b);
		},
	};
});

const EVENT = fixture('messageStatus', 'delivered');
const JSON_TYPE = { 'content-type': 'application/json' };

async function post(headers: Record<string, string | string[]>, credentialKey = TEST_KEY, mode?: 'manual' | 'webhook') {
	const call = await callWebhook({
		parameters: { event: 'messageStatus' },
		headers: { ...JSON_TYPE, ...headers },
		json: EVENT,
		credential: { webhookKey: credentialKey },
		mode,
	});
	return { call, answer: answerOf(call) };
}

describe('the comparison', () => {
	beforeEach(() => {
		mockCompared.length = 0;
	});

	test('only ever compares two 32-byte digests, whatever the lengths, so timing cannot reveal the key length', () => {
		const presented = ['', 'k', TEST_KEY.slice(0, -1), TEST_KEY, `${TEST_KEY}x`, 'x'.repeat(65_536)];
		for (const value of presented) {
			checkWebhookKey({ authorization: `Token ${value}` }, TEST_KEY);
			sameKey(value, TEST_KEY);
		}
		expect(mockCompared.length).toBeGreaterThanOrEqual(presented.length * 2);
		for (const [a, b] of mockCompared) {
			expect(a).toBe(32);
			expect(b).toBe(32);
		}
	});

	test('keys of very different lengths are told apart without throwing', () => {
		expect(sameKey('a', 'a'.repeat(100_000))).toBe(false);
		expect(sameKey('a'.repeat(100_000), 'a')).toBe(false);
		expect(sameKey('', TEST_KEY)).toBe(false);
		expect(sameKey('a'.repeat(100_000), 'a'.repeat(100_000))).toBe(true);
	});

	test('every candidate header value is compared, not only until the first match', () => {
		expect(checkWebhookKey({ authorization: `Token ${TEST_KEY}`, 'x-api-key': 'other' }, TEST_KEY)).toBe('ok');
		const whenTheFirstMatches = mockCompared.length;
		mockCompared.length = 0;
		expect(checkWebhookKey({ authorization: 'Token other', 'x-api-key': TEST_KEY }, TEST_KEY)).toBe('ok');
		expect(whenTheFirstMatches).toBe(3);
		expect(mockCompared.length).toBe(whenTheFirstMatches);
	});
});

describe('accepted forms start a run', () => {
	test.each([
		['Authorization: Token <key>', { authorization: `Token ${TEST_KEY}` }],
		['Authorization: token <key>', { authorization: `token ${TEST_KEY}` }],
		['Authorization: TOKEN <key>', { authorization: `TOKEN ${TEST_KEY}` }],
		['Authorization: tOkEn <key>', { authorization: `tOkEn ${TEST_KEY}` }],
		['Authorization: Token, a tab, <key>', { authorization: `Token\t${TEST_KEY}` }],
		['Authorization: Bearer <key>', { authorization: `Bearer ${TEST_KEY}` }],
		['Authorization: bearer <key>', { authorization: `bearer ${TEST_KEY}` }],
		['Authorization: <key> (bare)', { authorization: TEST_KEY }],
		['X-API-KEY: <key>', { 'x-api-key': TEST_KEY }],
		['a wrong Authorization but the right X-API-KEY', { authorization: 'Token wrong', 'x-api-key': TEST_KEY }],
	])('%s', async (_name, headers) => {
		const { call, answer } = await post(headers);
		expect(answer.status).toBe(200);
		expect(call.items).toHaveLength(1);
	});

	test('a key saved with spaces around it (pasted) still matches', async () => {
		const { call } = await post({ authorization: `Token ${TEST_KEY}` }, `  ${TEST_KEY}\n`);
		expect(call.items).toHaveLength(1);
	});

	test('a 4 KB key matches itself and nothing shorter', async () => {
		const long = `k${'0123456789abcdef'.repeat(256)}`;
		expect((await post({ authorization: `Token ${long}` }, long)).call.items).toHaveLength(1);
		expect((await post({ authorization: `Token ${long.slice(0, -1)}` }, long)).answer.status).toBe(403);
	});
});

describe('rejected forms: 401 without a key, 403 with a wrong one; no run, body unread', () => {
	test.each([
		['no key header', {}, 401],
		['an empty Authorization', { authorization: '' }, 401],
		['an Authorization of spaces', { authorization: '   ' }, 401],
		['an empty X-API-KEY', { 'x-api-key': '' }, 401],
		['Basic with the key as password', { authorization: `Basic ${Buffer.from(`user:${TEST_KEY}`).toString('base64')}` }, 403],
		['Basic <key>', { authorization: `Basic ${TEST_KEY}` }, 403],
		['Digest <key>', { authorization: `Digest ${TEST_KEY}` }, 403],
		['Token without a key', { authorization: 'Token' }, 403],
		['a wrong key', { authorization: 'Token wrong-key' }, 403],
		['the key in other letter case', { authorization: `Token ${TEST_KEY.toUpperCase()}` }, 403],
		['the key less its last character', { authorization: `Token ${TEST_KEY.slice(0, -1)}` }, 403],
		['the key and one more character', { authorization: `Token ${TEST_KEY}0` }, 403],
		['the key twice', { authorization: `Token ${TEST_KEY}${TEST_KEY}` }, 403],
		['the key after another word', { authorization: `Key ${TEST_KEY}` }, 403],
		['Token Token <key>', { authorization: `Token Token ${TEST_KEY}` }, 403],
		['the key with a space inside', { authorization: `Token ${TEST_KEY.slice(0, 5)} ${TEST_KEY.slice(5)}` }, 403],
		['the key as the X-API-KEY of a joined repeat', { 'x-api-key': `${TEST_KEY}, ${TEST_KEY}` }, 403],
		['64 KB of garbage', { authorization: `Token ${'A'.repeat(65_536)}` }, 403],
		['unicode garbage', { authorization: 'Token ключ-🔑-\u200b' }, 403],
	])('%s → %d', async (_name, headers, status) => {
		const { call, answer } = await post(headers as Record<string, string>);
		expect(answer.status).toBe(status);
		expect(call.items).toBeUndefined();
		expect(call.result.workflowData).toBeUndefined();
		expect(call.bodyRead).toBe(false);
		expect(JSON.stringify(answer.body)).not.toContain(TEST_KEY);
	});

	test('a credential whose key is blank accepts nothing, not even an empty key', async () => {
		expect((await post({ authorization: 'Token ' }, '')).answer.status).toBe(403);
		expect((await post({ authorization: 'Token x' }, '   ')).answer.status).toBe(403);
		expect((await post({ authorization: '' }, '')).answer.status).toBe(401);
	});
});

describe('key rotation (the key is held for at most KEY_LIFETIME_MS, webhookKeys.ts)', () => {
	const [before, after] = [`${TEST_KEY}-before`, `${TEST_KEY}-after`];
	let now = 1_000_000;
	beforeEach(() => {
		jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => jest.restoreAllMocks());

	test('the new key is accepted at once, and from then on the old one is refused', async () => {
		expect((await post({ authorization: `Token ${before}` }, before)).call.items).toHaveLength(1);
		// The credential now holds the new key (as after editing it in n8n); nothing restarted.
		now += 10;
		expect((await post({ authorization: `Token ${after}` }, after)).call.items).toHaveLength(1);
		now += 10;
		expect((await post({ authorization: `Token ${before}` }, after)).answer.status).toBe(403);
	});

	test('while only the old key is sent, it stops working once the held key expires', async () => {
		expect((await post({ authorization: `Token ${before}` }, before)).call.items).toHaveLength(1);
		now += KEY_LIFETIME_MS - 1;
		expect((await post({ authorization: `Token ${before}` }, after)).call.items).toHaveLength(1);
		now += 1;
		expect((await post({ authorization: `Token ${before}` }, after)).answer.status).toBe(403);
		expect((await post({ authorization: `Token ${after}` }, after)).call.items).toHaveLength(1);
	});

	test('a deleted credential answers 500 once the held key expires, and at once to a key it does not hold', async () => {
		expect((await post({ authorization: `Token ${before}` }, before)).call.items).toHaveLength(1);
		const gone = (headers: Record<string, string>) =>
			callWebhook({ parameters: { event: 'messageStatus' }, headers: { ...JSON_TYPE, ...headers }, json: EVENT, credentialFails: true });
		expect(answerOf(await gone({ authorization: `Token ${before}x` })).status).toBe(500);
		// The failed read dropped what was held.
		expect(answerOf(await gone({ authorization: `Token ${before}` })).status).toBe(500);
	});
});

describe('reading the credential', () => {
	let now = 2_000_000;
	const reads: string[] = [];
	const store = (key: string) => async (id: string) => {
		reads.push(id);
		return { webhookKey: key };
	};
	beforeEach(() => {
		reads.length = 0;
		jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => jest.restoreAllMocks());
	const send = (key: string, options: { workflowId?: string; credentialId?: string; stored?: string } = {}) =>
		callWebhook({
			parameters: { event: 'messageStatus' },
			headers: { ...JSON_TYPE, authorization: `Token ${key}` },
			json: EVENT,
			workflowId: options.workflowId,
			credentialId: options.credentialId,
			credentialStore: store(options.stored ?? TEST_KEY),
		}).then(answerOf);

	test('accepted requests read it once per KEY_LIFETIME_MS', async () => {
		for (let i = 0; i < 20; i++) expect((await send(TEST_KEY)).status).toBe(200);
		expect(reads).toHaveLength(1);
		now += KEY_LIFETIME_MS;
		expect((await send(TEST_KEY)).status).toBe(200);
		expect(reads).toHaveLength(2);
	});

	test('a flood of wrong keys reads it once at a time and at most once per REREAD_INTERVAL_MS', async () => {
		const flood = await Promise.all(Array.from({ length: 50 }, (_, i) => send(`wrong-${i}`)));
		expect(flood.every((a) => a.status === 403)).toBe(true);
		expect(reads).toHaveLength(1);
		// The first key that does not match what is held may be a new one: one re-read, then none.
		for (let i = 0; i < 50; i++) expect((await send(`wrong-again-${i}`)).status).toBe(403);
		expect(reads).toHaveLength(2);
		now += REREAD_INTERVAL_MS;
		expect((await send('wrong-later')).status).toBe(403);
		expect((await send('wrong-later')).status).toBe(403);
		expect(reads).toHaveLength(3);
		// The right key is still accepted without a read.
		expect((await send(TEST_KEY)).status).toBe(200);
		expect(reads).toHaveLength(3);
	});

	test('what is held for one workflow is never used for another, even with the same credential ID', async () => {
		expect((await send(TEST_KEY, { workflowId: 'wf-x', credentialId: 'cred-shared' })).status).toBe(200);
		expect((await send(TEST_KEY, { workflowId: 'wf-y', credentialId: 'cred-shared', stored: 'another-key' })).status).toBe(403);
		expect((await send(TEST_KEY, { workflowId: 'wf-x', credentialId: 'cred-other', stored: 'another-key' })).status).toBe(403);
		expect(reads).toEqual(['cred-shared', 'cred-shared', 'cred-other']);
	});
});

describe('what a rejected request leaves behind', () => {
	test('in a test listener ("manual" mode) it starts nothing, so the listener stays open for edna’s real event', async () => {
		const rejected = await post({ authorization: 'Token wrong' }, TEST_KEY, 'manual');
		expect(rejected.answer.status).toBe(403);
		expect(rejected.call.result).toEqual({ noWebhookResponse: true });
		const accepted = await post({ authorization: `Token ${TEST_KEY}` }, TEST_KEY, 'manual');
		expect(accepted.call.items).toHaveLength(1);
	});

	test('n8n’s log says why, never with the key', async () => {
		logLines.length = 0;
		await post({ authorization: `Token ${TEST_KEY}x` });
		await post({});
		expect(logLines.some((line) => line.includes('wrong webhook key'))).toBe(true);
		expect(logLines.some((line) => line.includes('no webhook key'))).toBe(true);
		expect(logLines.some((line) => line.includes(TEST_KEY))).toBe(false);
	});
});
