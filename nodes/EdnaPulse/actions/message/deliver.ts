import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ednaSend } from '../../transport';
import type { EdnaCascade } from '../../transport/lists';
import type { BatchState } from '../types';
import { cascadeScheduleBody, normalisePhone, type Content } from './bodies';
import { stageTypes } from '../cascade/cascades';
import { nextOccurrence, sendIdFor, type CampaignSeed, type SendId } from './sendId';
import { campaignComment, campaignIdOf } from './campaign';
import { OWN_COMMENT } from './fields';
import { itemParameter } from '../fields';

/** n8n runs a node as an AI agent's tool under its tool type, `<package>.<name>Tool`. */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** The n-th run of this node in the execution (each tool call of an agent is one run). */
function runIndexOf(ctx: IExecuteFunctions, itemIndex: number): number {
	const value = Number(ctx.evaluateExpression('{{ $runIndex }}', itemIndex));
	return Number.isInteger(value) && value >= 0 ? value : 0;
}

/** The send ID of an item under the ID rule (sendId.ts), for this node in this run. */
export function itemSendId(ctx: IExecuteFunctions, itemIndex: number, batch: BatchState, custom: unknown, campaign?: CampaignSeed): SendId {
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	const eventKey = json.eventKey;
	const counted = batch.counted?.eventKey[itemIndex];
	const occurrence = custom !== undefined && custom !== '' ? 0 : (counted ?? nextOccurrence(batch.eventKeysSeen, eventKey));
	return sendIdFor({
		toolCall: runsAsTool(ctx) ? runIndexOf(ctx, itemIndex) : undefined,
		workflowId: String(ctx.getWorkflow().id ?? ''),
		nodeName: ctx.getNode().name,
		executionId: ctx.getExecutionId(),
		itemIndex,
		eventKey,
		custom,
		occurrence,
		campaign,
	});
}

/** An item's Recipient Phone parameter, normalised (Send, Send Template). */
export function phoneParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return normalisePhone(itemParameter(ctx, 'phone', itemIndex));
}

/** An item's recipient phone: as the paced batch read it before running its items (batch.ts), or read now. */
export function recipientOf(ctx: IExecuteFunctions, itemIndex: number, batch: BatchState): string {
	return batch.recipients?.[itemIndex] ?? phoneParameter(ctx, itemIndex);
}

/** What a campaign's send ID is derived from besides the Campaign ID (sendId.ts). */
export interface CampaignTarget {
	/** The channel's subject. */
	channel: string;
	/** `template <id>` or `message`. */
	what: string;
	recipient: string;
}

/** The Comment and Send ID options every send operation has, read for one item (an empty Comment: OWN_COMMENT from version 1.1). */
export function sendOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	batch: BatchState,
	options: IDataObject,
	target?: CampaignTarget,
): { comment: string | undefined; sendId: SendId } {
	const given = typeof options.comment === 'string' && options.comment !== '' ? options.comment : undefined;
	const comment = given ?? (ctx.getNode().typeVersion >= 1.1 ? OWN_COMMENT : undefined);
	const campaignId = target === undefined ? undefined : campaignIdOf(options);
	if (campaignId === undefined || target === undefined) return { comment, sendId: itemSendId(ctx, itemIndex, batch, options.sendId) };
	const occurrence = batch.counted?.recipient[itemIndex] ?? 0;
	return {
		comment: campaignComment(comment, campaignId),
		sendId: itemSendId(ctx, itemIndex, batch, options.sendId, { id: campaignId, occurrence, ...target }),
	};
}

export interface CascadeDelivery {
	phone: string;
	cascade: EdnaCascade;
	channel: { channelType: string; subject: string | null; subjectId: number | null };
	content: Content;
	fallbackText?: string;
	startTime?: string;
	comment?: string;
	sendId: SendId;
}

/**
 * `cascade/schedule` for one item, and the item the node outputs for it. edna documents that a
 * `requestId` is never accepted twice, so the transport may repeat this send, and edna's
 * `requestId-is-not-unique` means the message already went out (outcome `alreadySent`).
 */
export async function deliverThroughCascade(
	ctx: IExecuteFunctions,
	itemIndex: number,
	delivery: CascadeDelivery,
): Promise<IDataObject> {
	return (await scheduleCascade(ctx, itemIndex, delivery)).item;
}

/**
 * deliverThroughCascade, also saying how many attempts the transport made: `alreadySent` on the
 * first attempt means an earlier run sent the message, on a later one that this call's own first
 * attempt got through.
 */
export async function scheduleCascade(
	ctx: IExecuteFunctions,
	itemIndex: number,
	delivery: CascadeDelivery,
): Promise<{ item: IDataObject; attempts: number }> {
	const body = cascadeScheduleBody({
		requestId: delivery.sendId.id,
		cascadeId: Number(delivery.cascade.id),
		phone: delivery.phone,
		stageTypes: stageTypes(delivery.cascade),
		content: delivery.content,
		fallbackText: delivery.fallbackText,
		startTime: delivery.startTime,
		comment: delivery.comment,
	});
	const result = await ednaSend(ctx, {
		method: 'POST',
		path: 'cascade/schedule',
		body: body as IDataObject,
		retrySafe: true,
		duplicateTitle: 'requestId-is-not-unique',
		itemIndex,
	});
	const item: IDataObject = {
		requestId: delivery.sendId.id,
		idSource: delivery.sendId.source,
		outcome: result.outcome,
		channelType: delivery.channel.channelType,
		subject: delivery.channel.subject,
		subjectId: delivery.channel.subjectId,
		recipient: delivery.phone,
		cascadeId: Number(delivery.cascade.id),
		response: result.response as IDataObject,
	};
	return { item, attempts: result.attempts };
}
