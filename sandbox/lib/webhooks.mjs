// Webhooks out, as edna sends them: a JSON POST with `Authorization: Token <webhook key>` (observed,
// docs/edna-api.md §W2.3) to the URL registered for the event kind and channel, else the all-channels one;
// any answer but 200 is retried after 4, 128 and 2048 s (docs/edna-api.md §W1.4), divided by the speed.
import {
	CALLBACK_FIELDS,
	HEAD_TIMEOUT_MS,
	WEBHOOK_RETRY_S,
	WEBHOOK_TIMEOUT_MS,
} from './choices.mjs';
import { request } from './http.mjs';

const slot = (kind, subjectId) => `${kind}|${subjectId ?? '*'}`;

export function createWebhooks({ state, clock, record, log = () => {} }) {
	const inFlight = new Set();
	let stopped = false;

	/** Registers `url` for a callback field (e.g. statusCallbackUrl) on one channel or all (subjectId null). */
	function register(field, url, subjectId = null) {
		const kind = CALLBACK_FIELDS[field];
		if (!kind)
			throw new Error(
				`unknown webhook field "${field}" (expected one of: ${Object.keys(CALLBACK_FIELDS).join(', ')})`,
			);
		state.callbacks.set(slot(kind, subjectId), url);
		state.version++;
	}

	/** The URL for `kind` events of channel `subjectId`: the channel's own, else the all-channels one. */
	const urlFor = (kind, subjectId) =>
		state.callbacks.get(slot(kind, subjectId)) ?? state.callbacks.get(slot(kind, null));

	/** Registered URLs as `[{field, kind, subjectId, url}]`. */
	function list() {
		const fields = Object.fromEntries(Object.entries(CALLBACK_FIELDS).map(([f, k]) => [k, f]));
		return [...state.callbacks].map(([key, url]) => {
			const [kind, id] = key.split('|');
			return { field: fields[kind], kind, subjectId: id === '*' ? null : Number(id), url };
		});
	}

	async function attempt(kind, url, body, n) {
		const controller = new AbortController();
		inFlight.add(controller);
		const headers = { 'content-type': 'application/json' };
		if (state.webhookKey) headers.authorization = `Token ${state.webhookKey}`;
		const result = await request(url, {
			headers,
			body,
			timeoutMs: WEBHOOK_TIMEOUT_MS,
			signal: controller.signal,
		});
		inFlight.delete(controller);
		if (stopped) return result;
		record.webhook({
			kind,
			url,
			headers,
			body,
			attempt: n,
			status: result.status,
			error: result.error ?? null,
			answer: result.text,
			ms: result.ms,
		});
		log(`webhook ${kind} → ${url} attempt ${n}: ${result.status || result.error}`);
		if (result.status !== 200 && n <= WEBHOOK_RETRY_S.length) {
			clock.after(WEBHOOK_RETRY_S[n - 1], () => attempt(kind, url, body, n + 1));
		}
		return result;
	}

	/**
	 * Sends one event of `kind` for channel `subjectId`. Resolves after the first attempt was answered
	 * (retries go on by themselves), with `null` when no URL is registered.
	 */
	async function deliver(kind, subjectId, body) {
		const url = urlFor(kind, subjectId);
		if (!url || stopped) return null;
		return attempt(kind, url, body, 1);
	}

	/** edna's URL check: one HEAD that must answer 200. */
	async function check(url) {
		const controller = new AbortController();
		inFlight.add(controller);
		const result = await request(url, {
			method: 'HEAD',
			timeoutMs: HEAD_TIMEOUT_MS,
			signal: controller.signal,
		});
		inFlight.delete(controller);
		return result;
	}

	function stop() {
		stopped = true;
		for (const controller of inFlight) controller.abort();
		inFlight.clear();
	}

	return { register, urlFor, list, deliver, check, stop };
}
