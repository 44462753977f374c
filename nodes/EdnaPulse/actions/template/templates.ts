import type { IDataObject, INodeListSearchResult } from 'n8n-workflow';

import { isObject, objectAt, orNull } from '../../shared/json';
import { templateVariables } from './variables';

/**
 * edna's templates ("message matchers") as the node reads them: the request body of
 * `message-matchers/get-by-request`, the filters edna does not apply itself, the simplified item,
 * the picker label, and the lookup by ID or name (edna has no get-by-id, docs/edna-api.md §4.1 and §10.13:
 * list the channel's templates and pick).
 */

export const TEMPLATE_LIST_PATH = 'message-matchers/get-by-request';

export const MATCHER_TYPES = ['OPERATOR', 'USER', 'CUSTOM'] as const;

/** Statuses seen in edna's docs and clients (docs/edna-api.md §4.1). */
export const TEMPLATE_STATUSES = [
	'APPROVED',
	'PENDING',
	'REJECTED',
	'NOT_SENT',
	'PAUSED',
	'DISABLED',
	'ARCHIVED',
] as const;

/** `AUTHORIZATION` is the spelling of the category-change webhook; which one the API uses is open (§10.13). */
export const TEMPLATE_CATEGORIES = [
	'MARKETING',
	'UTILITY',
	'AUTHENTICATION',
	'AUTHORIZATION',
	'ACCOUNT_UPDATE',
] as const;

/** `{subjectId, matcherTypes?}`: edna filters by type itself; no types means all of them. */
export function templateListBody(
	subjectId: number,
	matcherTypes: readonly string[] = [],
): IDataObject {
	return matcherTypes.length > 0 ? { subjectId, matcherTypes: [...matcherTypes] } : { subjectId };
}

/** edna's answer as a list of template objects; anything else in it is dropped. */
export const templateList = (response: unknown): IDataObject[] =>
	Array.isArray(response) ? response.filter(isObject) : [];

export interface TemplateFilters {
	/** Empty: every status. */
	statuses?: readonly string[];
	/** Empty: every category. */
	categories?: readonly string[];
	/** Language codes (`en`, `en_US`, `RU`); compared without case. Empty: every language. */
	languages?: readonly string[];
}

const upper = (value: unknown): string => (typeof value === 'string' ? value.toUpperCase() : '');

const inList = (list: readonly string[] | undefined, value: unknown): boolean =>
	list === undefined ||
	list.length === 0 ||
	list.some((entry) => entry.toUpperCase() === upper(value));

/** Splits a "en, en_US" field into codes. */
export const splitList = (value: unknown): string[] =>
	typeof value === 'string'
		? value
				.split(',')
				.map((part) => part.trim())
				.filter((part) => part !== '')
		: [];

export function filterTemplates(templates: IDataObject[], filters: TemplateFilters): IDataObject[] {
	return templates.filter(
		(t) =>
			inList(filters.statuses, t.status) &&
			inList(filters.categories, t.category) &&
			inList(filters.languages, t.language),
	);
}

/** What edna sends: APPROVED and not locked (`template-not-approved`, sandbox/README.md, Choices; docs/edna-api.md §9). */
export const isSendable = (template: IDataObject): boolean =>
	upper(template.status) === 'APPROVED' && template.locked !== true;

/** The picker's label: "name · language · category". */
export function templateLabel(template: IDataObject): string {
	return [template.name, template.language, template.category]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(' · ');
}

/** The item of Template → Get Many / Get with Simplify on. */
export function simplifyTemplate(template: IDataObject): IDataObject {
	const content = objectAt(template, 'content');
	const variables = templateVariables(template);
	return {
		id: orNull(template.id),
		name: orNull(template.name),
		language: orNull(template.language),
		category: orNull(template.category),
		status: orNull(template.status),
		locked: template.locked === true,
		type: orNull(template.type),
		channelType: orNull(template.channelType),
		text: orNull(content.text),
		headerType: orNull(objectAt(content, 'header').headerType),
		bodyVariables: variables.body.length,
		headerVariables: variables.header.length,
		buttonVariables: variables.buttons.length,
		mediaHeader: variables.mediaHeader,
	};
}

export type TemplateLookup =
	| { found: true; template: IDataObject }
	| { found: false; message: string };

const idText = (value: unknown): string =>
	typeof value === 'number' || typeof value === 'string' ? String(value).trim() : '';

/**
 * Finds a template by edna ID, or by name. A name is unique only per language (edna's rule,
 * docs/edna-api.md §4.2), so "name" works when one language has it and "name · language" (the picker's
 * label, category optional) otherwise.
 */
export function findTemplate(
	templates: IDataObject[],
	by: 'id' | 'name',
	value: unknown,
	channelLabel: string,
): TemplateLookup {
	const wanted = idText(value);
	if (wanted === '')
		return { found: false, message: `No template ${by === 'id' ? 'ID' : 'name'} was given.` };
	if (by === 'id') {
		const template = templates.find((t) => idText(t.id) === wanted);
		return template !== undefined
			? { found: true, template }
			: {
					found: false,
					message: `Channel ${channelLabel} has no template with ID ${wanted} (it has ${templates.length} template${templates.length === 1 ? '' : 's'}).`,
				};
	}
	const [name, language, category] = wanted.split('·').map((part) => part.trim());
	const matches = templates.filter(
		(t) =>
			t.name === name &&
			(language === undefined || upper(t.language) === language.toUpperCase()) &&
			(category === undefined || upper(t.category) === category.toUpperCase()),
	);
	if (matches.length === 1) return { found: true, template: matches[0] };
	if (matches.length === 0) {
		return { found: false, message: `Channel ${channelLabel} has no template named "${wanted}".` };
	}
	const labels = matches.map(templateLabel).join('", "');
	return {
		found: false,
		message: `Channel ${channelLabel} has ${matches.length} templates named "${name}": give one as "name · language", e.g. "${labels}".`,
	};
}

export const TEMPLATE_PAGE_SIZE = 50;

/**
 * One page of the template picker. edna returns a channel's templates in one list, so paging is
 * done here: the token is the offset of the next page. The filter matches the label or the ID.
 */
export function templateSearchPage(
	templates: IDataObject[],
	filter: string | undefined,
	paginationToken: string | undefined,
	pageSize = TEMPLATE_PAGE_SIZE,
): INodeListSearchResult {
	const needle = (filter ?? '').trim().toLowerCase();
	const matching = templates
		.filter(
			(t) =>
				needle === '' || templateLabel(t).toLowerCase().includes(needle) || idText(t.id) === needle,
		)
		.sort((a, b) => templateLabel(a).localeCompare(templateLabel(b)));
	const offset = Math.max(0, Number.parseInt(paginationToken ?? '0', 10) || 0);
	const page = matching.slice(offset, offset + pageSize);
	const next = offset + pageSize;
	return {
		results: page.map((t) => ({
			name: templateLabel(t),
			value: idText(t.id),
			description:
				typeof objectAt(t, 'content').text === 'string'
					? String(objectAt(t, 'content').text).slice(0, 150)
					: undefined,
		})),
		paginationToken: next < matching.length ? String(next) : undefined,
	};
}
