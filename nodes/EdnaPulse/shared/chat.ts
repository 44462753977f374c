import type { IDataObject } from 'n8n-workflow';

import { isObject, objectAt } from './json';

/**
 * A customer's message as a conversation sees it, for both nodes: the trigger's Message Received
 * items and the action node's Conversation → Get read edna's message content the same way.
 */

/** A non-empty string, else null. */
export const text = (value: unknown): string | null =>
	typeof value === 'string' && value !== '' ? value : null;

const lower = (value: unknown): string =>
	typeof value === 'string' && value !== '' ? value.toLowerCase() : 'message';

/**
 * What the customer said, as one line of text for an AI agent's prompt: the text itself for a text
 * message; otherwise a bracketed kind and what a person would read, e.g. `[image] My receipt — https://…`,
 * `[button] Yes, confirm (CONFIRM_ORDER)`, `[location] Minsk (53.9045, 27.5615)`. Never empty.
 */
export function chatInputOf(content: IDataObject): string {
	const type = lower(content.type);
	const said = text(content.text);
	const attachment = objectAt(content, 'attachment');
	const url = text(attachment.url);
	const join = (parts: Array<string | null>) => parts.filter(Boolean).join(' ');
	if (type === 'text') return said ?? '[text]';
	if (type === 'flow') return join(['[form]', said]);
	if (type === 'button') {
		const payload = text(content.payload);
		return join(['[button]', said ?? payload, said && payload ? `(${payload})` : null]);
	}
	if (Array.isArray(content.items) && isObject(content.items[0])) {
		const item = content.items[0];
		const title = text(item.title);
		const id = text(item.identifier);
		return join([`[${type === 'list_picker' ? 'list' : type}]`, title ?? id, title && id ? `(${id})` : null]);
	}
	const location = objectAt(content, 'location');
	if (location.latitude !== undefined && location.latitude !== null) {
		return join(['[location]', text(location.address), `(${String(location.latitude)}, ${String(location.longitude)})`]);
	}
	if (url !== null) {
		const label = text(content.caption) ?? said ?? text(attachment.name);
		return join([`[${type}]`, label ? `${label} —` : null, url]);
	}
	return said ?? join([`[${type}]`, text(content.caption), text(content.payload)]);
}

/**
 * One conversation: the channel and the customer, `<subjectId>:<subscriber.identifier>`. The
 * identifier is kept as edna sends it (a phone, a messenger user ID or a WhatsApp BSUID); the
 * subjectId is a number, so the first colon always separates the two.
 */
export function sessionIdOf(event: IDataObject): string | null {
	const customer = objectAt(event, 'subscriber').identifier;
	const channel = event.subjectId;
	if (typeof customer !== 'string' || customer === '') return null;
	if (typeof channel !== 'number' && typeof channel !== 'string') return null;
	return `${String(channel)}:${customer}`;
}

