// The limits a client has to live with, settable at start and at run time: a latency on every API
// call, a rate limit on sends that answers 429 with Retry-After, and whether a v1 messageId may be
// used again. And what the sandbox saw of the client's pace: accepted sends, 429s, the send rate,
// the most requests at once. Real time throughout, not edna time (speed does not scale it): these
// are about how fast the client goes. Which requests count, and the 429's header, are choices.mjs's.
import {
	METHOD_GROUPS,
	RATE_LIMITED_GROUPS,
	V1_MESSAGE_ID_UNIQUE,
	retryAfter,
} from './choices.mjs';
import { TOO_MANY } from './errors.mjs';

/** A setting that cannot be: start() throws it, the /sandbox endpoints answer it with 400. */
export class LimitsError extends Error {
	status = 400;
}

const FIELDS = ['latencyMs', 'rateLimit', 'v1MessageIdUnique'];
const isSend = (route) => METHOD_GROUPS[route] === 'messaging';
const limited = (route) => RATE_LIMITED_GROUPS.includes(METHOD_GROUPS[route]);
const fail = (message) => {
	throw new LimitsError(message);
};

/** Checks `changes` (any of FIELDS) and returns them normalised; throws LimitsError. */
function check(changes) {
	if (changes === null || typeof changes !== 'object' || Array.isArray(changes))
		fail(`limits must be an object with any of: ${FIELDS.join(', ')}`);
	const unknown = Object.keys(changes).filter((k) => !FIELDS.includes(k));
	if (unknown.length) fail(`unknown limit "${unknown[0]}" (expected any of: ${FIELDS.join(', ')})`);
	const out = {};
	if (changes.latencyMs !== undefined) {
		const ms = changes.latencyMs;
		if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
			fail('latencyMs must be a number of milliseconds >= 0');
		out.latencyMs = ms;
	}
	if (changes.rateLimit !== undefined) {
		const r = changes.rateLimit;
		if (r === null) out.rateLimit = null;
		else {
			if (typeof r !== 'object' || Array.isArray(r))
				fail('rateLimit must be {perSecond, burst?} or null (no limit)');
			const bad = Object.keys(r).filter((k) => k !== 'perSecond' && k !== 'burst');
			if (bad.length) fail(`rateLimit has no field "${bad[0]}" (expected perSecond, burst)`);
			const { perSecond } = r;
			if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0)
				fail('rateLimit.perSecond must be a number > 0');
			const burst = r.burst ?? Math.max(1, perSecond);
			if (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1)
				fail('rateLimit.burst must be a number >= 1');
			out.rateLimit = { perSecond, burst };
		}
	}
	if (changes.v1MessageIdUnique !== undefined) {
		if (typeof changes.v1MessageIdUnique !== 'boolean')
			fail('v1MessageIdUnique must be true or false');
		out.v1MessageIdUnique = changes.v1MessageIdUnique;
	}
	return out;
}

/**
 * The send rate seen, in O(1) memory per send: counters, and the accepted sends of the last second
 * (for the peak), which is as many as the client managed in one second.
 */
function createSendStats() {
	let s;
	let recent; // times (ms) of the accepted sends within the last 1000 ms, oldest first
	let head; // recent[head] is the oldest still in the window
	const clear = () => {
		s = { accepted: 0, refused429: 0, firstAt: null, lastAt: null, peakPerSecond: 0 };
		recent = [];
		head = 0;
	};
	clear();
	return {
		clear,
		accepted() {
			const now = Date.now();
			s.accepted++;
			s.firstAt ??= now;
			s.lastAt = now;
			// the window (now − 1000 ms, now]: the busiest second always ends at some send
			recent.push(now);
			while (recent[head] <= now - 1000) head++;
			s.peakPerSecond = Math.max(s.peakPerSecond, recent.length - head);
			if (head > 1024 && head * 2 > recent.length) {
				recent = recent.slice(head);
				head = 0;
			}
		},
		refused() {
			s.refused429++;
		},
		view() {
			const seconds = s.accepted > 1 ? (s.lastAt - s.firstAt) / 1000 : 0;
			return {
				accepted: s.accepted,
				refused429: s.refused429,
				firstAt: s.firstAt,
				lastAt: s.lastAt,
				// the sends after the first over the time they took: one every 100 ms is 10/s
				perSecond: seconds > 0 ? (s.accepted - 1) / seconds : null,
				peakPerSecond: s.peakPerSecond,
			};
		},
	};
}

/**
 * `{latencyMs = 0, rateLimit = null, v1MessageIdUnique = true}` as start() takes them; rateLimit is
 * `{perSecond, burst = perSecond}`. The API server calls begin() when a request arrives,
 * refuse(route) before the work, sent(route, status) with the answer, and answer(arrivedAt, fn) to
 * send it `latencyMs` after arrival.
 */
export function createLimits(initial = {}) {
	const settings = { latencyMs: 0, rateLimit: null, v1MessageIdUnique: V1_MESSAGE_ID_UNIQUE };
	let bucket = null; // {tokens, at}: the rate limit's token bucket, refilled continuously
	const stats = createSendStats();
	const timers = new Set();
	let inFlight = 0;
	let inFlightPeak = 0;

	const fill = () => {
		bucket = settings.rateLimit && { tokens: settings.rateLimit.burst, at: performance.now() };
	};
	/** Changes the given settings (the others stay); a new rateLimit starts with a full bucket. */
	function set(changes) {
		const checked = check(changes);
		Object.assign(settings, checked);
		if ('rateLimit' in checked) fill();
		return get();
	}
	const get = () => ({
		latencyMs: settings.latencyMs,
		rateLimit: settings.rateLimit && { ...settings.rateLimit },
		v1MessageIdUnique: settings.v1MessageIdUnique,
	});
	set(initial);

	return {
		get,
		set,
		get v1MessageIdUnique() {
			return settings.v1MessageIdUnique;
		},
		/** A request arrived; returns its arrival time for answer(). */
		begin() {
			inFlight++;
			inFlightPeak = Math.max(inFlightPeak, inFlight);
			return performance.now();
		},
		/** Takes a token for `route`, or returns the 429 answer (with Retry-After) when none is left. */
		refuse(route) {
			if (!bucket || !limited(route)) return null;
			const { perSecond, burst } = settings.rateLimit;
			const now = performance.now();
			bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * perSecond) / 1000);
			bucket.at = now;
			if (bucket.tokens >= 1) {
				bucket.tokens -= 1;
				return null;
			}
			stats.refused();
			const waitMs = ((1 - bucket.tokens) * 1000) / perSecond;
			return { status: 429, body: TOO_MANY, headers: { 'retry-after': retryAfter(waitMs) } };
		},
		/** The answer to `route` was `status`: counts accepted sends. */
		sent(route, status) {
			if (status === 200 && isSend(route)) stats.accepted();
		},
		/** Runs `fn` (which writes the answer) `latencyMs` after `arrivedAt`, without blocking others. */
		answer(arrivedAt, fn) {
			const done = () => {
				inFlight--;
				fn();
			};
			const wait = settings.latencyMs - (performance.now() - arrivedAt);
			if (wait <= 0) return done();
			const timer = setTimeout(() => {
				timers.delete(timer);
				done();
			}, wait);
			timers.add(timer);
		},
		/** `{accepted, refused429, firstAt, lastAt, perSecond, peakPerSecond, inFlight, inFlightPeak}`. */
		stats: () => ({ ...stats.view(), inFlight, inFlightPeak }),
		/** reset(): the stats start again and the bucket is full; the settings stay. */
		reset() {
			stats.clear();
			inFlightPeak = inFlight;
			fill();
		},
		/** stop(): answers still waiting out their latency are dropped with their sockets. */
		stop() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
		},
	};
}
