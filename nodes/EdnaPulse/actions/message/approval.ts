import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { BuildError } from '../errors';

/**
 * Message → Send and Wait for Response, as pure functions: the text the approver receives, how long
 * the execution waits, what a link's query means, and the pages the approver's browser shows.
 * Nothing here knows n8n's contexts; sendAndWait.operation.ts and sendAndWait.webhook.ts do.
 */

export type ResponseType = 'approval' | 'freeText';

/** The query parameter of the signed resume URL that carries the decision, as n8n's own nodes name it. */
export const DECISION_PARAMETER = 'approved';

export interface Choices {
	/** `single`: an Approve link only; `double`: Approve and Decline. */
	approvalType: 'single' | 'double';
	approveLabel: string;
	declineLabel: string;
}

const label = (value: unknown, fallback: string): string =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;

/** The Approval Options collection as the node stores it (`approvalOptions.values`). */
export function choicesOf(raw: unknown): Choices {
	const values = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
	return {
		approvalType: values.approvalType === 'single' ? 'single' : 'double',
		approveLabel: label(values.approveLabel, 'Approve'),
		declineLabel: label(values.disapproveLabel, 'Decline'),
	};
}

export interface Link {
	label: string;
	url: string;
}

/**
 * The message the approver receives: the text, then one line per link, `Label: URL`. Messengers and
 * SMS apps make a URL on a line of its own tappable; nothing else (buttons, markup) works on all three.
 */
export function approvalText(message: unknown, links: Link[]): string {
	const text = typeof message === 'string' ? message.replace(/\\n/g, '\n').trim() : '';
	if (text === '') throw new BuildError('The message is empty', 'Enter the Message the approver reads before choosing.');
	return [text, '', ...links.map((link) => `${link.label}: ${link.url}`)].join('\n');
}

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * When the wait ends without an answer: Options → Limit Wait Time (`{ values: { limitType, … } }`,
 * the collection n8n's own Send and Wait nodes use), else never.
 */
export function waitTill(limit: unknown, now: Date = new Date()): Date {
	const values = (limit as { values?: Record<string, unknown> } | undefined)?.values;
	if (values === undefined || values === null || typeof values !== 'object') return WAIT_INDEFINITELY;
	if (values.limitType === 'atSpecifiedTime') {
		const raw = values.maxDateAndTime;
		const at = new Date(typeof raw === 'string' || typeof raw === 'number' ? raw : NaN);
		if (Number.isNaN(at.getTime())) {
			throw new BuildError(`The wait limit "${String(raw ?? '')}" is not a date and time`, 'Under Options → Limit Wait Time, enter Max Date and Time, e.g. 2026-07-01T18:00:00Z.');
		}
		return at;
	}
	const amount = Number(values.resumeAmount ?? 1);
	const unit = UNIT_MS[String(values.resumeUnit ?? 'hours')];
	if (!Number.isFinite(amount) || amount < 0 || unit === undefined) {
		throw new BuildError(
			`The wait limit "${String(values.resumeAmount)} ${String(values.resumeUnit)}" is not a time span`,
			'Under Options → Limit Wait Time, enter an Amount of 0 or more and a Unit (minutes, hours or days).',
		);
	}
	return new Date(now.getTime() + amount * unit);
}

/** What a link's `approved` query parameter says: only the two values the node signs count. */
export function decisionOf(query: unknown): boolean | undefined {
	const value = (query as Record<string, unknown> | undefined)?.[DECISION_PARAMETER];
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

/**
 * Whether a request comes from a program that fetches links to preview them rather than from a
 * person: messengers and SMS apps fetch the links of a message to draw a card, and must not answer
 * the approval. No User-Agent at all counts as such a program.
 */
const PREVIEW_AGENTS =
	/bot\b|bot\/|crawler|spider|preview|facebookexternalhit|facebookcatalog|whatsapp\/|telegram|slack|discord|skype|teams|embedly|vkshare|pinterest|quora link|outbrain|headlesschrome|google-read-aloud/i;

export function isLinkPreview(userAgent: unknown): boolean {
	if (typeof userAgent !== 'string' || userAgent.trim() === '') return true;
	return PREVIEW_AGENTS.test(userAgent);
}

const escapeHtml = (text: string): string =>
	text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A small page of plain HTML, readable on a phone: a heading and a line of text, everything escaped. */
export function page(title: string, text: string, body = ''): string {
	return [
		'<!DOCTYPE html>',
		'<html lang="en"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta name="robots" content="noindex">',
		`<title>${escapeHtml(title)}</title>`,
		'<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}textarea{width:100%;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.5rem}</style>',
		'</head><body>',
		`<h1>${escapeHtml(title)}</h1>`,
		`<p>${escapeHtml(text)}</p>`,
		body,
		'</body></html>',
	].join('\n');
}

/** The pages the approver sees. */
export const PAGES = {
	approved: () => page('Approved', 'Approved — you can close this page.'),
	declined: () => page('Declined', 'Declined — you can close this page.'),
	answered: () => page('Answer sent', 'Thank you, your answer was sent — you can close this page.'),
	preview: () => page('Approval request', 'Open this link in your browser to answer.'),
	incomplete: () => page('This link is not complete', 'Nothing was recorded. Open the link exactly as it arrived in the message.'),
	emptyAnswer: () => page('The answer is empty', 'Nothing was recorded. Go back, write your answer and send it again.'),
	/** The Free Text form: the message, a text box, one button. It posts back to the very same URL. */
	form: (options: { title: string; description: string; buttonLabel: string }) =>
		page(
			options.title,
			options.description,
			`<form method="post"><textarea name="${ANSWER_FIELD}" rows="6" required></textarea><br><button type="submit">${escapeHtml(options.buttonLabel)}</button></form>`,
		),
};

/** The form field the Free Text answer arrives in. */
export const ANSWER_FIELD = 'response';

/** The Free Text answer from the form's body, or undefined when there is none. */
export function answerOf(body: unknown): string | undefined {
	const value = (body as Record<string, unknown> | undefined)?.[ANSWER_FIELD];
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
