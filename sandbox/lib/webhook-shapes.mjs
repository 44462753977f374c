// The one home for the shapes of edna's webhook bodies. Each builder starts from a fixture in
// test/fixtures/<kind>/<variant>.json (a body exactly as edna documents or sends it) and fills in
// values; a value for a field the fixture does not have is an error, so a body built here can never
// drift from the fixtures the trigger is tested against. Used by the simulator and the sandbox.
// Shapes: https://docs-pulse.edna.io/docs/api/callback/get-status, …/get-message,
// …/get-status-template, …/webhook-wa, …/linkbutton-webhook.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'test',
	'fixtures',
);

/** The five edna webhook kinds, named as the fixture folders are. */
export const EVENT_KINDS = [
	'messageStatus',
	'incomingMessage',
	'templateStatus',
	'templateCategory',
	'linkClick',
];

const cache = new Map();

/** A fresh copy of the parsed fixture `<kind>/<variant>.json`. */
export function fixtureBody(kind, variant) {
	const file = path.join(FIXTURES_DIR, kind, `${variant}.json`);
	if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(file, 'utf8')));
	return structuredClone(cache.get(file));
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Copies `values` over `shape`, key by key. Nested objects are filled the same way when the fixture
 * has an object there; a `null` in the fixture (e.g. `attachment`) takes any value.
 */
export function fill(shape, values, where = 'body') {
	const out = structuredClone(shape);
	for (const [key, value] of Object.entries(values)) {
		if (value === undefined) continue;
		if (!(key in out))
			throw new Error(`${where}: "${key}" is not a field of edna's ${where} (see the fixture)`);
		out[key] =
			isPlainObject(out[key]) && isPlainObject(value)
				? fill(out[key], value, `${where}.${key}`)
				: value;
	}
	return out;
}

/** Message status webhook: one object per status change. Fields as in messageStatus/delivered.json. */
export function messageStatusBody(values) {
	return fill(fixtureBody('messageStatus', 'delivered'), values, 'messageStatus');
}

// The fixture each incoming content type is drawn from. edna documents no example for DOCUMENT,
// VIDEO and AUDIO; they carry an attachment like IMAGE (3P, docs/edna-api.md §W5.3).
const INCOMING_VARIANTS = {
	TEXT: 'text',
	IMAGE: 'image',
	DOCUMENT: 'image',
	VIDEO: 'image',
	AUDIO: 'image',
	BUTTON: 'button-bsuid',
	LIST_PICKER: 'list-picker',
	LOCATION: 'location',
	FLOW: 'flow-array',
};

export const INCOMING_TYPES = Object.keys(INCOMING_VARIANTS);

/**
 * Incoming message webhook. The envelope comes from incomingMessage/text.json (the current,
 * complete example); `messageContent` from the fixture of its type. FLOW replies are sent as an
 * array, as edna documents them (docs/edna-api.md §W5.4). Returns the HTTP body.
 */
export function incomingMessageBody({ messageContent = {}, ...values }) {
	const type = messageContent.type ?? 'TEXT';
	const variant = INCOMING_VARIANTS[type];
	if (!variant) throw new Error(`incomingMessage: no fixture for content type "${type}"`);
	const envelope = fixtureBody('incomingMessage', 'text');
	const sample = [fixtureBody('incomingMessage', variant)].flat()[0];
	const content = fill(
		{ ...envelope.messageContent, ...sample.messageContent },
		{ ...messageContent, type },
		'messageContent',
	);
	const body = { ...fill(envelope, values, 'incomingMessage'), messageContent: content };
	return type === 'FLOW' ? [body] : body;
}

/** One template object, shaped as a templateStatus/array.json item (= message-matchers answer). */
export function templateObject(values) {
	return fill(fixtureBody('templateStatus', 'array')[0], values, 'template');
}

/** Template status webhook: an array of template objects (current format, docs/edna-api.md §W6.1). */
export function templateStatusBody(templates) {
	return templates.map(templateObject);
}

/** WhatsApp template category change: `{payload, type, version, timestamp}` (docs/edna-api.md §W7.1). */
export function templateCategoryBody(values) {
	return fill(fixtureBody('templateCategory', 'current'), values, 'templateCategory');
}

/** WhatsApp link-button click: `{payload, type, version, timestamp}` (docs/edna-api.md §W8.1). */
export function linkClickBody(values) {
	return fill(fixtureBody('linkClick', 'current'), values, 'linkClick');
}
