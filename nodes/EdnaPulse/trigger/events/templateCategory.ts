import { z } from 'zod';

import { enumMatches } from './filters';
import { joinKey, objectAt, orNull } from '../../shared/json';
import type { EdnaEventDefinition } from './types';
import { ednaId, issuesOf, looseObject, optionalText, timestamp } from './validation';

export const CATEGORY_CHANGED = 'message_matcher.category_changed';

/**
 * https://docs-pulse.edna.io/docs/api/callback/webhook-wa — an envelope whose `payload.category` is
 * the new category; the previous one is not sent. Older bodies have no `version`.
 */
const schema = looseObject({
	payload: looseObject({
		id: ednaId,
		name: z.string(),
		channelType: optionalText,
		category: z.string(),
	}),
	type: z.literal(CATEGORY_CHANGED),
	version: optionalText,
	timestamp,
});

export const templateCategory: EdnaEventDefinition = {
	kind: 'templateCategory',
	displayName: 'WhatsApp Template Category Changed',
	description: 'WhatsApp moved a template to another category (marketing, utility, authorization)',
	ednaSetting:
		'Integration → Settings → Main profile → Webhook URL for WhatsApp template category changes',

	recognise: (event) => event.type === CATEGORY_CHANGED,

	filters: ['templateCategories', 'otherTemplateCategories', 'channelTypes'],
	keep: (event, filters) => {
		const payload = objectAt(event, 'payload');
		return (
			enumMatches(filters.templateCategories, payload.category) &&
			enumMatches(filters.channelTypes, payload.channelType)
		);
	},

	validate: (event) => issuesOf(schema, event),

	identity: (event) => {
		const payload = objectAt(event, 'payload');
		return joinKey(payload.id, payload.category, event.timestamp);
	},

	simplify: (event) => {
		const payload = objectAt(event, 'payload');
		return {
			templateId: orNull(payload.id),
			templateName: orNull(payload.name),
			channelType: orNull(payload.channelType),
			category: orNull(payload.category),
		};
	},
};
