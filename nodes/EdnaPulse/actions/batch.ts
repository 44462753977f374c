import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { getChannels } from '../transport/lists';
import { limiterOf } from '../transport/limiter';
import { BuildError } from './errors';
import { campaignIdOf, campaignPhone, channelProblems, paceSettingsOf } from './message/campaign';
import { runPaced, type PaceSettings, type Settled } from './message/pace';
import { nextOccurrence } from './message/sendId';
import type { BatchState, ItemOperation, PacedSends } from './types';

/**
 * A batch of sends run by the pacer (message/pace.ts): more than one in flight, a ceiling, one
 * recipient's items spaced, or a campaign (message/campaign.ts). Before anything is sent every
 * item's phone is checked (a bad row fails alone, and early) and a campaign's channels are checked
 * against their limits. A batch that needs none of this runs as before, one item after the other
 * (`undefined`: the router's own loop).
 */

interface Failures {
	/** The error n8n shows for an item's failure (router.ts nodeError). */
	fail(error: unknown, itemIndex: number): Error;
	/** The error item of a failed item under Continue On Fail (router.ts errorItemJson). */
	errorItem(error: unknown): IDataObject;
}

const PROGRESS_EVERY = { items: 500, ms: 30_000 };
/** Failure reasons kept for the summary (a list of 100,000 bad rows keeps no more). */
const MAX_REASONS = 20;

interface Tally {
	sent: number;
	alreadySent: number;
	skipped: number;
	refused: number;
	failed: number;
	reasons: Map<string, number>;
}

/** sent, already sent, skipped; refused (edna or the node said no: 4xx, bad input), failed (5xx, no answer). */
function count(tally: Tally, outcome: Settled<IDataObject[]> | { error: unknown }): void {
	if ('value' in outcome) {
		for (const json of outcome.value) {
			if (json.outcome === 'alreadySent') tally.alreadySent++;
			else if (json.outcome === 'skipped') tally.skipped++;
			else tally.sent++;
		}
		return;
	}
	const error = outcome.error as { httpCode?: unknown; message?: unknown; context?: { edna?: { title?: unknown } } };
	const status = Number(error.httpCode);
	const refused = outcome.error instanceof BuildError || (status >= 400 && status < 500 && status !== 408 && status !== 429);
	if (refused) tally.refused++;
	else tally.failed++;
	const title = error.context?.edna?.title;
	// A refusal's message names the item's value ("…phone "12" has 2 digits"): without it, one reason for all.
	const reason =
		typeof title === 'string' ? title : Number.isFinite(status) ? `HTTP ${status}` : String(error.message ?? 'error').replace(/"[^"]*"/g, '…');
	if (tally.reasons.has(reason) || tally.reasons.size < MAX_REASONS) tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
}

export function tallyText(tally: Tally, total: number): string {
	const reasons = [...tally.reasons].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, n]) => `${r} ×${n}`);
	return [
		`${total} items: ${tally.sent} sent, ${tally.alreadySent} already sent, ${tally.skipped} skipped, ${tally.refused} refused, ${tally.failed} failed`,
		reasons.length > 0 ? ` (${reasons.join(', ')})` : '',
	].join('');
}

/** Per item, how many earlier items had the same key: the ID rule's count (sendId.ts nextOccurrence), made in input order. */
function occurrences(keys: readonly unknown[]): Int32Array {
	const seen = new Map<string, number>();
	return Int32Array.from(keys, (key) => nextOccurrence(seen, key));
}

function needsPacing(settings: PaceSettings, campaign: boolean, recipients: ReadonlyArray<string | undefined>): boolean {
	if (campaign || settings.concurrency > 1 || settings.perSecond > 0) return true;
	if (settings.spacingMs <= 0) return false;
	return new Set(recipients.filter((r) => r !== undefined)).size < recipients.filter((r) => r !== undefined).length;
}

/** Whether a parameter's saved value holds an expression (a string starting with "="), anywhere in it. */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

/** The campaign's channel check: stops the batch (or warns) before anything is sent. */
async function checkChannels(ctx: IExecuteFunctions, paced: PacedSends, items: number[], recipients: ReadonlyArray<string | undefined>): Promise<void> {
	const bySubject = new Map<number, Set<string>>();
	const parameters = ctx.getNode().parameters;
	const sameChannel = items.length > 0 && !paced.channelParameters.some((name) => hasExpression(parameters[name]));
	const first = sameChannel ? await paced.subjectId.call(ctx, items[0]) : undefined;
	for (const i of items) {
		const subjectId = sameChannel ? (first as number | null) : await paced.subjectId.call(ctx, i);
		if (subjectId === null) continue;
		const set = bySubject.get(subjectId) ?? new Set<string>();
		set.add(recipients[i] as string);
		bySubject.set(subjectId, set);
	}
	if (bySubject.size === 0) return;
	const channels = await getChannels(ctx);
	const problems: string[] = [];
	for (const [subjectId, recipientsOf] of bySubject) {
		const channel = channels.find((c) => c.subjectId === subjectId);
		if (channel !== undefined) problems.push(...channelProblems(channel, recipientsOf.size));
	}
	if (problems.length === 0) return;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	if (options.channelCheck === 'warn') {
		ctx.addExecutionHints({ message: `Sent despite the channel check: ${problems.join('; ')}.`, type: 'warning', location: 'outputPane' });
		return;
	}
	throw new BuildError(
		`Nothing was sent: ${problems.join('; ')}`,
		"Fix the channel in edna Pulse, split the list, or set Options → Channel Check to 'Warn and Send'.",
	);
}

export async function runBatch(
	ctx: IExecuteFunctions,
	operation: ItemOperation & { paced: PacedSends },
	{ fail, errorItem }: Failures,
): Promise<INodeExecutionData[][] | undefined> {
	const items = ctx.getInputData();
	if (items.length === 0) return undefined;
	const settings = paceSettingsOf(ctx);
	const campaignOf = (i: number) => campaignIdOf(ctx.getNodeParameter('options', i, {}) as IDataObject);
	const campaign = items.some((_, i) => campaignOf(i) !== undefined);
	if (!campaign && settings.concurrency <= 1 && settings.perSecond <= 0 && (settings.spacingMs <= 0 || items.length < 2)) return undefined;

	const refusedEarly = new Map<number, unknown>();
	const recipients = items.map((_, i) => {
		try {
			const phone = operation.paced.recipient.call(ctx, i);
			return campaign ? campaignPhone(phone) : phone;
		} catch (error) {
			refusedEarly.set(i, error);
			return undefined;
		}
	});
	if (!needsPacing(settings, campaign, recipients) && refusedEarly.size === 0) return undefined;
	const continueOnFail = ctx.continueOnFail();
	if (refusedEarly.size > 0 && !continueOnFail) {
		const [index, error] = [...refusedEarly][0];
		throw fail(error, index);
	}
	const sendable = items.map((_, i) => i).filter((i) => !refusedEarly.has(i));
	if (campaign) await checkChannels(ctx, operation.paced, sendable, recipients);

	const batch: BatchState = {
		eventKeysSeen: new Map(),
		counted: { eventKey: occurrences(items.map((item) => item.json.eventKey)), recipient: occurrences(recipients) },
		recipients,
	};
	const tally: Tally = { sent: 0, alreadySent: 0, skipped: 0, refused: 0, failed: 0, reasons: new Map() };
	for (const error of refusedEarly.values()) count(tally, { error });
	const name = campaign ? `campaign "${campaignOf(0) ?? ''}"` : 'batch';
	let done = refusedEarly.size;
	let loggedAt = Date.now();
	const results = await runPaced<IDataObject[]>({
		keys: recipients,
		settings,
		limiter: limiterOf(ctx),
		stopOnError: !continueOnFail,
		skip: new Set(refusedEarly.keys()),
		work: (i) => operation.execute.call(ctx, i, batch),
		onSettled: (_, outcome) => {
			count(tally, outcome);
			done++;
			if (done % PROGRESS_EVERY.items === 0 || Date.now() - loggedAt >= PROGRESS_EVERY.ms) {
				loggedAt = Date.now();
				ctx.logger.info(`edna Pulse ${name}: ${done} of ${items.length} done; ${tallyText(tally, done)}`);
			}
		},
	});
	const summary = `edna Pulse ${name}: ${tallyText(tally, items.length)}`;
	ctx.logger.info(summary);

	const output: INodeExecutionData[] = [];
	let firstFailure: { index: number; error: unknown } | undefined;
	for (let i = 0; i < items.length; i++) {
		const settled = results[i] ?? (refusedEarly.has(i) ? { error: refusedEarly.get(i) } : undefined);
		if (settled === undefined) continue; // not started: the batch stopped at a failure
		if ('value' in settled) {
			for (const json of settled.value) output.push({ json, pairedItem: { item: i } });
			continue;
		}
		firstFailure ??= { index: i, error: settled.error };
		if (continueOnFail) output.push({ json: errorItem(settled.error), pairedItem: { item: i } });
	}
	if (firstFailure !== undefined && !continueOnFail) throw fail(firstFailure.error, firstFailure.index);
	ctx.addExecutionHints({ message: summary, type: tally.refused + tally.failed > 0 ? 'warning' : 'info', location: 'outputPane' });
	return [output];
}
