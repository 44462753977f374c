import type {
	IDisplayOptions,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';

import { getChannels, type EdnaChannel } from '../transport';
import { findChannel } from './message/cascade';

/**
 * Parameters several operations share. Pickers are resource locators (list, by ID, by name) so
 * that an AI agent using the node as a tool can fill them with plain values.
 */

export const channelLocator: INodeProperties = {
	displayName: 'Channel',
	name: 'channel',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The edna channel (sender) to use. Only active channels can send.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchChannels', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 101',
			hint: 'The channel\'s subjectId, as Channel → Get Many lists it',
			validation: [
				{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A channel ID (subjectId) is a whole number' } },
			],
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. shop_WA',
			hint: 'The channel\'s name in edna (the "subject" field)',
		},
	],
};

export const cascadeLocator: INodeProperties = {
	displayName: 'Cascade',
	name: 'cascade',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The cascade to send through. The node sends content for each of its stages.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCascades', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 201',
			validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A cascade ID is a whole number' } }],
		},
		{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. WhatsApp then SMS' },
	],
};

/** A resource locator's mode and value, whatever form the parameter came in (an agent may give a plain value). */
export function locatorOf(value: unknown): { mode: string; value: string } {
	if (typeof value === 'object' && value !== null && 'value' in value) {
		const rl = value as INodeParameterResourceLocator;
		return { mode: String(rl.mode ?? 'id'), value: String(rl.value ?? '') };
	}
	return { mode: 'id', value: typeof value === 'string' || typeof value === 'number' ? String(value) : '' };
}

/** The channel a Channel parameter names, checked against the key's channel list. */
export async function channelParameter(ctx: IExecuteFunctions, itemIndex: number, name = 'channel'): Promise<EdnaChannel> {
	const { mode, value } = locatorOf(ctx.getNodeParameter(name, itemIndex));
	return findChannel(await getChannels(ctx), mode, value);
}

const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** Return All and Limit, shown where `show` allows (Limit also only while Return All is off). */
export function returnAllOrLimit(show?: IDisplayOptions['show']): INodeProperties[] {
	if (show === undefined) return [returnAllField, limitField];
	return [
		{ ...returnAllField, displayOptions: { show } },
		{ ...limitField, displayOptions: { show: { ...show, returnAll: [false] } } },
	];
}

/** How many results the Return All / Limit parameters ask for (all: Infinity, so `slice(0, n)` keeps all). */
export function resultLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? Number.POSITIVE_INFINITY : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
}

/** The Options collection an operation's optional parameters go in. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}

/** The Filters collection of a list operation. */
export function filtersCollection(options: INodeProperties[], show?: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		...(show === undefined ? {} : { displayOptions: { show } }),
		options,
	};
}

/** The Active Only filter: `what` are the things listed ("channels", "cascades"). */
export function activeOnlyFilter(what: string): INodeProperties {
	return {
		displayName: 'Active Only',
		name: 'activeOnly',
		type: 'boolean',
		default: false,
		description: `Whether to list only active ${what} (those that can send)`,
	};
}

/** A filter by edna channel type; `name` is the parameter it is read back as. */
export function channelTypesFilter(name: string): INodeProperties {
	return {
		displayName: 'Channel Types',
		name,
		type: 'multiOptions',
		default: [],
		options: [
			{ name: 'SMS', value: 'SMS' },
			{ name: 'Viber', value: 'VIBER' },
			{ name: 'WhatsApp', value: 'WHATSAPP' },
		],
	};
}
