// The account as the sandbox holds it in memory: what the seed file describes (channels, cascades,
// templates, keys) plus what happens while it runs (messages, registered webhook URLs, ids).
// reset() goes back to the seed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ID_START, ID_UNIQUE_WINDOW_S } from './choices.mjs';

export const DEFAULT_SEED_FILE = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'seed.json',
);

// Fixed so that template objects are the same on every run.
const SEED_TIME = '2026-01-05T09:00:00.000Z';

/** Reads a seed object: `seed` (an object) wins over `seedFile` (a path) over sandbox/seed.json. */
export function loadSeed({ seed, seedFile } = {}) {
	const raw = seed ?? JSON.parse(readFileSync(seedFile ?? DEFAULT_SEED_FILE, 'utf8'));
	const data = structuredClone(raw);
	for (const key of ['channels', 'cascades', 'templates', 'apiKeys']) {
		if (!Array.isArray(data[key])) throw new Error(`seed: "${key}" must be an array`);
	}
	if (typeof data.webhookKey !== 'string') throw new Error('seed: "webhookKey" must be a string');
	for (const t of data.templates) {
		t.createdAt ??= SEED_TIME;
		t.updatedAt ??= SEED_TIME;
		t.subjectIds ??= [];
	}
	for (const c of data.cascades) {
		if (!c.stages.every((id) => data.channels.some((ch) => ch.subjectId === id))) {
			throw new Error(`seed: cascade ${c.id} has a stage on an unknown subjectId`);
		}
	}
	data.customers ??= [];
	return data;
}

/** A fresh account from a loaded seed. */
export function createState(seed) {
	const s = structuredClone(seed);
	return {
		...s,
		/** Outgoing messages, in the order they were accepted. */
		outMessages: [],
		/** The same messages by phone and by duplicate key (messages.mjs), so a send need not scan them all. */
		outByAddress: new Map(),
		outByContentKey: new Map(),
		/** Incoming (customer) messages. */
		inMessages: [],
		/** Callback URLs: key `${field}|${subjectId ?? '*'}` → url. */
		callbacks: new Map(),
		/** requestIds and v1 messageIds accepted: id → Date.now() when accepted. */
		usedRequestIds: new Map(),
		usedMessageIds: new Map(),
		/** Per phone: edna's subscriber id. */
		subscribers: new Map(),
		nextId: { ...ID_START },
		/** Deliveries counted for the deterministic failure rate. */
		deliveries: 0,
		failures: 0,
		/** Bumped on every change, so the page re-renders only when something happened. */
		version: 0,
	};
}

export const channelBySubjectId = (state, id) =>
	state.channels.find((c) => c.subjectId === id && c.subjectId != null);
export const channelBySubject = (state, subject) =>
	state.channels.find((c) => c.subject === subject);
export const templateById = (state, id) => state.templates.find((t) => t.id === id);
export const cascadeById = (state, id) => state.cascades.find((c) => c.id === id);

export function subscriberId(state, phone) {
	if (!state.subscribers.has(phone)) state.subscribers.set(phone, state.nextId.subscriber++);
	return state.subscribers.get(phone);
}

export function customerInfo(state, phone) {
	const c = state.customers.find((x) => x.phone === phone);
	return {
		userName: c?.userName ?? null,
		firstName: c?.firstName ?? null,
		lastName: c?.lastName ?? null,
		avatarUrl: c?.avatarUrl ?? null,
	};
}

/** The stage uuid of a cascade stage, as cascade/get-all answers it and status webhooks carry it. */
export const stageUuid = (cascade, index) =>
	`${cascade.id}-${String(index + 1).padStart(3, '0')}-${cascade.stages[index]}`;

/** Whether `id` was accepted within the uniqueness window (choices.ID_UNIQUE_WINDOW_S). */
export const idTaken = (ids, id, clock) =>
	ids.has(id) && clock.within(ids.get(id), ID_UNIQUE_WINDOW_S);
