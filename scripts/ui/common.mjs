// What the editor journeys of `npm run test:ui` share: the package's type names, the names the
// journeys give what they create, selectors, the run's clock and log, and the checks.

export const PACKAGE = 'n8n-nodes-edna-pulse';
export const NODE_TYPE = `${PACKAGE}.ednaPulseTrigger`;
export const ACTION_TYPE = `${PACKAGE}.ednaPulse`;
export const CREDENTIAL_TYPE = 'ednaPulseApi';
/** The trigger journey's credential (a webhook key only) and workflow. */
export const WEBHOOK_KEY = 'ui-test-webhook-key-7f3a';
export const CREDENTIAL_NAME = 'edna Pulse webhook key';
export const WORKFLOW_NAME = 'edna: alert on undelivered messages';
/** The action journey's credential: the sandbox's API key, base URL and webhook key. */
export const SANDBOX_CREDENTIAL = 'edna Pulse sandbox';

export const $ = (testId) => `[data-test-id="${testId}"]`;
/** Matches an element's whole text, ignoring surrounding whitespace. */
export const exactly = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
export const started = Date.now();
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
export const log = (message) => console.log(`[${elapsed().padStart(7)}] ${message}`);

export function check(condition, message) {
	if (!condition) throw new Error(message);
}

/** Polls `read` until `ok(value)`; fails with `describe(lastValue)` after `timeoutMs`. */
export async function settle(read, ok, describe, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		check(Date.now() < deadline, describe(value));
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export function sameList(actual, expected, what) {
	const a = [...actual].sort().join(' | ');
	const e = [...expected].sort().join(' | ');
	check(
		a === e,
		`${what}: expected [${expected.join(', ')}], the editor shows [${actual.join(', ')}]`,
	);
}

/** A selector for the sandbox's page, which marks its elements data-testid. */
export const testid = (id) => `[data-testid="${id}"]`;
