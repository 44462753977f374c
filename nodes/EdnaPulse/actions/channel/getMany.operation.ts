import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getChannels } from '../../transport/lists';
import { activeOnlyFilter, channelTypesFilter, filtersCollection, resultLimit, returnAllOrLimit } from '../fields';
import type { OperationModule } from '../types';

/** Channel → Get Many: `GET channel-profile[?types=…]` (docs/edna-api.md §3.1), with the channels' health. */

export const description: INodeProperties[] = [
	...returnAllOrLimit(),
	filtersCollection([activeOnlyFilter('channels'), channelTypesFilter('types')]),
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
	// edna's docs show `types` with one value only: one type is asked of edna, several are picked
	// here from the list of all channels, so no request depends on how edna reads a list.
	const types = filters.types ?? [];
	const channels = (await getChannels(this, types.length === 1 ? types : [])).filter(
		(c) =>
			(types.length <= 1 || types.includes(String(c.type ?? '').toUpperCase())) &&
			(filters.activeOnly !== true || (c.active === true && c.subjectId !== null && c.subjectId !== undefined)),
	);
	return channels.slice(0, resultLimit(this, itemIndex)).map((c) => channelItem(c as IDataObject));
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
