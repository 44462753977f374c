import type { IDataObject, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { allVariables, templateVariables } from './variables';

/**
 * The resource mapper's columns for a template: one required text field per variable, named so
 * the user sees where it goes and, when it fits, edna's example value (e.g. "Body {{1}} (e.g. Alex)").
 */
export function variableColumns(template: IDataObject): ResourceMapperFields {
	const variables = templateVariables(template);
	const fields = allVariables(variables).map(
		(v): ResourceMapperField => ({
			id: v.key,
			displayName: v.displayName,
			required: true,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		}),
	);
	if (fields.length > 0) return { fields };
	const media =
		variables.mediaHeader === null
			? ''
			: ` Its ${variables.mediaHeader.toLowerCase()} header needs Header Media URL.`;
	return {
		fields,
		emptyFieldsNotice: `This template has no variables: nothing to fill in.${media}`,
	};
}
