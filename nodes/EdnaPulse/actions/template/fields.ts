import type { INodeProperties } from 'n8n-workflow';

/** Parameters of the template operations (Template → Get Many / Get, Message → Send Template). */

/**
 * The template picker. The list shows the channel's templates labelled "name · language ·
 * category" (Send Template: approved, unlocked ones only); by ID and by name let an AI agent or an
 * expression name one without the list.
 */
export function templateLocator(
	searchListMethod: 'searchTemplates' | 'searchSendableTemplates',
): INodeProperties {
	return {
		displayName: 'Template',
		name: 'template',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			searchListMethod === 'searchSendableTemplates'
				? "The template to send: one of the channel's approved, unlocked templates"
				: 'The template, among the templates of the channel',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 5501',
				hint: "The template's ID in edna, as Template → Get Many lists it",
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*\\d+\\s*$',
							errorMessage: 'A template ID is a whole number',
						},
					},
				],
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. order_shipped · en',
				hint: 'The template name; add " · language" when it exists in several languages',
			},
		],
	};
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a simplified version of each template (ID, name, language, category, status, locked, text and variable counts) instead of the raw data',
};
