import { sleep } from 'n8n-workflow';

import { runPaced, recipientLines, type PaceRun, type PaceSettings } from '../../../../nodes/EdnaPulse/actions/message/pace';
import { createLimiter, realClock } from '../../../../nodes/EdnaPulse/transport/limiter';

const wait = async (ms: number) => await sleep(ms);

/** Runs `keys` through the pacer with work that takes `ms`, recording when each item started and ended. */
async function paced(keys: Array<string | undefined>, settings: PaceSettings, ms = 15, extra: Partial<PaceRun<number>> = {}) {
	const limiter = createLimiter(realClock);
	const log: Array<{ index: number; start: number; end: number }> = [];
	let inFlight = 0;
	let peak = 0;
	const results = await runPaced<number>({
		keys,
		settings,
		limiter,
		stopOnError: false,
		work: async (index) => {
			const start = Date.now();
			peak = Math.max(peak, ++inFlight);
			await wait(ms);
			inFlight--;
			log.push({ index, start, end: Date.now() });
			return index * 10;
		},
		...extra,
	});
	const of = (index: number) => log.find((l) => l.index === index) as { start: number; end: number };
	return { results, log, peak, of, limiter };
}

const keysOf = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

describe('the pacer', () => {
	test('never more than Parallel Sends in flight; every item runs once; outcomes stay at their input index', async () => {
		const { results, peak, log } = await paced(keysOf(20), { concurrency: 4, perSecond: 0, spacingMs: 0 });
		expect(peak).toBe(4);
		expect(log.map((l) => l.index).sort((a, b) => a - b)).toEqual(keysOf(20).map((_, i) => i));
		expect(results).toEqual(keysOf(20).map((_, i) => ({ value: i * 10 })));
	});

	test('one at a time runs the items in input order', async () => {
		const { log } = await paced(keysOf(6), { concurrency: 1, perSecond: 0, spacingMs: 0 }, 2);
		expect(log.map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5]);
	});

	test("one recipient's items go in order, each at least the spacing after the previous one ended; the others do not wait for them", async () => {
		const keys = ['a', 'b', 'a', 'c', 'a', 'd'];
		const { of, log } = await paced(keys, { concurrency: 3, perSecond: 0, spacingMs: 80 }, 10);
		expect(of(2).start - of(0).end).toBeGreaterThanOrEqual(79);
		expect(of(4).start - of(2).end).toBeGreaterThanOrEqual(79);
		// b, c and d start before a's second message could
		for (const other of [1, 3, 5]) expect(of(other).start).toBeLessThan(of(2).start);
		expect(log.filter((l) => keys[l.index] === 'a').map((l) => l.index)).toEqual([0, 2, 4]);
	});

	test('items without a recipient (undefined) are not spaced against each other', async () => {
		const { of } = await paced([undefined, undefined], { concurrency: 2, perSecond: 0, spacingMs: 1000 }, 5);
		expect(Math.abs(of(1).start - of(0).start)).toBeLessThan(500);
	});

	test('the ceiling: starts at most Max Sends per Second, whatever the concurrency', async () => {
		const { log } = await paced(keysOf(10), { concurrency: 10, perSecond: 50, spacingMs: 0 }, 1);
		const starts = log.map((l) => l.start).sort((a, b) => a - b);
		for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(19);
	});

	test("after edna's 429 nothing starts until Retry-After has passed, and the pace is halved", async () => {
		const limiter = createLimiter(realClock);
		const times: Array<{ start: number; end: number }> = [];
		await paced(keysOf(4), { concurrency: 1, perSecond: 0, spacingMs: 0 }, 2, {
			limiter,
			work: async (index) => {
				const start = Date.now();
				if (index === 2) limiter.tooMany(150);
				await wait(2);
				times[index] = { start, end: Date.now() };
				return index;
			},
		});
		expect(times[3].start - times[2].start).toBeGreaterThanOrEqual(148);
		expect(limiter.tooManyCount).toBe(1);
		expect(limiter.allowedPerSecond(Date.now())).toBeLessThan(Infinity);
	});

	test('429s of requests in flight together slow down once; without any the pace recovers fully', () => {
		let now = 0;
		const limiter = createLimiter({ now: () => now, sleep: async () => undefined });
		for (let i = 0; i < 40; i++) limiter.started((now += 25));
		limiter.tooMany(1000);
		limiter.tooMany(1000);
		limiter.tooMany(1000);
		expect(limiter.allowedPerSecond(now + 1000)).toBeCloseTo(20, 0);
		expect(limiter.allowedPerSecond(now + 1000 + 60_000)).toBe(Infinity);
	});

	test('with Stop On Error, nothing starts after a failure; the items that did not run have no outcome', async () => {
		const results = await runPaced<number>({
			keys: keysOf(5),
			settings: { concurrency: 1, perSecond: 0, spacingMs: 0 },
			limiter: createLimiter(realClock),
			stopOnError: true,
			work: async (index) => {
				if (index === 1) throw new Error('refused');
				return index;
			},
		});
		expect(results[0]).toEqual({ value: 0 });
		expect(results[1]).toEqual({ error: new Error('refused') });
		expect(results.slice(2)).toEqual([undefined, undefined, undefined]);
	});

	test('100,000 items, some recipients many times: each runs once, one recipient\'s in input order', async () => {
		const n = 100_000;
		const keys = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? `r${i % 1000}` : `u${i}`));
		const ran = new Int32Array(n);
		const lastOf = new Map<string, number>();
		let outOfOrder = 0;
		const results = await runPaced<number>({
			keys,
			settings: { concurrency: 50, perSecond: 0, spacingMs: 0 },
			limiter: createLimiter(realClock),
			stopOnError: false,
			work: async (index) => {
				ran[index]++;
				const key = keys[index];
				if ((lastOf.get(key) ?? -1) > index) outOfOrder++;
				lastOf.set(key, index);
				return index;
			},
		});
		expect(ran.every((count) => count === 1)).toBe(true);
		expect(outOfOrder).toBe(0);
		expect(results.filter((r) => r !== undefined)).toHaveLength(n);
	});

	test('items refused before the batch are skipped, and do not hold up their recipient', async () => {
		const { log, of } = await paced(['a', 'a', 'a'], { concurrency: 2, perSecond: 0, spacingMs: 60 }, 5, { skip: new Set([1]) });
		expect(log.map((l) => l.index)).toEqual([0, 2]);
		expect(of(2).start - of(0).end).toBeGreaterThanOrEqual(59);
		expect(recipientLines(['a', 'b', 'a'], new Set([0])).first).toEqual([1, 2]);
	});
});
