// What the sandbox received and sent, for tests and for the page: every API request with its
// answer, every webhook attempt with the answer it got. Keys never appear here.
import { EventEmitter } from 'node:events';

const REDACTED = '[REDACTED]';
// A sandbox left running for days keeps the newest entries only. The oldest are dropped a batch at
// a time, so a long run does not copy the whole record on every entry.
const MAX_ENTRIES = 20_000;
const DROP_BATCH = 1_000;

/** Copies headers with the API key and the webhook key replaced. */
export function redactHeaders(headers) {
	const out = {};
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (lower === 'x-api-key') out[lower] = REDACTED;
		else if (lower === 'authorization')
			out[lower] = String(value).replace(
				/^(\S+\s+)?.*$/,
				(_, scheme) => `${scheme ?? ''}${REDACTED}`,
			);
		else out[lower] = value;
	}
	return out;
}

export function createRecord() {
	const events = new EventEmitter();
	let entries = [];
	let seq = 0;

	const add = (type, entry) => {
		const item = { seq: ++seq, type, at: new Date().toISOString(), ...entry };
		entries.push(item);
		if (entries.length >= MAX_ENTRIES + DROP_BATCH) entries = entries.slice(-MAX_ENTRIES);
		events.emit('entry', item);
		return item;
	};
	/** The newest MAX_ENTRIES entries. */
	const kept = () => (entries.length > MAX_ENTRIES ? entries.slice(-MAX_ENTRIES) : entries);
	const listing = () =>
		kept()
			.map((e) => `${e.seq} ${e.type} ${e.kind ?? e.method} ${e.path ?? e.url} ${e.status}`)
			.join('\n');

	const filter = (type, match = {}) =>
		kept().filter((e) => e.type === type && Object.entries(match).every(([k, v]) => e[k] === v));

	const api = {
		/** Adds `{method, path, query, headers, body, status, answer}`; headers are redacted here. */
		request: (entry) => add('request', { ...entry, headers: redactHeaders(entry.headers) }),
		/** Adds `{kind, url, headers, body, attempt, status, error, ms}`. */
		webhook: (entry) => add('webhook', { ...entry, headers: redactHeaders(entry.headers) }),
		/** All entries after `since` (a seq), oldest first. */
		all: (since = 0) => kept().filter((e) => e.seq > since),
		/** API requests, optionally only those whose fields equal `match` (e.g. `{path: 'callback/set'}`). */
		requests: (match) => filter('request', match),
		/** Webhook attempts, optionally filtered like requests() (e.g. `{kind: 'messageStatus'}`). */
		webhooks: (match) => filter('webhook', match),
		/**
		 * Resolves with the first entry (already recorded or future) for which `predicate` is true.
		 * Rejects after `timeoutMs` with the entries seen, so a failing test says what happened.
		 */
		waitFor(predicate, { timeoutMs = 10_000 } = {}) {
			const found = kept().find(predicate);
			if (found) return Promise.resolve(found);
			return new Promise((resolve, reject) => {
				const onEntry = (entry) => {
					if (!predicate(entry)) return;
					clearTimeout(timer);
					events.off('entry', onEntry);
					resolve(entry);
				};
				const timer = setTimeout(() => {
					events.off('entry', onEntry);
					reject(
						new Error(
							`sandbox record: nothing matched within ${timeoutMs} ms; recorded:\n${listing()}`,
						),
					);
				}, timeoutMs);
				events.on('entry', onEntry);
			});
		},
		clear() {
			entries = [];
		},
		on: (fn) => events.on('entry', fn),
		off: (fn) => events.off('entry', fn),
	};
	/** Resolves with the first webhook attempt matching `predicate` (see waitFor). */
	api.waitForWebhook = (predicate, options) =>
		api.waitFor((e) => e.type === 'webhook' && predicate(e), options);
	/** Resolves with the first API request matching `predicate` (see waitFor). */
	api.waitForRequest = (predicate, options) =>
		api.waitFor((e) => e.type === 'request' && predicate(e), options);
	return api;
}
