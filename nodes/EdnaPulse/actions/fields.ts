import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getChannels, type EdnaChannel } from '../transport/lists';
import { locatorOf } from '../shared/descriptions';
import { findChannel } from './channel/channels';

/** Parameters several operations share (the locators both nodes use: shared/descriptions.ts). */

/** `={{ $json.<field> }}` and nothing else: the item's own field. */
const ITEM_FIELD = /^=\{\{\s*\$json\.([A-Za-z_$][\w$]*)\s*\}\}$/;

/**
 * A parameter's value for one item. When the parameter is exactly `{{ $json.<field> }}` (the Recipient
 * Phone of a list, as a rule) the value is that field of the input item, read directly: the same
 * value n8n's expression gives, without n8n 2.x's expression isolate, which costs about half a
 * millisecond per item (10,000 rows: 6 s before a campaign's first send; BENCHMARKS.md). Any other
 * value goes through n8n as usual.
 */
export function itemParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const saved = ctx.getNode().parameters[name];
	const field = typeof saved === 'string' ? ITEM_FIELD.exec(saved)?.[1] : undefined;
	const json = ctx.getInputData()[itemIndex]?.json;
	if (field !== undefined && json !== undefined && Object.prototype.hasOwnProperty.call(json, field)) return json[field];
	return ctx.getNodeParameter(name, itemIndex);
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
