import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { conversationOf } from '../conversation/conversation';

/**
 * Hand-over in Reply and Send: when a person (edna's chat centre) wrote to the customer within
 * Options → Stay Quiet After a Person Answered (Minutes), the node sends nothing, so a bot does not
 * talk over the person. Who wrote an outgoing message follows the HAND-OVER RULE of
 * conversation.ts (an outgoing message without a comment is a person's).
 */

export const handOverOption: INodeProperties = {
	displayName: 'Stay Quiet After a Person Answered (Minutes)',
	name: 'handOverMinutes',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 2 },
	default: 0,
	description:
		"When a person (e.g. in edna's chat centre) wrote to this customer on this channel within this many minutes, send nothing: the item says outcome \"skipped\", skipReason \"operatorActive\". 0: off. Needs this node's version 1.1 or later everywhere it sends (see the README).",
};

export interface PersonCheck {
	active: boolean;
	/** When a person last wrote to the customer, as far as the check saw; null: not seen. */
	lastAt: string | null;
	checkedBy: 'conversation' | 'history';
}

const phoneOf = (value: unknown): string | null =>
	typeof value === 'string' || typeof value === 'number' ? String(value).replace(/[\s-]/g, '').replace(/^\+/, '') : null;

/**
 * Conversation → Get's answer in the input item, for this customer and channel: when it names the
 * person's last message (operatorLastAt), that decides; null when history must tell.
 */
export function personFromItem(item: unknown, subjectId: number, phone: string, since: number): PersonCheck | null {
	if (typeof item !== 'object' || item === null) return null;
	const json = item as IDataObject;
	if (!('operatorLastAt' in json) || String(json.subjectId) !== String(subjectId) || phoneOf(json.phone) !== phone) return null;
	const lastAt = typeof json.operatorLastAt === 'string' ? json.operatorLastAt : null;
	const ms = lastAt === null ? null : Date.parse(lastAt);
	if (lastAt !== null && Number.isNaN(ms)) return null;
	return { active: ms !== null && ms >= since, lastAt, checkedBy: 'conversation' };
}

/** From edna's history of the conversation (both directions). */
export function personFromHistory(entries: IDataObject[], now: number, since: number): PersonCheck {
	const conversation = conversationOf(entries, { now, maxMessages: 0, windowMarginMinutes: 0, handOverSince: since });
	return { active: conversation.operatorActive, lastAt: conversation.operatorLastAt, checkedBy: 'history' };
}
