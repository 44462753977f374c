// The limits a campaign runs into, as a client notices them: a latency on every API call (answers
// overlap), a rate limit on sends answering 429 with Retry-After (lib/choices.mjs: sends only,
// whole seconds), both changed at run time (setLimits, /sandbox/limits); the send rate the sandbox
// saw (sendStats, /sandbox/stats); a v1 messageId accepted again when the switch is off; and a
// campaign-sized run, with history paged over it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../../sandbox/index.mjs';
import { MASTER, PHONE, api, sandbox, sandboxPost, textSend } from './helpers.mjs';

const WA = 'v1/out-messages/whatsapp/template';
/** A v1 template send (track_parcel) to its own phone, so no two are duplicate content. */
const template = (n, extra = {}) => ({
	sender: 'sandbox_wa',
	phone: String(35791000000 + n),
	templateId: 302,
	textVariables: [`Customer ${n}`],
	buttonVariables: [`P-${n}`],
	...extra,
});
const TOO_MANY = {
	title: 'too-many-requests',
	status: 429,
	detail: 'Too many requests. Try again later.',
};

/** Calls the API and keeps what `api()` drops: the headers and the time the answer took. */
async function call(sb, path, body, { key = MASTER } = {}) {
	const t0 = performance.now();
	const res = await fetch(`${sb.apiUrl}/${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json', ...(key && { 'x-api-key': key }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const answer = await res.json();
	return { status: res.status, body: answer, headers: res.headers, ms: performance.now() - t0 };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('latencyMs: every API call is answered that much later, and calls at once overlap', async () => {
	const sb = await sandbox({ latencyMs: 120 });
	const one = await call(sb, 'channel-profile');
	assert.equal(one.status, 200);
	assert.ok(one.ms >= 115, `answered after ${one.ms} ms`);
	const unknown = await call(sb, 'no-such-endpoint');
	assert.equal(unknown.status, 404);
	assert.ok(unknown.ms >= 115, 'errors wait as well');
	const t0 = performance.now();
	const many = await Promise.all(Array.from({ length: 10 }, (_, n) => call(sb, WA, template(n))));
	const took = performance.now() - t0;
	assert.deepEqual(
		many.map((r) => r.status),
		Array(10).fill(200),
	);
	assert.ok(took < 600, `10 calls at once took ${took} ms: they wait side by side, not in turn`);
	assert.equal(sb.sendStats().inFlightPeak, 10, 'ten requests were being answered at once');
	const page = performance.now();
	await fetch(`${sb.url}/sandbox/state`);
	assert.ok(performance.now() - page < 100, '/sandbox endpoints are not edna: no latency');
});

test('rateLimit: sends over the limit answer 429 with the body of a fault and Retry-After in whole seconds', async () => {
	const sb = await sandbox({ rateLimit: { perSecond: 0.25, burst: 2 } });
	assert.equal((await call(sb, WA, template(1))).status, 200);
	assert.equal((await call(sb, 'cascade/schedule', textSend('rl-1'))).status, 200);
	const refused = await call(sb, 'cascade/schedule', textSend('rl-2'));
	assert.equal(refused.status, 429);
	assert.deepEqual(refused.body, TOO_MANY);
	// one token every 4 s, the bucket just emptied: the next is free in a little under 4 s
	assert.equal(refused.headers.get('retry-after'), '4');
	const v1 = await call(sb, WA, template(2, { messageId: 'rl-v1' }));
	assert.equal(v1.status, 429);
	assert.equal(v1.headers.get('retry-after'), '4');

	const entry = sb.record.requests({ path: 'cascade/schedule' }).at(-1);
	assert.equal(entry.status, 429);
	assert.deepEqual(entry.answer, TOO_MANY);
	assert.deepEqual(entry.answerHeaders, { 'retry-after': '4' });
	assert.equal(sb.account.outMessages.length, 2, 'a refused send is not accepted');

	// other method groups do not count, nor use up a token
	assert.equal((await call(sb, 'channel-profile')).status, 200);
	assert.equal((await call(sb, 'messages/history', {})).status, 200);
	assert.equal((await call(sb, 'cascade/get-all', {})).status, 200);
	assert.equal((await call(sb, 'message-matchers/get-by-request', { subjectId: 101 })).status, 200);
	const stats = sb.sendStats();
	assert.equal(stats.accepted, 2);
	assert.equal(stats.refused429, 2);
});

test('rateLimit: a refused send takes no ID; a request refused for its key takes no token', async () => {
	const sb = await sandbox({ rateLimit: { perSecond: 2 } });
	assert.deepEqual(sb.limits().rateLimit, { perSecond: 2, burst: 2 }, 'burst defaults to the rate');
	const unauthorized = await call(sb, 'cascade/schedule', textSend('id-0'), { key: 'not-a-key' });
	assert.equal(unauthorized.status, 401);
	assert.equal((await call(sb, 'cascade/schedule', textSend('id-1'))).status, 200);
	assert.equal((await call(sb, WA, template(1, { messageId: 'id-v1' }))).status, 200);
	const refused = await call(sb, 'cascade/schedule', textSend('id-2'));
	const refusedV1 = await call(sb, WA, template(2, { messageId: 'id-v1-2' }));
	assert.deepEqual([refused.status, refusedV1.status], [429, 429]);
	assert.equal(refused.headers.get('retry-after'), '1', 'a token every 0.5 s: rounded up to 1');
	await sleep(Number(refused.headers.get('retry-after')) * 1000);
	assert.equal((await call(sb, 'cascade/schedule', textSend('id-2'))).status, 200);
	assert.equal((await call(sb, WA, template(2, { messageId: 'id-v1-2' }))).status, 200);
	assert.deepEqual(
		sb.account.outMessages.map((m) => m.requestId),
		['id-1', 'id-v1', 'id-2', 'id-v1-2'],
	);
});

test('setLimits and /sandbox/limits change latency and rate limit at run time', async () => {
	const sb = await sandbox();
	const get = async () => (await fetch(`${sb.url}/sandbox/limits`)).json();
	assert.deepEqual(await get(), { latencyMs: 0, rateLimit: null, v1MessageIdUnique: true });

	const set = await sandboxPost(sb, '/sandbox/limits', { rateLimit: { perSecond: 1 } });
	assert.deepEqual(set, {
		status: 200,
		body: { latencyMs: 0, rateLimit: { perSecond: 1, burst: 1 }, v1MessageIdUnique: true },
	});
	assert.equal((await call(sb, WA, template(1))).status, 200);
	assert.equal((await call(sb, WA, template(2))).status, 429);
	await sandboxPost(sb, '/sandbox/limits', { rateLimit: null });
	assert.equal((await call(sb, WA, template(3))).status, 200, 'rateLimit null: no limit');

	assert.deepEqual(sb.setLimits({ latencyMs: 100, rateLimit: { perSecond: 5, burst: 1 } }), {
		latencyMs: 100,
		rateLimit: { perSecond: 5, burst: 1 },
		v1MessageIdUnique: true,
	});
	const slow = await call(sb, WA, template(4));
	assert.equal(slow.status, 200, 'a new rate limit starts with a full bucket');
	assert.ok(slow.ms >= 95, `answered after ${slow.ms} ms`);
	const limited = await call(sb, WA, template(5));
	assert.equal(limited.status, 429, 'a token every 200 ms, and only 100 ms went by');
	assert.ok(limited.ms >= 95, 'a 429 waits out the latency as well');
	sb.setLimits({ latencyMs: 0 });
	assert.deepEqual(sb.limits().rateLimit, { perSecond: 5, burst: 1 }, 'what is not given stays');
	assert.deepEqual(await get(), sb.limits());

	for (const bad of [
		{ latencyMs: -1 },
		{ latencyMs: '50' },
		{ rateLimit: { perSecond: 0 } },
		{ rateLimit: { perSecond: 10, burst: 0.5 } },
		{ rateLimit: 10 },
		{ v1MessageIdUnique: 'no' },
		{ latency: 50 },
	]) {
		const res = await sandboxPost(sb, '/sandbox/limits', bad);
		assert.equal(res.status, 400, JSON.stringify(bad));
		assert.ok(res.body.error, JSON.stringify(bad));
		assert.throws(() => sb.setLimits(bad), JSON.stringify(bad));
	}
	assert.deepEqual(sb.limits(), {
		latencyMs: 0,
		rateLimit: { perSecond: 5, burst: 1 },
		v1MessageIdUnique: true,
	});
	await assert.rejects(start({ rateLimit: { perSecond: -1 } }), /perSecond/);
	await assert.rejects(start({ latencyMs: Number.NaN }), /latencyMs/);
});

test('sendStats and /sandbox/stats: accepted sends, 429s, the rate and its peak; reset clears them', async () => {
	const sb = await sandbox();
	assert.deepEqual(sb.sendStats(), {
		accepted: 0,
		refused429: 0,
		firstAt: null,
		lastAt: null,
		perSecond: null,
		peakPerSecond: 0,
		inFlight: 0,
		inFlightPeak: 0,
	});
	// paced: one send every 100 ms
	const t0 = Date.now();
	for (let n = 0; n < 6; n++) {
		if (n) await sleep(100);
		assert.equal((await call(sb, WA, template(n))).status, 200);
	}
	let stats = sb.sendStats();
	assert.equal(stats.accepted, 6);
	assert.ok(stats.firstAt >= t0 && stats.lastAt >= stats.firstAt + 500, JSON.stringify(stats));
	assert.ok(stats.perSecond > 6 && stats.perSecond <= 10.2, `perSecond ${stats.perSecond}`);
	assert.equal(stats.peakPerSecond, 6, 'six sends within one second');

	// not counted: refused sends, sends answered with a fault, other endpoints
	assert.equal((await call(sb, WA, template(99, { templateId: 999 }))).status, 400);
	sb.faults.add({ path: WA, status: 500, afterAccept: true });
	assert.equal((await call(sb, WA, template(98))).status, 500);
	assert.equal((await call(sb, 'messages/history', {})).status, 200);
	assert.equal(sb.sendStats().accepted, 6);

	// at once: 20 sends in the same second
	const burst = await Promise.all(
		Array.from({ length: 20 }, (_, n) => call(sb, 'cascade/schedule', textSend(`stats-${n}`))),
	);
	assert.ok(burst.every((r) => r.status === 200));
	stats = sb.sendStats();
	assert.equal(stats.accepted, 26);
	assert.ok(stats.peakPerSecond >= 20, `peakPerSecond ${stats.peakPerSecond}`);
	assert.ok(stats.inFlightPeak >= 1 && stats.inFlight === 0, JSON.stringify(stats));
	const overHttp = await (await fetch(`${sb.url}/sandbox/stats`)).json();
	assert.deepEqual(overHttp, sb.sendStats());

	await sandboxPost(sb, '/sandbox/reset');
	stats = sb.sendStats();
	assert.deepEqual(
		[stats.accepted, stats.refused429, stats.firstAt, stats.perSecond, stats.peakPerSecond],
		[0, 0, null, null, 0],
	);
});

test('v1MessageIdUnique false: a v1 messageId used again is a new message; setLimits turns it back on', async () => {
	const sb = await sandbox({ v1MessageIdUnique: false });
	const first = await call(sb, WA, template(1, { messageId: 'again' }));
	const second = await call(sb, WA, template(2, { messageId: 'again' }));
	assert.deepEqual([first.status, second.status], [200, 200]);
	assert.equal(second.body.messageId, 'again');
	assert.notEqual(second.body.outMessageId, first.body.outMessageId);
	assert.deepEqual(
		sb.account.outMessages.map((m) => [m.v1MessageId, m.address]),
		[
			['again', '35791000001'],
			['again', '35791000002'],
		],
	);
	// cascade/schedule's requestId is not affected
	assert.equal((await call(sb, 'cascade/schedule', textSend('rid'))).status, 200);
	const rid = await call(sb, 'cascade/schedule', textSend('rid', 'other text'));
	assert.equal(rid.body.title, 'requestId-is-not-unique');

	assert.equal(sb.setLimits({ v1MessageIdUnique: true }).v1MessageIdUnique, true);
	const third = await call(sb, WA, template(3, { messageId: 'again' }));
	assert.equal(third.status, 400);
	assert.equal(third.body.title, 'messageId-is-not-unique');
	await sandboxPost(sb, '/sandbox/limits', { v1MessageIdUnique: false });
	assert.equal((await call(sb, WA, template(4, { messageId: 'again' }))).status, 200);
});

test('a campaign: 1,200 v1 sends 20 at a time with latency, then history paged over them', async () => {
	const sb = await sandbox({ latencyMs: 10 });
	await sb.customer.send({ phone: PHONE, text: 'an incoming message, not in an OUT history' });
	const from = new Date(Date.now() - 1000).toISOString();
	const N = 1200;
	let next = 0;
	const worker = async () => {
		while (next < N) {
			const n = next++;
			const res = await call(sb, WA, template(n, { messageId: `campaign-${n}` }));
			assert.equal(res.status, 200, JSON.stringify(res.body));
		}
	};
	await Promise.all(Array.from({ length: 20 }, worker));
	const stats = sb.sendStats();
	assert.equal(stats.accepted, N);
	// never more at once than the client sends (fewer when the client is slower than the latency)
	assert.ok(
		stats.inFlightPeak > 1 && stats.inFlightPeak <= 20,
		`inFlightPeak ${stats.inFlightPeak}`,
	);
	const seen = [];
	for (let offset = 0; ; offset += 1000) {
		const page = await api(sb, 'messages/history', {
			direction: 'OUT',
			subjectId: 101,
			dateFrom: from,
			limit: 1000,
			offset,
		});
		assert.equal(page.status, 200);
		seen.push(...page.body.content);
		if (!page.body.hasNext) break;
	}
	assert.equal(seen.length, N);
	assert.equal(new Set(seen.map((m) => m.requestId)).size, N, 'each send once');
	assert.ok(seen.every((m) => m.direction === 'OUT'));
	const one = await api(sb, 'messages/history', {
		subscriberFilter: { address: '35791000777' },
		direction: 'OUT',
	});
	assert.deepEqual(
		one.body.content.map((m) => m.requestId),
		['campaign-777'],
	);
});

test('stop() does not wait for answers still waiting out their latency', async () => {
	const sb = await start({ latencyMs: 60_000 });
	const pending = fetch(`${sb.apiUrl}/channel-profile`, { headers: { 'x-api-key': MASTER } });
	await sb.record.waitForRequest((e) => e.path === 'channel-profile');
	assert.equal(sb.sendStats().inFlight, 1);
	const t0 = performance.now();
	await sb.stop();
	assert.ok(performance.now() - t0 < 1000, 'stopped at once');
	await assert.rejects(pending, 'the caller loses the connection, as when edna goes away');
	// node:test would report this file as hanging if the 60 s timer were left behind
});
