import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sessionIdOf } from '../../shared/chat';
import { ednaRequest } from '../../transport';
import { getChannels } from '../../transport/lists';
import { channelLocator, locatorOf } from '../../shared/descriptions';
import { optionsCollection } from '../fields';
import { BuildError } from '../errors';
import { historyBody } from '../message/bodies';
import { findChannel } from '../channel/channels';
import { MAX_PAGE, readHistory } from '../message/getStatus.operation';
import type { OperationModule } from '../types';
import { conversationOf, pendingOf, receivedHere, WINDOW_HOURS } from './conversation';

/**
 * Conversation → Get: one customer on one channel, read from edna's message history (`POST
 * messages/history` filtered by `subjectId` and the customer's phone, docs/edna-api.md §6), paged with
 * offset/limit until `hasNext` is false. edna holds the state, so this works as an agent's memory
 * without a database and in queue mode. The rules for what edna leaves open are in conversation.ts.
 */

/** At most this many history entries are read per conversation (ten of edna's largest pages). */
export const MAX_ENTRIES = 10 * MAX_PAGE;

/** The options' defaults (the same numbers as in the description below, where the lint wants literals). */
export const DEFAULTS = { maxMessages: 20, hoursBack: 72, windowMarginMinutes: 60, handOverMinutes: 60 };

const HOUR_MS = 3_600_000;

/** Window Safety Margin (Minutes): here and in Reply's and Send's window check (message/window.ts). */
export const windowMarginOption: INodeProperties = {
	displayName: 'Window Safety Margin (Minutes)',
	name: 'windowMarginMinutes',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 60,
	description:
		"Minutes taken off WhatsApp's 24-hour window, so that a reply is not sent in its last moments: with 60, the window counts as closed 23 hours after the customer's last message",
};

export const description: INodeProperties[] = [
	{
		displayName:
			'After an edna Pulse Trigger set to "Message Received", the channel, the customer and the message to check come from its item',
		name: 'conversationNotice',
		type: 'notice',
		default: '',
	},
	{
		...channelLocator,
		default: { mode: 'id', value: '={{ $json.subjectId }}' },
		description:
			"The channel of the conversation: its subjectId (a whole number) or its name. Default: the trigger item's subjectId.",
	},
	{
		displayName: 'Customer Phone',
		name: 'phone',
		type: 'string',
		default: '={{ $json.subscriber?.identifier }}',
		required: true,
		placeholder: 'e.g. +357 9000 0001',
		description:
			"The customer's phone in international format (spaces, dashes and a leading + are removed). Default: the trigger item's subscriber.identifier.",
	},
	optionsCollection([
		{
			displayName: 'Hand-Over Time (Minutes)',
			name: 'handOverMinutes',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 60,
			description:
				"How long after a person (e.g. in edna's chat centre) last wrote to the customer operatorActive stays true, so a bot can stay quiet. A message counts as a person's when edna's history shows it without a comment (the edna Pulse node's own sends carry one from version 1.1).",
		},
		{
			displayName: 'Hours Back',
			name: 'hoursBack',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 72,
			description:
				"How far back the turns and transcript go, in hours. The 24-hour window and the unanswered messages always look back at least 24 hours.",
		},
		{
			displayName: 'Incoming Message ID',
			name: 'incomingMessageId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 5043874',
			description:
				"The customer's message to check as their newest (isNewest). Without this option: the input item's ID when it is a Message Received item of this conversation. Empty: not checked.",
		},
		{
			displayName: 'Max Messages',
			name: 'maxMessages',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_ENTRIES },
			default: 20,
			description: 'How many of the most recent messages, in both directions, the turns and the transcript hold',
		},
		windowMarginOption,
	]),
];

/** The channel's subjectId: a number is used as it is; a name is looked up among the key's channels. */
async function subjectIdOf(ctx: IExecuteFunctions, itemIndex: number): Promise<number> {
	const { mode, value } = locatorOf(ctx.getNodeParameter('channel', itemIndex));
	const given = value.trim();
	if (given === '') {
		throw new BuildError(
			'No channel is given for the conversation',
			'Pick the channel, enter its ID (subjectId) or name, or put this node after an edna Pulse Trigger set to "Message Received".',
		);
	}
	if (/^\d+$/.test(given)) return Number(given);
	if (mode !== 'name') {
		throw new BuildError(`The channel ID "${given}" is not a whole number`, "Enter the channel's subjectId, as Channel → Get Many lists it, or choose By Name.");
	}
	return findChannel(await getChannels(ctx), 'name', given).subjectId as number;
}

/** The customer's phone as edna's history filters by it (`subscriberFilter`, type PHONE). */
export function customerPhone(raw: unknown): string {
	const given = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (given === '') {
		throw new BuildError(
			'No customer phone is given for the conversation',
			'Enter the customer\'s phone in international format, or put this node after an edna Pulse Trigger set to "Message Received".',
		);
	}
	const phone = given.replace(/[\s-]/g, '').replace(/^\+/, '');
	if (!/^\d+$/.test(phone)) {
		// A WhatsApp user ID (BSUID) is not a phone; edna documents no history filter for it.
		throw new BuildError(
			`The customer "${given}" is not a phone number`,
			"edna's message history is searched by phone: use digits in international format, e.g. +357 9000 0001. A customer known only by a WhatsApp user ID cannot be looked up.",
		);
	}
	return phone;
}

const numberOption = (value: unknown, fallback: number): number =>
	typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/**
 * One customer's history on one channel since `since` (epoch ms), every page up to MAX_ENTRIES;
 * `direction` IN reads only the customer's messages (enough for the 24-hour window).
 */
export async function conversationHistory(
	ctx: IExecuteFunctions,
	itemIndex: number,
	query: { phone: string; subjectId: number; since: number; direction?: 'IN' },
): Promise<IDataObject[]> {
	const body = { phone: query.phone, subjectId: query.subjectId, dateFrom: new Date(query.since).toISOString(), direction: query.direction };
	return await readHistory(
		async (offset, limit) =>
			await ednaRequest(ctx, {
				method: 'POST',
				path: 'messages/history',
				body: historyBody(body, offset, limit) as IDataObject,
				kind: 'read',
				itemIndex,
			}),
		MAX_ENTRIES,
	);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const subjectId = await subjectIdOf(this, itemIndex);
	const phone = customerPhone(this.getNodeParameter('phone', itemIndex, ''));
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const hoursBack = Math.max(1, numberOption(options.hoursBack, DEFAULTS.hoursBack));
	const received = receivedHere(this.getInputData()[itemIndex]?.json, subjectId, phone);
	const incomingMessageId =
		options.incomingMessageId !== undefined ? (options.incomingMessageId as string | number) : ((received?.id as number | string | undefined) ?? null);

	const now = Date.now();
	// At least a day back (and the hand-over time), so that the window, the unanswered messages and a
	// person's last message are judged whatever Hours Back says.
	const handOverHours = Math.max(0, numberOption(options.handOverMinutes, DEFAULTS.handOverMinutes)) / 60;
	const entries = await conversationHistory(this, itemIndex, { phone, subjectId, since: now - Math.max(hoursBack, WINDOW_HOURS, handOverHours) * HOUR_MS });
	const conversation = conversationOf(entries, {
		now,
		maxMessages: numberOption(options.maxMessages, DEFAULTS.maxMessages),
		turnsSince: now - hoursBack * HOUR_MS,
		incomingMessageId,
		windowMarginMinutes: numberOption(options.windowMarginMinutes, DEFAULTS.windowMarginMinutes),
		pending: received === null ? null : pendingOf(received),
		handOverSince: now - handOverHours * HOUR_MS,
	});
	const input = this.getInputData()[itemIndex]?.json;
	return [
		{
			sessionId: sessionIdOf({ subjectId, subscriber: { identifier: phone } }),
			subjectId,
			phone,
			// Reply after this node (or as an agent's tool fed by it) answers this customer on this
			// channel, and derives its send ID from the same event as the item it answers.
			senderId: phone,
			eventKey: typeof input?.eventKey === 'string' ? input.eventKey : null,
			...conversation,
			incomingMessageId: conversation.isNewest === null ? null : String(incomingMessageId),
		} as unknown as IDataObject,
	];
}

export const get: OperationModule = {
	option: {
		name: 'Get',
		value: 'get',
		action: "Get a customer's conversation and 24-hour window",
		description:
			"Read one customer's recent messages on one channel from edna's history: chat turns oldest first, a transcript, the messages not yet answered, whether a message is still the newest, and whether WhatsApp's 24-hour window is open. Needs the channel (subjectId or name) and the customer's phone.",
	},
	description,
	execute,
};
