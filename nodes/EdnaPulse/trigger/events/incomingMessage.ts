import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { channelMatches, enumMatches } from './filters';
import { isObject, joinKey, objectAt, orNull } from '../../shared/json';
import type { EdnaEventDefinition } from './types';
import { ednaId, issuesOf, looseObject, optionalId, optionalText, timestamp } from './validation';

/**
 * https://docs-pulse.edna.io/docs/api/callback/get-message — one object, or an array for WhatsApp
 * Flow replies (the body splitter handles arrays). `type` is a free string: never reject new ones.
 */
const schema = looseObject({
	id: ednaId,
	subject: z.string(),
	subjectId: ednaId,
	subscriber: looseObject({ id: optionalId, identifier: z.string() }),
	userInfo: looseObject({
		userName: optionalText,
		firstName: optionalText,
		lastName: optionalText,
		avatarUrl: optionalText,
	}).nullish(),
	messageContent: looseObject({
		type: z.string(),
		text: optionalText,
		caption: optionalText,
		payload: optionalText,
		attachment: looseObject({ url: optionalText }).nullish(),
		location: looseObject({}).nullish(),
		items: z.array(looseObject({})).nullish(),
	}),
	receivedAt: timestamp,
	replyOutMessageId: optionalId,
	replyOutMessageExternalRequestId: optionalText,
	replyInMessageId: optionalId,
});

const text = (value: unknown): string | null =>
	typeof value === 'string' && value !== '' ? value : null;

function senderName(userInfo: Record<string, unknown>): string | null {
	const full = [text(userInfo.firstName), text(userInfo.lastName)].filter(Boolean).join(' ');
	return text(userInfo.userName) ?? text(full);
}

/** Flow replies carry the form answers as a JSON string in `text`. */
function flowResponse(content: Record<string, unknown>): unknown {
	if (typeof content.type !== 'string' || content.type.toUpperCase() !== 'FLOW') return null;
	if (typeof content.text !== 'string') return null;
	try {
		const parsed: unknown = JSON.parse(content.text);
		return isObject(parsed) ? parsed : null;
	} catch {
		return null;
	}
}

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

export const incomingMessage: EdnaEventDefinition = {
	kind: 'incomingMessage',
	displayName: 'Message Received',
	description: 'A customer wrote to one of your channels (text, media, button, list, Flow reply…)',
	ednaSetting: 'Integration → Settings → Main profile → Webhook URL for incoming messages',
	callbackField: 'inMessageCallbackUrl',

	recognise: (event) => isObject(event.messageContent),

	filters: ['contentTypes', 'otherContentTypes', 'subjects', 'subjectIds'],
	keep: (event, filters) =>
		enumMatches(filters.contentTypes, objectAt(event, 'messageContent').type) &&
		channelMatches(filters, { name: event.subject, ids: [event.subjectId] }),

	validate: (event) => issuesOf(schema, event),

	// edna's message ID is unique per channel (doc §1.4).
	identity: (event) => joinKey(event.subjectId, event.id),

	simplify: (event) => {
		const content = objectAt(event, 'messageContent');
		const attachment = objectAt(content, 'attachment');
		const location = objectAt(content, 'location');
		const firstItem = Array.isArray(content.items) && isObject(content.items[0]) ? content.items[0] : {};
		return {
			senderId: orNull(objectAt(event, 'subscriber').identifier),
			senderName: senderName(objectAt(event, 'userInfo')),
			contentType: orNull(content.type),
			text: orNull(content.text),
			caption: orNull(content.caption),
			attachmentUrl: orNull(attachment.url),
			attachmentName: orNull(attachment.name),
			buttonPayload: orNull(content.payload),
			selectedItemId: orNull(firstItem.identifier),
			selectedItemTitle: orNull(firstItem.title),
			latitude: orNull(location.latitude),
			longitude: orNull(location.longitude),
			address: orNull(location.address),
			flowResponse: flowResponse(content) as Record<string, unknown> | null,
			// The names n8n's AI Agent (prompt from a connected chat trigger) and its memory nodes
			// (session ID from the input) read by default.
			chatInput: chatInputOf(content),
			sessionId: sessionIdOf(event),
		};
	},
};
