import { sleep } from 'n8n-workflow';

/**
 * What one node run knows about edna's pace: after a `429 Too Many Requests` every request of the
 * run waits until edna's `Retry-After` has passed (a pause for the whole batch, not a failure of one
 * item), and the run's sends slow down: the pace the pacer (actions/message/pace.ts) allows is
 * halved at each 429 and grows back by a tenth each second without one.
 */
export interface Limiter {
	/** Resolves once no 429 pause is on. */
	wait(): Promise<void>;
	/** A send started (the pacer tells): how fast the run was going when a 429 came. */
	started(nowMs: number): void;
	/** edna answered 429: pause everything for `pauseMs`, and slow down from the last second's pace. */
	tooMany(pauseMs: number): void;
	/** The sends per second allowed now (Infinity: no 429 seen, or recovered). */
	allowedPerSecond(nowMs: number): number;
	/** When the current pause ends (0: none). */
	pausedUntil(): number;
	/** How many 429s the run got. */
	readonly tooManyCount: number;
}

/** A 429 without Retry-After pauses this long, doubling with each one in a row up to the maximum. */
export const TOO_MANY_PAUSE_MS = { first: 1000, max: 30_000 };

export function createLimiter(clock: { now(): number; sleep(ms: number): Promise<void> }): Limiter {
	let until = 0;
	let slowedTo = Infinity;
	let slowedAt = 0;
	let count = 0;
	const lastSecond: number[] = [];
	const recentPerSecond = (now: number) => {
		while (lastSecond.length > 0 && lastSecond[0] <= now - 1000) lastSecond.shift();
		return lastSecond.length;
	};
	return {
		started(nowMs) {
			lastSecond.push(nowMs);
			if (lastSecond.length > 4096) recentPerSecond(nowMs);
		},
		async wait() {
			for (let left = until - clock.now(); left > 0; left = until - clock.now()) await clock.sleep(left);
		},
		tooMany(pauseMs) {
			count++;
			const now = clock.now();
			// The requests in flight when edna started refusing all hear 429: one slow-down per pause.
			if (now >= until) {
				const from = Math.min(this.allowedPerSecond(now), Math.max(recentPerSecond(now), 1));
				slowedTo = Math.max(1, from / 2);
			}
			until = Math.max(until, now + pauseMs);
			slowedAt = until;
		},
		allowedPerSecond(nowMs) {
			if (slowedTo === Infinity) return Infinity;
			const seconds = Math.max(0, (nowMs - slowedAt) / 1000);
			const allowed = slowedTo * Math.pow(1.1, seconds);
			// Recovered: once the pace is 100 times the slowed one, no limit from 429s is left.
			return allowed > slowedTo * 100 ? Infinity : allowed;
		},
		pausedUntil: () => until,
		get tooManyCount() {
			return count;
		},
	};
}

export const realClock = {
	now: () => Date.now(),
	sleep: (ms: number) => sleep(ms),
};

const limiters = new WeakMap<object, Limiter>();

/** The limiter of one node run (n8n gives each run its own context object). */
export function limiterOf(ctx: object): Limiter {
	let limiter = limiters.get(ctx);
	if (limiter === undefined) limiters.set(ctx, (limiter = createLimiter(realClock)));
	return limiter;
}
