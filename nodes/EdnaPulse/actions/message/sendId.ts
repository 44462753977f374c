import { createHash, randomUUID } from 'node:crypto';

/**
 * The ID every send carries (`requestId` of cascade/schedule, `messageId` of the v1 sends).
 * edna refuses an ID it has seen (docs/edna-api.md §7.2 `requestId-is-not-unique`), so an ID that is the
 * same whenever the same thing is sent again makes a second send harmless: derived, not random.
 *
 * - `custom`: the Send ID option, as given.
 * - `campaign`: the Campaign ID option is set: from the campaign, the channel, what is sent (the
 *   template, or "message" for Send), the recipient and how many earlier items of the batch went to
 *   that recipient. Nothing of the workflow or the execution is in it, so running the campaign again
 *   (after a crash, a stop, a partial failure, or from a copy of the workflow) derives the same IDs,
 *   and what went out before comes back as alreadySent.
 * - `eventKey`: the input item came from the edna Pulse Trigger (it has `eventKey`): the same edna
 *   event delivered twice, or the execution re-run, gives the same ID, so one reply.
 * - `execution`: otherwise, from the execution ID and the item index (a retry of the node within
 *   the execution does not send twice; a new execution sends again).
 * Hashed with the workflow ID and node name, so two nodes answering one event do not collide.
 * The n-th repeat of an eventKey within one batch (n > 0) gets its own, equally stable, ID.
 * As an AI agent's tool, each call is a run of the node: the n-th call of the tool in an execution
 * (n from 0) is part of the seed, so two messages of one agent turn are two sends, and the same
 * event answered again (redelivered, or the execution retried) derives the same IDs call by call.
 */
export type IdSource = 'eventKey' | 'execution' | 'custom' | 'campaign';

export interface SendIdInput {
	workflowId: string;
	nodeName: string;
	executionId?: string;
	itemIndex: number;
	/** The item's `eventKey`, when it has one. */
	eventKey?: unknown;
	/** The Send ID option, when set. */
	custom?: unknown;
	/** How many earlier items of this batch carried the same eventKey. */
	occurrence?: number;
	/** As an agent's tool: how many earlier calls of this tool the execution made (its run index). */
	toolCall?: number;
	/** The Campaign ID option is set. */
	campaign?: CampaignSeed;
}

export interface CampaignSeed {
	id: string;
	/** The channel's subject (sender). */
	channel: string;
	/** What is sent: `template <id>` or `message`. */
	what: string;
	recipient: string;
	/** How many earlier items of the batch went to this recipient. */
	occurrence: number;
}

export interface SendId {
	id: string;
	source: IdSource;
}

/** A SHA-256 digest laid out as a UUID (version nibble 5, RFC 4122 variant), as edna's examples use UUIDs. */
export function uuidShaped(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex').slice(0, 32).split('');
	hex[12] = '5';
	hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	const h = hex.join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const nonEmpty = (value: unknown): string | undefined => {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

export function sendIdFor(input: SendIdInput): SendId {
	const custom = nonEmpty(input.custom);
	if (custom !== undefined) return { id: custom, source: 'custom' };
	const campaign = input.campaign;
	if (campaign !== undefined && nonEmpty(campaign.id) !== undefined) {
		const seed = ['campaign', campaign.id.trim(), campaign.channel, campaign.what, campaign.recipient, campaign.occurrence].join('\n');
		return { id: uuidShaped(seed), source: 'campaign' };
	}
	const call = input.toolCall === undefined ? '' : `tool call\n${input.toolCall}\n`;
	const scope = `${input.workflowId}\n${input.nodeName}\n${call}`;
	const eventKey = nonEmpty(input.eventKey);
	if (eventKey !== undefined) {
		const occurrence = input.occurrence ?? 0;
		const seed = occurrence === 0 ? `eventKey\n${eventKey}` : `eventKey\n${eventKey}\n${occurrence}`;
		return { id: uuidShaped(scope + seed), source: 'eventKey' };
	}
	const executionId = nonEmpty(input.executionId);
	// n8n always gives a run an execution ID; without one nothing stable exists to derive from.
	if (executionId === undefined) return { id: randomUUID(), source: 'execution' };
	return { id: uuidShaped(`${scope}execution\n${executionId}\n${input.itemIndex}`), source: 'execution' };
}

/** Counts the eventKey in the batch and returns how many earlier items had it. */
export function nextOccurrence(seen: Map<string, number>, eventKey: unknown): number {
	const key = nonEmpty(eventKey);
	if (key === undefined) return 0;
	const count = seen.get(key) ?? 0;
	seen.set(key, count + 1);
	return count;
}
