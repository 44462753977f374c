import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getCascades, getChannels } from '../../transport/lists';
import { optionsCollection } from '../fields';
import type { BatchState, OperationModule } from '../types';
import { contentOf, type ContentType, type MediaType } from './bodies';
import { ownRoute } from '../cascade/cascades';
import { findChannel } from '../channel/channels';
import { deliverThroughCascade, sendOptions } from './deliver';
import { commentOption, sendIdOption } from './fields';
import { replyTarget } from './reply';
import { checkBeforeSend, windowOptions } from './window';
import { handOverOption } from './handOver';

/**
 * Message → Reply: answers a Message Received item of the edna Pulse Trigger on the channel it
 * came in on, through that channel's own cascade. The user writes only the reply.
 */

export const description: INodeProperties[] = [
	{
		displayName:
			'Connect this to an edna Pulse Trigger set to "Message Received": the reply goes to the sender, on the channel the message came in on',
		name: 'replyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Reply Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Thank you for your message! We will answer shortly.',
		description: 'The text of the reply. With a media URL (Options), WhatsApp sends the media only.',
	},
	optionsCollection([
		commentOption,
		{
			displayName: 'Media Name',
			name: 'mediaName',
			type: 'string',
			default: '',
			description: 'File name shown to the customer, at most 70 characters. Empty: the file name at the end of the URL.',
		},
		{
			displayName: 'Media Type',
			name: 'mediaType',
			type: 'options',
			default: 'image',
			options: [
				{ name: 'Audio', value: 'audio' },
				{ name: 'Document', value: 'document' },
				{ name: 'Image', value: 'image' },
				{ name: 'Video', value: 'video' },
			],
		},
		{
			displayName: 'Media URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/files/offer.pdf',
			description: 'Send a file instead of the text: its public https:// URL (edna Pulse takes media by URL only)',
		},
		windowOptions.outsideWindow,
		handOverOption,
		sendIdOption,
		windowOptions.margin,
		windowOptions.template,
		windowOptions.variables,
	]),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, batch: BatchState): Promise<IDataObject[]> {
	const target = replyTarget(this.getInputData()[itemIndex]?.json);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const text = this.getNodeParameter('text', itemIndex, '');
	const url = typeof options.mediaUrl === 'string' ? options.mediaUrl.trim() : '';
	const mediaType = (options.mediaType as MediaType | undefined) ?? 'image';
	const content =
		url === ''
			? contentOf({ contentType: 'text', text })
			: contentOf({ contentType: mediaType as ContentType, mediaUrl: url, mediaName: options.mediaName ?? '' });
	// The channel type and the channel's own cascade, from the key's lists (docs/edna-api.md §3).
	const channel = findChannel(await getChannels(this), 'id', String(target.subjectId));
	const route = ownRoute(await getCascades(this), channel);
	const identify = () => sendOptions(this, itemIndex, batch, options);
	const { window, item } = await checkBeforeSend(this, itemIndex, {
		channelType: route.channel.channelType,
		subjectId: target.subjectId,
		phone: target.phone,
		options,
		identify,
	});
	if (item !== undefined) return [item];
	const sent = await deliverThroughCascade(this, itemIndex, {
		phone: target.phone,
		cascade: route.cascade,
		channel: { ...route.channel, subject: route.channel.subject ?? target.subject },
		content,
		// A media reply on a channel whose cascade has an SMS stage falls back to the text.
		fallbackText: typeof text === 'string' ? text : '',
		...identify(),
	});
	return [window === null ? sent : { ...sent, sentAs: 'message', window }];
}

export const reply: OperationModule = {
	option: {
		name: 'Reply',
		value: 'reply',
		action: 'Reply to the customer who wrote',
		description: 'Answer a message from the edna Pulse Trigger on the channel it came in on',
	},
	description,
	execute,
};
