import { sleep } from 'n8n-workflow';

import { realClock, type Limiter } from '../../transport/limiter';

/**
 * The pacer of a batch of sends: at most `concurrency` items in flight, starts at most `perSecond`
 * a second (and slower after edna's 429s: the limiter), and the items of one recipient in input
 * order, each started `spacingMs` after the previous one of that recipient finished (WhatsApp takes
 * one message per 6 s to one person). Other items go on meanwhile, lowest index first. Each item's
 * outcome is kept at its index, so the output keeps the input's order.
 */
export interface PaceSettings {
	concurrency: number;
	/** 0: no ceiling. */
	perSecond: number;
	spacingMs: number;
}

export type Settled<T> = { value: T } | { error: unknown };

export interface PaceClock {
	now(): number;
}

export interface PaceRun<T> {
	/** The recipient of each item (undefined: not spaced). */
	keys: ReadonlyArray<string | undefined>;
	settings: PaceSettings;
	limiter: Limiter;
	/** Stop starting items after the first failure (n8n's default when Continue On Fail is off). */
	stopOnError: boolean;
	work(index: number): Promise<T>;
	/** Skip items (refused before the batch): they are not run and keep an undefined outcome. */
	skip?: ReadonlySet<number>;
	onSettled?(index: number, outcome: Settled<T>): void;
	clock?: PaceClock;
}

/** A binary min-heap of numbers ordered by `rank`. */
class Heap {
	private readonly items: number[] = [];
	constructor(private readonly rank: (n: number) => number) {}
	get size(): number {
		return this.items.length;
	}
	peek(): number | undefined {
		return this.items[0];
	}
	push(n: number): void {
		const a = this.items;
		a.push(n);
		for (let i = a.length - 1; i > 0; ) {
			const parent = (i - 1) >> 1;
			if (this.rank(a[parent]) <= this.rank(a[i])) break;
			[a[parent], a[i]] = [a[i], a[parent]];
			i = parent;
		}
	}
	pop(): number | undefined {
		const a = this.items;
		const top = a[0];
		const last = a.pop();
		if (a.length > 0 && last !== undefined) {
			a[0] = last;
			for (let i = 0; ; ) {
				const l = 2 * i + 1;
				const r = l + 1;
				let min = i;
				if (l < a.length && this.rank(a[l]) < this.rank(a[min])) min = l;
				if (r < a.length && this.rank(a[r]) < this.rank(a[min])) min = r;
				if (min === i) break;
				[a[min], a[i]] = [a[i], a[min]];
				i = min;
			}
		}
		return top;
	}
}

/** For each item, the next item of the same recipient (-1: none); and which items start a recipient's line. */
export function recipientLines(keys: ReadonlyArray<string | undefined>, skip?: ReadonlySet<number>): { next: Int32Array; first: number[] } {
	const next = new Int32Array(keys.length).fill(-1);
	const last = new Map<string, number>();
	const first: number[] = [];
	keys.forEach((key, i) => {
		if (skip?.has(i)) return;
		const before = key === undefined ? undefined : last.get(key);
		if (before === undefined) first.push(i);
		else next[before] = i;
		if (key !== undefined) last.set(key, i);
	});
	return { next, first };
}

export async function runPaced<T>(run: PaceRun<T>): Promise<Array<Settled<T> | undefined>> {
	const clock = run.clock ?? realClock;
	const { settings, limiter } = run;
	const concurrency = Math.max(1, Math.floor(settings.concurrency));
	const results = new Array<Settled<T> | undefined>(run.keys.length);
	const { next, first } = recipientLines(run.keys, run.skip);
	const readyAt = new Float64Array(run.keys.length);
	const ready = new Heap((i) => i);
	const waiting = new Heap((i) => readyAt[i]);
	for (const i of first) ready.push(i);

	let inFlight = 0;
	let stopped = false;
	let lastStart = -Infinity;
	let wake: (() => void) | undefined;

	const settle = (index: number, outcome: Settled<T>) => {
		results[index] = outcome;
		inFlight--;
		if ('error' in outcome && run.stopOnError) stopped = true;
		run.onSettled?.(index, outcome);
		const after = next[index];
		if (after >= 0) {
			readyAt[after] = clock.now() + settings.spacingMs;
			if (settings.spacingMs > 0) waiting.push(after);
			else ready.push(after);
		}
		wake?.();
	};
	const start = (index: number) => {
		inFlight++;
		lastStart = clock.now();
		limiter.started(lastStart);
		run.work(index).then(
			(value) => settle(index, { value }),
			(error: unknown) => settle(index, { error }),
		);
	};
	/** Waits `ms` (Infinity: only) until an item settles. */
	const pause = async (ms: number) => {
		// n8n 1.x's sleep takes no abort signal: the timer of a wait cut short just runs out.
		const settledOne = new Promise<void>((resolve) => (wake = resolve));
		await (Number.isFinite(ms) ? Promise.race([settledOne, sleep(Math.max(0, ms))]) : settledOne);
		wake = undefined;
	};

	for (;;) {
		const now = clock.now();
		while (waiting.size > 0 && readyAt[waiting.peek() as number] <= now) ready.push(waiting.pop() as number);
		if (stopped || (ready.size === 0 && waiting.size === 0)) {
			if (inFlight === 0) break;
			await pause(Infinity);
			continue;
		}
		if (inFlight < concurrency && ready.size > 0) {
			const pausedFor = limiter.pausedUntil() - now;
			const perSecond = Math.min(settings.perSecond > 0 ? settings.perSecond : Infinity, limiter.allowedPerSecond(now));
			const gapLeft = perSecond === Infinity ? 0 : lastStart + 1000 / perSecond - now;
			const wait = Math.max(pausedFor, gapLeft);
			if (wait > 0) {
				await pause(wait);
				continue;
			}
			start(ready.pop() as number);
			continue;
		}
		await pause(waiting.size > 0 ? readyAt[waiting.peek() as number] - now : Infinity);
	}
	return results;
}
