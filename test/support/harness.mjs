// Starting what an end-to-end file needs in its `before` hook, so that nothing outlives the file:
// every resource handed to `own()` (anything with a `stop()`: a started n8n, the sandbox) is stopped
// by `after`, in reverse order, also when `before` failed or timed out half-way. `after` shuts the
// n8n runtime down first (scripts/lib/n8n/processes.mjs → shutdownRuntime): an install, pack or
// n8n start still on its way is killed or refused, and a resource that arrives after that is
// stopped at once. So a file whose hook times out still ends.
import { after, before } from 'node:test';

import { shutdownRuntime } from '../../scripts/lib/n8n/processes.mjs';

// Starting n8n with this package takes 10-40 s; a busy 2-core machine can take several times that.
export const SETUP_TIMEOUT_MS = 300_000;

/**
 * Registers `before(setUp)` and the matching `after`. `setUp(own)` starts what the file needs and
 * passes each resource through `await own(promiseOrResource)`, which returns it.
 * @param {(own: <T extends {stop: () => unknown}>(resource: T | Promise<T>) => Promise<T>) => Promise<void>} setUp
 */
export function setUpOnce(setUp, { timeout = SETUP_TIMEOUT_MS } = {}) {
	const owned = [];
	let closed = false;
	const own = async (resource) => {
		const value = await resource;
		if (closed) {
			await value?.stop?.();
			throw new Error('set-up abandoned: the file is already being torn down');
		}
		owned.push(value);
		return value;
	};
	before(() => setUp(own), { timeout });
	after(async () => {
		closed = true;
		await shutdownRuntime();
		for (const resource of owned.reverse()) await resource?.stop?.();
	});
}
