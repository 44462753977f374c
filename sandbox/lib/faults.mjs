// Faults on demand, for testing how a client copes with edna having a bad moment:
// the next `count` requests to a path answer 429 or 500, either instead of the work or after it
// (the message was accepted, but the caller hears an error).
import { SYSTEM_ERROR, TOO_MANY } from './errors.mjs';

const BODIES = { 429: TOO_MANY, 500: SYSTEM_ERROR };

export function createFaults() {
	let faults = [];
	return {
		/** `{path: 'cascade/schedule', status: 429|500, count = 1, afterAccept = false}`; path relative to /api. */
		add({ path, status = 500, count = 1, afterAccept = false }) {
			if (!BODIES[status]) throw new Error('fault status must be 429 or 500');
			if (typeof path !== 'string' || !path)
				throw new Error('fault path is required, e.g. "cascade/schedule"');
			const fault = {
				path: path.replace(/^\/?(api\/)?/, '').replace(/\/$/, ''),
				status,
				count,
				afterAccept: Boolean(afterAccept),
			};
			faults.push(fault);
			return fault;
		},
		/** Takes one use of the first fault for `path` and phase, or returns null. */
		take(path, afterAccept) {
			const fault = faults.find(
				(f) => f.path === path && f.afterAccept === afterAccept && f.count > 0,
			);
			if (!fault) return null;
			fault.count--;
			faults = faults.filter((f) => f.count > 0);
			return { status: fault.status, body: BODIES[fault.status] };
		},
		list: () => faults.map((f) => ({ ...f })),
		clear() {
			faults = [];
		},
	};
}
