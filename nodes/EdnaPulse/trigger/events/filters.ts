import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

/**
 * Filters of the node's `filters` collection. Names are stored in saved workflows: never rename.
 * Enumerations are matched case-insensitively (edna has sent both `DELIVERED` and `delivered`);
 * each has a free-text twin for values edna adds later.
 */
export type FilterName =
	| 'statuses'
	| 'otherStatuses'
	| 'contentTypes'
	| 'otherContentTypes'
	| 'templateStatuses'
	| 'otherTemplateStatuses'
	| 'templateCategories'
	| 'otherTemplateCategories'
	| 'channelTypes'
	| 'subjects'
	| 'subjectIds';

/** The user's filters, parsed once per request. An absent entry means "no filter". */
export interface ActiveFilters {
	statuses?: Set<string>;
	contentTypes?: Set<string>;
	templateStatuses?: Set<string>;
	templateCategories?: Set<string>;
	channelTypes?: Set<string>;
	subjects?: Set<string>;
	subjectIds?: Set<string>;
}

const option = (value: string, description?: string): INodePropertyOptions => ({
	name: value,
	value,
	...(description ? { description } : {}),
});

/** Message statuses: https://docs-pulse.edna.io/docs/api/messages/sending and the legacy status table. */
export const MESSAGE_STATUSES: INodePropertyOptions[] = [
	option('SENT', 'Accepted by the messenger or operator'),
	option('DELIVERED', 'Delivered to the device'),
	option('READ', 'Read by the customer'),
	option('UNDELIVERED', 'Could not be delivered'),
	option('FAILED', 'Processed with an error and not sent'),
	option('CANCELLED'),
	option('EXPIRED'),
	option('DELAYED'),
	option('ENQUEUED'),
	option('NO_MATCH_TEMPLATE', 'The text matched no registered template'),
];

/** Incoming `messageContent.type` values seen in edna's docs and in production. */
export const CONTENT_TYPES: INodePropertyOptions[] = [
	'TEXT',
	'IMAGE',
	'DOCUMENT',
	'AUDIO',
	'VOICE',
	'VIDEO',
	'LOCATION',
	'LIST_PICKER',
	'FLOW',
	'PRODUCT',
	'BUTTON',
].map((v) => option(v));

/** Template registration statuses: http://docs-pulse.edna.io/docs/api/templates/get-status */
export const TEMPLATE_STATUSES: INodePropertyOptions[] = [
	option('APPROVED', 'Active: the only status that allows sending'),
	option('REJECTED', 'Rejected by the operator'),
	option('PENDING', 'In registration'),
	option('NOT_SENT', 'Draft'),
	option('ARCHIVED'),
	option('PAUSED', 'Suspended by WhatsApp, usually for 3–6 hours'),
	option('DISABLED', 'Disabled by the WhatsApp operator'),
];

/** Template categories; `AUTHORIZATION` is edna's spelling of Meta's AUTHENTICATION. */
export const TEMPLATE_CATEGORIES: INodePropertyOptions[] = [
	'MARKETING',
	'UTILITY',
	'AUTHORIZATION',
	'ACCOUNT_UPDATE',
].map((v) => option(v));

export const CHANNEL_TYPES: INodePropertyOptions[] = ['WHATSAPP', 'VIBER', 'SMS'].map((v) =>
	option(v),
);

const splitList = (value: unknown): string[] =>
	typeof value === 'string'
		? value
				.split(',')
				.map((v) => v.trim())
				.filter((v) => v !== '')
		: [];

const asList = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : splitList(value);

function upperSet(...lists: string[][]): Set<string> | undefined {
	const values = lists.flat().map((v) => v.toUpperCase());
	return values.length > 0 ? new Set(values) : undefined;
}

function exactSet(list: string[]): Set<string> | undefined {
	return list.length > 0 ? new Set(list) : undefined;
}

/** Turns the raw `filters` parameter into sets. Empty selections mean "keep everything". */
export function parseFilters(raw: IDataObject | undefined): ActiveFilters {
	const f = raw ?? {};
	return {
		statuses: upperSet(asList(f.statuses), splitList(f.otherStatuses)),
		contentTypes: upperSet(asList(f.contentTypes), splitList(f.otherContentTypes)),
		templateStatuses: upperSet(asList(f.templateStatuses), splitList(f.otherTemplateStatuses)),
		templateCategories: upperSet(
			asList(f.templateCategories),
			splitList(f.otherTemplateCategories),
		),
		channelTypes: upperSet(asList(f.channelTypes)),
		subjects: exactSet(splitList(f.subjects)),
		subjectIds: exactSet(splitList(f.subjectIds)),
	};
}

const scalarText = (value: unknown): string | undefined =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** True when no filter is set, or the value is one of the wanted ones (case-insensitive). */
export function enumMatches(wanted: Set<string> | undefined, value: unknown): boolean {
	if (wanted === undefined) return true;
	const text = scalarText(value);
	return text !== undefined && wanted.has(text.toUpperCase());
}

/** Channel name and IDs as an event carries them; `ids` may hold several (older template format). */
export interface EventChannel {
	name?: unknown;
	ids?: unknown[];
}

/**
 * Channel filters for kinds that carry a channel. A missing name or ID does not match a set
 * filter: an event that cannot show it belongs to a wanted channel is not kept.
 */
export function channelMatches(filters: ActiveFilters, channel: EventChannel): boolean {
	if (filters.subjects !== undefined) {
		const name = scalarText(channel.name);
		if (name === undefined || !filters.subjects.has(name)) return false;
	}
	if (filters.subjectIds !== undefined) {
		const wanted = filters.subjectIds;
		const ids = (channel.ids ?? []).map(scalarText);
		if (!ids.some((id) => id !== undefined && wanted.has(id))) return false;
	}
	return true;
}
