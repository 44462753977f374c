// Sandbox time: every delay of edna's (status progress, webhook retries, the 20-minute duplicate
// window, the 24 h session) is divided by `speed`. All timers live here so stop() can clear them.
export function createClock(speed = 1) {
	if (!(speed > 0)) throw new Error('speed must be a number > 0');
	const timers = new Set();
	let stopped = false;
	return {
		speed,
		/** Real milliseconds for `seconds` of edna time. */
		ms: (seconds) => (seconds * 1000) / speed,
		/** Runs `fn` after `seconds` of edna time; returns a cancel function. */
		after(seconds, fn) {
			if (stopped) return () => {};
			const timer = setTimeout(
				() => {
					timers.delete(timer);
					fn();
				},
				(seconds * 1000) / speed,
			);
			timers.add(timer);
			return () => {
				clearTimeout(timer);
				timers.delete(timer);
			};
		},
		/** Whether `sinceMs` (a Date.now() value) lies within `seconds` of edna time. */
		within: (sinceMs, seconds) => Date.now() - sinceMs < (seconds * 1000) / speed,
		get pending() {
			return timers.size;
		},
		stop() {
			stopped = true;
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
		},
	};
}
