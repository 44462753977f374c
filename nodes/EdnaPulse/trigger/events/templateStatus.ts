import { z } from 'zod';

import { channelMatches, enumMatches } from './filters';
import { isObject, joinKey, objectAt, orNull } from '../../shared/json';
import type { EdnaEvent, EdnaEventDefinition } from './types';
import { ednaId, issuesOf, looseObject, optionalText, timestamp } from './validation';

/**
 * https://docs-pulse.edna.io/docs/api/callback/get-status-template — the current body is an array of
 * templates (one event each). The older format (docs.edna.io/kb/receiving-template-registration-status)
 * is one `{messageMatcher, subjectIds}` object; both give the same simplified fields.
 */
const template = looseObject({
	id: ednaId,
	name: z.string(),
	channelType: z.string(),
	language: optionalText,
	content: looseObject({ text: optionalText }).nullish(),
	contentType: optionalText,
	category: optionalText,
	status: z.string(),
	locked: z.boolean().nullish(),
	type: optionalText,
	createdAt: timestamp.nullish(),
	updatedAt: timestamp,
});

const legacy = looseObject({ messageMatcher: template, subjectIds: z.array(ednaId).nullish() });

const isLegacy = (event: EdnaEvent): boolean => isObject(event.messageMatcher);
const templateOf = (event: EdnaEvent): EdnaEvent =>
	isLegacy(event) ? objectAt(event, 'messageMatcher') : event;

export const templateStatus: EdnaEventDefinition = {
	kind: 'templateStatus',
	displayName: 'Template Status Changed',
	description: 'A message template was approved, rejected, paused… (WhatsApp, Viber)',
	ednaSetting:
		'Integration → Settings → Main profile → Webhook URL for template registration status updates',
	callbackField: 'messageMatcherCallbackUrl',

	recognise: (event) =>
		isLegacy(event) ||
		('channelType' in event && 'status' in event && ('content' in event || 'locked' in event)),

	filters: [
		'templateStatuses',
		'otherTemplateStatuses',
		'templateCategories',
		'otherTemplateCategories',
		'channelTypes',
		'subjectIds',
	],
	keep: (event, filters) => {
		const t = templateOf(event);
		// Only the older format names channels; the current array carries none, so it is not filtered by ID.
		const channelKept =
			!Array.isArray(event.subjectIds) || channelMatches(filters, { ids: event.subjectIds });
		return (
			enumMatches(filters.templateStatuses, t.status) &&
			enumMatches(filters.templateCategories, t.category) &&
			enumMatches(filters.channelTypes, t.channelType) &&
			channelKept
		);
	},

	validate: (event) => (isLegacy(event) ? issuesOf(legacy, event) : issuesOf(template, event)),

	identity: (event) => {
		const t = templateOf(event);
		return joinKey(t.id, t.status, t.updatedAt);
	},

	simplify: (event) => {
		const t = templateOf(event);
		return {
			...(isLegacy(event) ? t : {}),
			templateId: orNull(t.id),
			templateName: orNull(t.name),
			text: orNull(objectAt(t, 'content').text),
			subjectIds: Array.isArray(event.subjectIds) ? event.subjectIds : null,
		};
	},
};
