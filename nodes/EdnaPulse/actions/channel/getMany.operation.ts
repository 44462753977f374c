import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getChannels } from '../../transport';
import { limitField, returnAllField } from '../fields';
import type { OperationModule } from '../types';

/** Channel → Get Many: `GET channel-profile[?types=…]` (api doc §3.1), with the channels' health. */

export const description: INodeProperties[] = [
	returnAllField,
	limitField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Active Only',
				name: 'activeOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to list only active channels (those that can send)',
			},
			{
				displayName: 'Channel Types',
				name: 'types',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'SMS', value: 'SMS' },
					{ name: 'Viber', value: 'VIBER' },
					{ name: 'WhatsApp', value: 'WHATSAPP' },
				],
			},
		],
	},
];

/** One channel as the node outputs it: edna's fields, the health ones always present. */
export function channelItem(channel: IDataObject): IDataObject {
	return {
		...channel,
		subjectId: channel.subjectId ?? null,
		subject: channel.subject ?? null,
		type: channel.type ?? null,
		active: channel.active ?? null,
		registrationStatus: channel.registrationStatus ?? null,
		qualityScore: channel.qualityScore ?? null,
		qualityStatus: channel.qualityStatus ?? null,
		limit: channel.limit ?? null,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { types?: string[]; activeOnly?: boolean };
	const channels = (await getChannels(this, filters.types ?? [])).filter(
		(c) => filters.activeOnly !== true || (c.active === true && c.subjectId !== null && c.subjectId !== undefined),
	);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? channels.length : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return channels.slice(0, limit).map((c) => channelItem(c as IDataObject));
}

export const getMany: OperationModule = {
	option: {
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many channels',
		description: 'List the channels (senders) of the API key, with their status, quality and daily limit',
	},
	description,
	execute,
};
