import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getCascades } from '../../transport/lists';
import { cascadeLocator, channelLocator, locatorOf } from '../../shared/descriptions';
import { channelParameter, optionsCollection } from '../fields';
import type { BatchState, OperationModule } from '../types';
import { BuildError } from '../errors';
import { contentOf, type ContentType } from './bodies';
import { chosenRoute, ownRoute, type Route } from '../cascade/cascades';
import { deliverThroughCascade, phoneParameter, recipientOf, sendOptions } from './deliver';
import { commentOption, recipientPhoneField, sendIdOption } from './fields';
import { checkBeforeSend, windowOptions } from './window';
import { handOverOption } from './handOver';
import { campaignIdOption, channelCheckOption, paceOptions } from './campaign';

/** Message → Send: one message through a cascade (`POST cascade/schedule`, docs/edna-api.md §2.1). */

const MEDIA: ContentType[] = ['image', 'document', 'video', 'audio'];

export const contentFields: INodeProperties[] = [
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'options',
		default: 'text',
		options: [
			{ name: 'Audio', value: 'audio', description: 'An audio file by URL' },
			{ name: 'Document', value: 'document', description: 'A file (PDF…) by URL' },
			{ name: 'Image', value: 'image', description: 'A picture by URL' },
			{ name: 'Location', value: 'location', description: 'A point on the map (WhatsApp)' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video', description: 'A video by URL' },
		],
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The message. SMS stages of the cascade send it too, unless an SMS fallback text is set.',
		displayOptions: { show: { contentType: ['text'] } },
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/files/offer.pdf',
		description: 'Public https:// URL of the file. edna Pulse takes media by URL only, not as n8n binary data.',
		displayOptions: { show: { contentType: MEDIA } },
	},
	{
		displayName: 'Media Name',
		name: 'mediaName',
		type: 'string',
		default: '',
		description: 'File name shown to the customer, at most 70 characters. Empty: the file name at the end of the URL.',
		displayOptions: { show: { contentType: MEDIA } },
	},
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		typeOptions: { numberPrecision: 7, minValue: -90, maxValue: 90 },
		default: 0,
		required: true,
		displayOptions: { show: { contentType: ['location'] } },
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		typeOptions: { numberPrecision: 7, minValue: -180, maxValue: 180 },
		default: 0,
		required: true,
		displayOptions: { show: { contentType: ['location'] } },
	},
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		placeholder: 'e.g. London, Buckingham street',
		displayOptions: { show: { contentType: ['location'] } },
	},
];

export const fallbackTextOption: INodeProperties = {
	displayName: 'SMS Fallback Text',
	name: 'fallbackText',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	description:
		"What the cascade's SMS stage sends. Empty: the message text. Needed when the message is media or a location and the cascade has an SMS stage.",
};

export const description: INodeProperties[] = [
	recipientPhoneField,
	{
		displayName: 'Cascade',
		name: 'cascadeChoice',
		type: 'options',
		noDataExpression: true,
		default: 'automatic',
		options: [
			{
				name: "Automatic (the Channel's Own Cascade)",
				value: 'automatic',
				description: 'Send on one channel, through its active single-stage cascade',
			},
			{
				name: 'Choose a Cascade',
				value: 'cascade',
				description: 'Send through a cascade of your choice, e.g. WhatsApp then SMS',
			},
		],
	},
	{ ...channelLocator, displayOptions: { show: { cascadeChoice: ['automatic'] } } },
	{ ...cascadeLocator, name: 'cascade', displayOptions: { show: { cascadeChoice: ['cascade'] } } },
	...contentFields,
	optionsCollection([
		commentOption,
		windowOptions.outsideWindow,
		handOverOption,
		{
			displayName: 'Send Time',
			name: 'startTime',
			type: 'dateTime',
			default: '',
			description: 'When edna sends the message (ISO 8601; without a time zone, UTC). Empty: now.',
		},
		sendIdOption,
		fallbackTextOption,
		windowOptions.margin,
		windowOptions.template,
		windowOptions.variables,
		campaignIdOption,
		...paceOptions,
		channelCheckOption,
	]),
];

/** The binary-data case, said plainly: edna has no upload endpoint, media go by URL (docs/edna-api.md §2.1). */
export function refuseBinaryMedia(ctx: IExecuteFunctions, itemIndex: number, contentType: string, url: unknown): void {
	const binary = ctx.getInputData()[itemIndex]?.binary;
	if (!MEDIA.includes(contentType as ContentType)) return;
	if (typeof url === 'string' && url.trim() !== '') return;
	if (binary !== undefined && Object.keys(binary).length > 0) {
		throw new BuildError(
			'edna Pulse takes media by URL, not as a file',
			'This item carries a file (binary data), but edna downloads media from a URL. Put the file somewhere public (your website, a storage bucket) and enter its https:// URL in Media URL.',
		);
	}
}

/** The route the Cascade parameter names: the chosen cascade, or the channel's own (automatic). */
export async function routeParameter(ctx: IExecuteFunctions, itemIndex: number): Promise<Route> {
	if (ctx.getNodeParameter('cascadeChoice', itemIndex, 'automatic') === 'cascade') {
		return chosenRoute(await getCascades(ctx), locatorOf(ctx.getNodeParameter('cascade', itemIndex)));
	}
	const channel = await channelParameter(ctx, itemIndex);
	return ownRoute(await getCascades(ctx), channel);
}

export async function execute(this: IExecuteFunctions, itemIndex: number, batch: BatchState): Promise<IDataObject[]> {
	const phone = recipientOf(this, itemIndex, batch);
	const contentType = this.getNodeParameter('contentType', itemIndex) as ContentType;
	const mediaUrl = MEDIA.includes(contentType) ? this.getNodeParameter('mediaUrl', itemIndex, '') : undefined;
	refuseBinaryMedia(this, itemIndex, contentType, mediaUrl);
	const content = contentOf({
		contentType,
		text: contentType === 'text' ? this.getNodeParameter('text', itemIndex, '') : undefined,
		mediaUrl,
		mediaName: MEDIA.includes(contentType) ? this.getNodeParameter('mediaName', itemIndex, '') : undefined,
		latitude: contentType === 'location' ? this.getNodeParameter('latitude', itemIndex) : undefined,
		longitude: contentType === 'location' ? this.getNodeParameter('longitude', itemIndex) : undefined,
		address: contentType === 'location' ? this.getNodeParameter('address', itemIndex, '') : undefined,
	});
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const route = await routeParameter(this, itemIndex);
	const target = { channel: route.channel.subject ?? String(route.channel.subjectId), what: 'message', recipient: phone };
	const identify = () => sendOptions(this, itemIndex, batch, options, target);
	const { window, item } = await checkBeforeSend(this, itemIndex, {
		channelType: route.channel.channelType,
		subjectId: route.channel.subjectId,
		phone,
		options,
		identify,
	});
	if (item !== undefined) return [item];
	const sent = await deliverThroughCascade(this, itemIndex, {
		phone,
		...route,
		content,
		fallbackText: typeof options.fallbackText === 'string' ? options.fallbackText : undefined,
		startTime: typeof options.startTime === 'string' ? options.startTime : undefined,
		...identify(),
	});
	return [window === null ? sent : { ...sent, sentAs: 'message', window }];
}

export const send: OperationModule = {
	option: {
		name: 'Send',
		value: 'send',
		action: 'Send a message to a phone number',
		description: 'Send a text, media or location message through a cascade (WhatsApp, Viber, SMS)',
	},
	description,
	execute,
	paced: {
		recipient(itemIndex) {
			return phoneParameter(this, itemIndex);
		},
		async subjectId(itemIndex) {
			return (await routeParameter(this, itemIndex)).channel.subjectId;
		},
		channelParameters: ['cascadeChoice', 'channel', 'cascade'],
	},
};
