import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ednaRequest } from '../../transport';
import { channelTypesFilter, filtersCollection, resultLimit, returnAllOrLimit } from '../fields';
import type { OperationModule } from '../types';
import { BuildError } from '../errors';
import { historyBody, normalisePhone, type HistoryQuery } from './bodies';

/**
 * Message → Get Status: `POST messages/history` (docs/edna-api.md §6), by edna's message ID or by phone and
 * period, paged with offset/limit until `hasNext` is false.
 */

/** edna's largest page (where edna's docs are silent: sandbox/README.md, Choices: limit default 100, max 1000). */
export const MAX_PAGE = 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		noDataExpression: true,
		default: 'messageId',
		options: [
			{ name: 'Message ID', value: 'messageId', description: 'The messageId edna gave the message, e.g. from a Message Status Changed item' },
			{ name: 'Phone and Period', value: 'phone', description: 'The messages exchanged with one phone number' },
		],
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '={{ $json.messageId }}',
		required: true,
		description: 'The numeric messageId edna gave the message (status webhook, history), not the requestId the node sent',
		displayOptions: { show: { findBy: ['messageId'] } },
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +357 9000 0001',
		displayOptions: { show: { findBy: ['phone'] } },
	},
	{
		displayName: 'From',
		name: 'dateFrom',
		type: 'dateTime',
		default: '',
		description: 'Start of the period (ISO 8601; without a time zone, UTC). Empty: no start.',
		displayOptions: { show: { findBy: ['phone'] } },
	},
	{
		displayName: 'To',
		name: 'dateTo',
		type: 'dateTime',
		default: '',
		description: 'End of the period (ISO 8601; without a time zone, UTC). Empty: until now.',
		displayOptions: { show: { findBy: ['phone'] } },
	},
	...returnAllOrLimit({ findBy: ['phone'] }),
	filtersCollection(
		[
			channelTypesFilter('channelTypes'),
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				default: 'OUT',
				options: [
					{ name: 'Incoming', value: 'IN' },
					{ name: 'Outgoing', value: 'OUT' },
				],
			},
		],
		{ findBy: ['phone'] },
	),
];

interface HistoryPage {
	hasNext?: boolean;
	content?: unknown[];
}

/** A history entry as output: `content` decoded when edna sends it as a JSON string (docs/edna-api.md §6). */
export function historyItem(entry: unknown): IDataObject {
	const item = { ...((typeof entry === 'object' && entry !== null ? entry : { value: entry }) as IDataObject) };
	if (typeof item.content === 'string') {
		try {
			item.content = JSON.parse(item.content) as IDataObject;
		} catch {
			// Not JSON after all: kept as edna sent it.
		}
	}
	return item;
}

/** Pages through `messages/history` until `hasNext` is false, an empty page, or `wanted` entries. */
export async function readHistory(
	fetchPage: (offset: number, limit: number) => Promise<HistoryPage>,
	wanted: number,
): Promise<IDataObject[]> {
	const entries: IDataObject[] = [];
	let offset = 0;
	while (entries.length < wanted) {
		const limit = Math.min(MAX_PAGE, wanted - entries.length);
		const page = await fetchPage(offset, limit);
		const content = Array.isArray(page.content) ? page.content : [];
		entries.push(...content.slice(0, wanted - entries.length).map(historyItem));
		if (page.hasNext !== true || content.length === 0) break;
		offset += content.length;
	}
	return entries;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const findBy = this.getNodeParameter('findBy', itemIndex) as string;
	let query: HistoryQuery;
	let wanted: number;
	if (findBy === 'messageId') {
		const messageId = this.getNodeParameter('messageId', itemIndex, '');
		if (messageId === '' || messageId === null || messageId === undefined) {
			throw new BuildError('The edna message ID is empty', "Enter edna's messageId, e.g. from a Message Status Changed item.");
		}
		query = { messageId };
		wanted = MAX_PAGE;
	} else {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		query = {
			phone: normalisePhone(this.getNodeParameter('phone', itemIndex)),
			dateFrom: this.getNodeParameter('dateFrom', itemIndex, '') as string,
			dateTo: this.getNodeParameter('dateTo', itemIndex, '') as string,
			direction: typeof filters.direction === 'string' ? filters.direction : undefined,
			channelTypes: Array.isArray(filters.channelTypes) ? (filters.channelTypes as string[]) : undefined,
		};
		wanted = resultLimit(this, itemIndex);
	}
	historyBody(query, 0, 1); // Checks the query before the first call.
	return await readHistory(
		async (offset, limit) =>
			await ednaRequest<HistoryPage>(this, {
				method: 'POST',
				path: 'messages/history',
				body: historyBody(query, offset, limit) as IDataObject,
				kind: 'read',
				itemIndex,
			}),
		wanted,
	);
}

export const getStatus: OperationModule = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the delivery status of sent messages',
		description: "Look up messages and their delivery status in edna's message history",
	},
	description,
	execute,
};
