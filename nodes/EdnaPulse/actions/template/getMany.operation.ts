import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channelLocator } from '../../shared/descriptions';
import { channelParameter, filtersCollection, resultLimit, returnAllOrLimit } from '../fields';
import type { OperationModule } from '../types';
import { simplifyField } from './fields';
import { channelTemplates } from './load';
import {
	filterTemplates,
	MATCHER_TYPES,
	simplifyTemplate,
	splitList,
	TEMPLATE_CATEGORIES,
	TEMPLATE_STATUSES,
} from './templates';

/**
 * Template → Get Many: a channel's templates (`POST message-matchers/get-by-request`, docs/edna-api.md
 * §4.1). edna filters by template type; status, category and language are filtered here.
 */

const title = (value: string): string =>
	value
		.toLowerCase()
		.split('_')
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join(' ');

export const description: INodeProperties[] = [
	channelLocator,
	{
		displayName: 'Status',
		name: 'statuses',
		type: 'multiOptions',
		default: ['APPROVED'],
		description: 'Only templates with one of these statuses. Empty: any status.',
		options: TEMPLATE_STATUSES.map((s) => ({ name: title(s), value: s })).sort((a, b) =>
			a.name.localeCompare(b.name),
		),
	},
	...returnAllOrLimit(),
	filtersCollection([
		{
			displayName: 'Category',
			name: 'categories',
			type: 'multiOptions',
			default: [],
			description: 'Only templates of these categories',
			options: TEMPLATE_CATEGORIES.map((c) => ({ name: title(c), value: c })).sort((a, b) =>
				a.name.localeCompare(b.name),
			),
		},
		{
			displayName: 'Language',
			name: 'languages',
			type: 'string',
			default: '',
			placeholder: 'e.g. en, en_US, ru',
			description:
				'Only templates in these languages (codes as edna gives them, comma-separated, any case)',
		},
		{
			displayName: 'Template Type',
			name: 'matcherTypes',
			type: 'multiOptions',
			default: [],
			description:
				'Operator: registered with WhatsApp (Meta) or Viber. User: made in edna from an operator template. Custom: made from scratch. Empty: all.',
			options: MATCHER_TYPES.map((t) => ({ name: title(t), value: t })),
		},
	]),
	simplifyField,
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const channel = await channelParameter(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const templates = await channelTemplates(
		this,
		Number(channel.subjectId),
		(filters.matcherTypes as string[] | undefined) ?? [],
	);
	const kept = filterTemplates(templates, {
		statuses: this.getNodeParameter('statuses', itemIndex, []) as string[],
		categories: (filters.categories as string[] | undefined) ?? [],
		languages: splitList(filters.languages),
	});
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return kept
		.slice(0, resultLimit(this, itemIndex))
		.map((t) => (simplify ? simplifyTemplate(t) : { ...t }));
}

export const getMany: OperationModule = {
	option: {
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many templates of a channel',
		description: "List a channel's message templates, approved ones by default",
	},
	description,
	execute,
};
