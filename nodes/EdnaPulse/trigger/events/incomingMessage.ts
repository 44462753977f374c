import { z } from 'zod';

import { channelMatches, enumMatches } from './filters';
import { chatInputOf, sessionIdOf, text } from '../../shared/chat';
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

	// edna's message ID is unique per channel (docs/edna-api.md §W1.4).
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
