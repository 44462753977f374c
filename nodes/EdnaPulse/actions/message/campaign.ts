import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ednaRequest } from '../../transport';
import type { EdnaChannel } from '../../transport/lists';
import { perRun } from '../../shared/perRun';
import { BuildError } from '../errors';
import { normalisePhone } from './bodies';
import type { PaceSettings } from './pace';

/**
 * Campaigns: one Send or Send Template node sending to a list (docs/action-node.md, Campaigns).
 * The options are read from the first item (they pace the whole batch), except Campaign ID, read per
 * item for its send ID. WhatsApp takes one message per 6 s to one person: from node version 1.2 a
 * batch's items for one recipient are that far apart unless the option says otherwise.
 */

export const SPACING_DEFAULT_S = 6;
/** The first node version whose batches space one recipient's messages by default. */
export const SPACED_FROM_VERSION = 1.2;

export const campaignIdOption: INodeProperties = {
	displayName: 'Campaign ID',
	name: 'campaignId',
	type: 'string',
	default: '',
	placeholder: 'e.g. reminders-2026-12-03',
	description:
		'Names one campaign: each message\'s ID is derived from it, the channel, the message and the recipient, so running the campaign again (after a crash, a stop or failures) sends only what is missing; the rest comes back as "alreadySent". Also checks the channel\'s limits first. Use a new ID for a new campaign.',
};

export const paceOptions: INodeProperties[] = [
	{
		displayName: 'Parallel Sends',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 1,
		description: 'How many sends are in flight at once. Output order stays the input order.',
	},
	{
		displayName: 'Max Sends per Second',
		name: 'maxPerSecond',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: "Ceiling for the whole batch; 0 is none. edna's 429 answers slow the batch down by themselves.",
	},
	{
		displayName: 'Same-Recipient Spacing (Seconds)',
		name: 'recipientSpacing',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: SPACING_DEFAULT_S,
		description:
			'Items for one recipient are sent in order, at least this long after the previous one finished (WhatsApp takes one message per 6 s to one person). Node version 1.2 and later; 0 turns it off.',
	},
];

export const channelCheckOption: INodeProperties = {
	displayName: 'Channel Check',
	name: 'channelCheck',
	type: 'options',
	default: 'stop',
	description: "With a Campaign ID: what to do when the channel is not active, its quality is low, or the batch's distinct recipients exceed its daily limit",
	options: [
		{ name: 'Stop Before Sending', value: 'stop' },
		{ name: 'Warn and Send', value: 'warn', description: 'Send anyway; the warning shows on the node' },
	],
};

export const resumeWindowOption: INodeProperties = {
	displayName: 'Resume Within (Hours)',
	name: 'resumeWithinHours',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 720 },
	default: 24,
	description:
		"With a Campaign ID: how far back edna's history is read for this campaign's messages before sending, so a re-run skips recipients who already got theirs",
};

/** The options of a batch, read from its first item. */
export function paceSettingsOf(ctx: IExecuteFunctions): PaceSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback);
	const spacedByDefault = ctx.getNode().typeVersion >= SPACED_FROM_VERSION;
	return {
		concurrency: Math.max(1, Math.floor(number(options.concurrency, 1))),
		perSecond: number(options.maxPerSecond, 0),
		spacingMs: number(options.recipientSpacing, spacedByDefault ? SPACING_DEFAULT_S : 0) * 1000,
	};
}

export function campaignIdOf(options: IDataObject): string | undefined {
	const id = options.campaignId;
	const text = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
	return text === '' ? undefined : text;
}

/** What marks a message as the campaign's in edna's history: the last word of its comment. */
export const campaignMark = (campaignId: string) => `campaign:${campaignId}`;

/** The comment a campaign's message carries: the usual one, then the campaign's mark. */
export function campaignComment(comment: string | undefined, campaignId: string): string {
	return comment === undefined || comment === '' ? campaignMark(campaignId) : `${comment} ${campaignMark(campaignId)}`;
}

const isCampaigns = (comment: unknown, campaignId: string) =>
	typeof comment === 'string' && (comment === campaignMark(campaignId) || comment.endsWith(` ${campaignMark(campaignId)}`));

/** A campaign's recipient: a phone of 7 to 15 digits (E.164), checked before anything is sent. */
export function campaignPhone(raw: unknown): string {
	const phone = normalisePhone(raw);
	if (phone.length < 7 || phone.length > 15) {
		throw new BuildError(
			`The recipient phone "${String(raw).trim()}" has ${phone.length} digits`,
			'A phone in international format has 7 to 15 digits, country code included, e.g. 35790000001.',
		);
	}
	return phone;
}

// --- The channel check ---------------------------------------------------------------------------

/** edna's daily limit (`channel-profile` → `limit`): `TIER_1K`, `1000`, `10K`, `UNLIMITED`… as a number; undefined when unreadable. */
export function dailyLimit(limit: unknown): number | undefined {
	if (typeof limit === 'number' && Number.isFinite(limit)) return limit;
	if (typeof limit !== 'string') return undefined;
	if (/unlimited/i.test(limit)) return Infinity;
	const match = /(\d+(?:\.\d+)?)\s*([KM])?\b/i.exec(limit);
	if (match === null) return undefined;
	const scale = { K: 1_000, M: 1_000_000 }[(match[2] ?? '').toUpperCase() as 'K' | 'M'] ?? 1;
	return Math.round(Number(match[1]) * scale);
}

const LOW_QUALITY = /^(RED|LOW|FLAGGED|RESTRICTED|BANNED|DISCONNECTED|BLOCKED)$/i;

/** Why a channel should not take this campaign (empty: it may). Unknown values are not held against it. */
export function channelProblems(channel: EdnaChannel, distinctRecipients: number): string[] {
	const name = channel.name ?? channel.subject ?? `subjectId ${String(channel.subjectId)}`;
	const problems: string[] = [];
	if (channel.active === false) problems.push(`Channel "${name}" is not active`);
	for (const field of ['qualityScore', 'qualityStatus'] as const) {
		const value = channel[field];
		if (typeof value === 'string' && LOW_QUALITY.test(value.trim())) problems.push(`Channel "${name}" has ${field} ${value}`);
	}
	const limit = channel.type === 'WHATSAPP' ? dailyLimit(channel.limit) : undefined;
	if (limit !== undefined && distinctRecipients > limit) {
		problems.push(`The batch has ${distinctRecipients} distinct recipients, more than channel "${name}"'s daily limit of ${limit} (${String(channel.limit)})`);
	}
	return problems;
}

// --- What edna's history says the campaign sent --------------------------------------------------

interface HistoryPage {
	hasNext?: boolean;
	content?: Array<{ address?: unknown; comment?: unknown; direction?: unknown }>;
}

const PAGE = 1000;

/** Counts the campaign's messages per recipient in the pages `fetch` gives (only the counts are kept). */
export async function countCampaignMessages(
	fetchPage: (offset: number) => Promise<HistoryPage>,
	campaignId: string,
): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	for (let offset = 0; ; ) {
		const page = await fetchPage(offset);
		const content = Array.isArray(page.content) ? page.content : [];
		for (const entry of content) {
			if (entry.direction !== undefined && entry.direction !== 'OUT') continue;
			if (!isCampaigns(entry.comment, campaignId) || (typeof entry.address !== 'string' && typeof entry.address !== 'number')) continue;
			const address = String(entry.address).replace(/^\+/, '');
			counts.set(address, (counts.get(address) ?? 0) + 1);
		}
		if (page.hasNext !== true || content.length === 0) return counts;
		offset += content.length;
	}
}

const campaignHistories = perRun<{ counts: Map<string, number>; readAt: string }>();

function historyRequest(ctx: IExecuteFunctions, body: IDataObject, offset: number) {
	return ednaRequest<HistoryPage>(ctx, {
		method: 'POST',
		path: 'messages/history',
		body: { ...body, offset, limit: PAGE, sort: [{ property: 'messageId', direction: 'ASC' }] },
		kind: 'read',
	});
}

/**
 * How many of the campaign's messages each recipient got on the channel in the last `hours`, from
 * edna's history (read once per run and channel). The check that lets a re-run of a template campaign
 * skip what went out, since edna does not document that it refuses a v1 `messageId` twice.
 */
export function campaignHistory(
	ctx: IExecuteFunctions,
	subjectId: number,
	campaignId: string,
	hours: number,
): Promise<{ counts: Map<string, number>; readAt: string }> {
	return campaignHistories(ctx, `${subjectId}\n${campaignId}\n${hours}`, async () => {
		const readAt = new Date().toISOString();
		const dateFrom = new Date(Date.parse(readAt) - hours * 3_600_000).toISOString();
		const body = { direction: 'OUT', subjectId, dateFrom, dateTo: readAt };
		return { counts: await countCampaignMessages((offset) => historyRequest(ctx, body, offset), campaignId), readAt };
	});
}

/** The campaign's messages to one recipient since `since` (after a 429, before sending again). */
export async function campaignMessagesTo(ctx: IExecuteFunctions, subjectId: number, campaignId: string, phone: string, since: string): Promise<number> {
	const body = { direction: 'OUT', subjectId, dateFrom: since, subscriberFilter: { address: phone, type: 'PHONE' } };
	const counts = await countCampaignMessages((offset) => historyRequest(ctx, body, offset), campaignId);
	return counts.get(phone) ?? 0;
}
