import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { locatorOf } from '../shared/descriptions';
import { BuildError } from '../actions/errors';
import { channelTemplates, pickTemplate } from '../actions/template/load';
import { variableColumns } from '../actions/template/columns';
import { currentChannel } from './templateSearch';

/**
 * Message → Send Template's variable fields, generated from the chosen template itself: one field
 * per body `{{n}}`, header `{{1}}` and dynamic URL button (actions/template/variables.ts).
 */
export async function getTemplateVariables(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const template = locatorOf(this.getCurrentNodeParameter('template'));
	const channelValue = locatorOf(this.getCurrentNodeParameter('channel')).value;
	// An expression is resolved only when the workflow runs: the editor cannot know the template.
	if (template.value.startsWith('=') || channelValue.startsWith('=')) {
		return {
			fields: [],
			emptyFieldsNotice:
				'The channel or template is set by an expression, so its variables cannot be shown here: give them in Options → Variables (JSON).',
		};
	}
	if (template.value.trim() === '') {
		return {
			fields: [],
			emptyFieldsNotice: 'Pick the channel and the template first: their variables appear here.',
		};
	}
	const channel = await currentChannel(this);
	if (channel === undefined) {
		return {
			fields: [],
			emptyFieldsNotice: 'Pick the channel first: templates belong to a channel.',
		};
	}
	const templates = await channelTemplates(this, Number(channel.subjectId));
	try {
		return variableColumns(pickTemplate(templates, channel, template));
	} catch (error) {
		// A template that is not (or no longer) there: said where the fields would be.
		if (error instanceof BuildError) return { fields: [], emptyFieldsNotice: error.message };
		throw new NodeOperationError(this.getNode(), error as Error);
	}
}

export const resourceMapping = { getTemplateVariables };
