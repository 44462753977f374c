import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { channelLocator, locatorOf } from '../../shared/descriptions';
import { channelParameter } from '../fields';
import type { OperationModule } from '../types';
import { simplifyField, templateLocator } from './fields';
import { channelTemplates, pickTemplate } from './load';
import { simplifyTemplate } from './templates';

/**
 * Template → Get: one template of a channel, by ID or name. edna has no get-by-id (docs/edna-api.md §4.1,
 * §10.13): the channel's list is read and the template picked from it, with an error naming the
 * channel when it is not there.
 */

export const description: INodeProperties[] = [
	channelLocator,
	templateLocator('searchTemplates'),
	simplifyField,
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const channel = await channelParameter(this, itemIndex);
	const template = pickTemplate(
		await channelTemplates(this, Number(channel.subjectId)),
		channel,
		locatorOf(this.getNodeParameter('template', itemIndex)),
	);
	return [
		this.getNodeParameter('simplify', itemIndex, true)
			? simplifyTemplate(template)
			: { ...template },
	];
}

export const get: OperationModule = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a template',
		description: 'Get one template of a channel by its ID or name',
	},
	description,
	execute,
};
