import { z } from 'zod';

import { channelMatches, enumMatches } from './filters';
import { joinKey, objectAt, orNull } from '../../shared/json';
import type { EdnaEventDefinition } from './types';
import { ednaId, issuesOf, looseObject, optionalText, timestamp } from './validation';

export const LINK_VISITED = 'short_link_visited';

/**
 * https://docs-pulse.edna.io/docs/api/callback/linkbutton-webhook — sent only for templates with
 * "Track clicks on link buttons". Older bodies have no `payload.requestId` and a full-URL `shortLink`.
 */
const schema = looseObject({
	payload: looseObject({
		sender: z.string(),
		templateId: ednaId,
		channelType: optionalText,
		outMessageId: ednaId,
		phone: z.string(),
		url: z.string(),
		shortLink: optionalText,
		requestId: optionalText,
	}),
	type: z.literal(LINK_VISITED),
	version: optionalText,
	timestamp,
});

export const linkClick: EdnaEventDefinition = {
	kind: 'linkClick',
	displayName: 'WhatsApp Link Button Clicked',
	description: 'A customer clicked a tracked link button in a WhatsApp template message',
	ednaSetting:
		'Integration → Settings → Main profile → Webhook URL for tracking clicks on the WhatsApp link button',

	recognise: (event) => event.type === LINK_VISITED,

	filters: ['channelTypes', 'subjects'],
	keep: (event, filters) => {
		const payload = objectAt(event, 'payload');
		return (
			enumMatches(filters.channelTypes, payload.channelType) &&
			channelMatches(filters, { name: payload.sender })
		);
	},

	validate: (event) => issuesOf(schema, event),

	identity: (event) => {
		const payload = objectAt(event, 'payload');
		return joinKey(payload.outMessageId, payload.shortLink ?? payload.url, event.timestamp);
	},

	simplify: (event) => {
		const payload = objectAt(event, 'payload');
		return {
			templateId: orNull(payload.templateId),
			messageId: orNull(payload.outMessageId),
			requestId: orNull(payload.requestId),
			phone: orNull(payload.phone),
			url: orNull(payload.url),
			shortLink: orNull(payload.shortLink),
			subject: orNull(payload.sender),
			channelType: orNull(payload.channelType),
		};
	},
};
