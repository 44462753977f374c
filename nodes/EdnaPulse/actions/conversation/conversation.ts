import type { IDataObject } from 'n8n-workflow';

import { chatInputOf } from '../../shared/chat';
import { isObject } from '../../shared/json';

/**
 * One conversation (one customer on one channel) from edna's message history (`POST
 * messages/history`, docs/edna-api.md §6), as an AI agent or a workflow needs it: chat turns, a transcript,
 * what the customer said since the business last wrote, whether a given incoming message is still
 * the newest, and WhatsApp's 24-hour customer-service window. Pure: history entries and the time
 * in, plain data out.
 *
 * Where edna's documentation is silent, these rules hold:
 * - A history entry's time is the first of `TIME_FIELDS` that reads as a date: ISO 8601 (without a
 *   zone: UTC; any number of fractional digits) or a number of epoch seconds or milliseconds.
 *   edna documents no time field for history entries; the sandbox sends `createdAt`.
 * - Turns are ordered by that time; entries at the same time keep edna's order, except that incoming
 *   ones among them follow their IDs; entries with no readable time come first, in edna's order
 *   (they can then neither be the newest message nor open the window). edna's `messageId`s of
 *   incoming and outgoing messages are separate sequences, so they never order a turn against one
 *   of the other direction.
 * - `content` may be an object or a JSON string (docs/edna-api.md §6); a `<channel>Content` wrapper and
 *   `contentType` in place of `type` are read too.
 * - Entries whose `direction` is neither `IN` nor `OUT` are left out: nobody can say who wrote them.
 *
 * HAND-OVER RULE: an outgoing entry with no `comment` was written by a person (edna's chat centre)
 * or by a sender that sets none; one with a comment was sent through the API by an automation. From
 * version 1.1 the edna Pulse node puts a comment on every send (OWN_COMMENT when the Comment option
 * is empty), so its own messages never count as a person's. edna returns `comment` in history
 * (docs/edna-api.md §6); it documents no other field that tells who sent a message.
 */

/** A history entry's time: the first of these fields that reads as a date. */
export const TIME_FIELDS = ['createdAt', 'receivedAt', 'sentAt', 'dateTime', 'date', 'timestamp'] as const;

/** WhatsApp's customer-service window: free-form messages within 24 h of the customer's last message. */
export const WINDOW_HOURS = 24;

const HOUR_MS = 3_600_000;

export type Role = 'user' | 'assistant';
export type Direction = 'IN' | 'OUT';

export interface Turn {
	/** `user`: the customer (an incoming message); `assistant`: the business (an outgoing one). */
	role: Role;
	text: string;
	/** ISO 8601 in UTC, or null when the entry has no readable time. */
	at: string | null;
	messageId: number | string | null;
	direction: Direction;
}

export interface ConversationWindow {
	/** Whether a free-form message may still be sent: null when no incoming message has a readable time. */
	open: boolean | null;
	/** When the window closes, the safety margin already taken off; null when it is not known. */
	closesAt: string | null;
	lastIncomingAt: string | null;
}

/** A message the customer sent, from the input item, when edna's history may not have it yet. */
export interface PendingIncoming {
	messageId: number | string;
	text: string;
	at: string | null;
}

export interface ConversationSettings {
	/** Now, in epoch milliseconds. */
	now: number;
	/** How many of the most recent turns `turns` and `transcript` hold. */
	maxMessages: number;
	/** Turns older than this (epoch ms) are left out of `turns`; unanswered and window see every entry. */
	turnsSince?: number;
	/** The incoming message to check as the newest; null or undefined: not checked (`isNewest` null). */
	incomingMessageId?: number | string | null;
	/** Minutes taken off the 24-hour window, so a reply is not sent in its last moments. */
	windowMarginMinutes: number;
	pending?: PendingIncoming | null;
	/** A person's message (HAND-OVER RULE) at or after this time (epoch ms) makes `operatorActive` true. */
	handOverSince?: number;
}

export interface Conversation {
	turns: Turn[];
	transcript: string;
	unanswered: string;
	unansweredCount: number;
	isNewest: boolean | null;
	window: ConversationWindow;
	/** Whether a person wrote to the customer since `handOverSince` (HAND-OVER RULE). */
	operatorActive: boolean;
	/** When a person last wrote to the customer, among the entries read; null: not among them. */
	operatorLastAt: string | null;
}

/** Epoch milliseconds of one time value, or null. */
export function timeValue(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
		// Below 10^11 it cannot be milliseconds of any date after 1973: it is seconds.
		return value < 1e11 ? value * 1000 : value;
	}
	if (typeof value !== 'string' || value.trim() === '') return null;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return timeValue(Number(text));
	if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
	// Milliseconds at most (edna sends nanoseconds in places); a date and time without a zone is UTC.
	let iso = text.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T');
	if (/T\d/.test(iso) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso = `${iso}Z`;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? null : ms;
}

/** A history entry's time (epoch ms) by the rule above, or null. */
export function entryTime(entry: IDataObject): number | null {
	for (const field of TIME_FIELDS) {
		const ms = timeValue(entry[field]);
		if (ms !== null) return ms;
	}
	return null;
}

function decoded(content: unknown): unknown {
	if (typeof content !== 'string') return content;
	try {
		return JSON.parse(content) as unknown;
	} catch {
		return content;
	}
}

/** What a history entry's `content` says, as one line: the trigger's `chatInput` rendering. */
export function contentText(raw: unknown): string {
	const content = decoded(raw);
	if (typeof content === 'string') return content.trim() === '' ? '[message]' : content;
	if (!isObject(content)) return '[message]';
	const wrapped = Object.keys(content).find((k) => /^[a-z]+Content$/.test(k) && isObject(content[k]));
	const inner = wrapped === undefined ? content : (content[wrapped] as IDataObject);
	const type = inner.type ?? inner.contentType;
	return chatInputOf({ ...inner, type: typeof type === 'string' ? type : undefined });
}

function directionOf(entry: IDataObject): Direction | null {
	const d = typeof entry.direction === 'string' ? entry.direction.trim().toUpperCase() : '';
	return d === 'IN' || d === 'OUT' ? d : null;
}

const idOf = (entry: IDataObject): number | string | null =>
	typeof entry.messageId === 'number' || typeof entry.messageId === 'string' ? entry.messageId : null;

const sameId = (a: unknown, b: unknown): boolean =>
	a !== null && a !== undefined && b !== null && b !== undefined && String(a).trim() === String(b).trim();

const numericId = (id: unknown): number | null => {
	const n = typeof id === 'string' && /^\s*\d+\s*$/.test(id) ? Number(id) : id;
	return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

interface Timed {
	turn: Turn;
	ms: number | null;
	/** An outgoing message a person wrote (HAND-OVER RULE). */
	byPerson: boolean;
}

/** Whether an outgoing history entry was written by a person (HAND-OVER RULE). */
export function writtenByPerson(entry: IDataObject): boolean {
	return directionOf(entry) === 'OUT' && (typeof entry.comment !== 'string' || entry.comment.trim() === '');
}

/** Every entry as a turn with its time, oldest first (rule above). */
function timedTurns(entries: IDataObject[], pending?: PendingIncoming | null): Timed[] {
	const timed: Timed[] = [];
	for (const entry of entries) {
		const direction = directionOf(entry);
		if (direction === null) continue;
		const ms = entryTime(entry);
		timed.push({
			ms,
			byPerson: writtenByPerson(entry),
			turn: {
				role: direction === 'IN' ? 'user' : 'assistant',
				text: contentText(entry.content),
				at: ms === null ? null : new Date(ms).toISOString(),
				messageId: idOf(entry),
				direction,
			},
		});
	}
	if (pending && !timed.some((t) => t.turn.direction === 'IN' && sameId(t.turn.messageId, pending.messageId))) {
		const ms = timeValue(pending.at);
		timed.push({
			ms,
			byPerson: false,
			turn: { role: 'user', text: pending.text, at: ms === null ? null : new Date(ms).toISOString(), messageId: pending.messageId, direction: 'IN' },
		});
	}
	// Array.prototype.sort is stable: equal times (and entries without one) keep edna's order…
	const key = (t: Timed): number => t.ms ?? Number.NEGATIVE_INFINITY;
	timed.sort((a, b) => (key(a) === key(b) ? 0 : key(a) - key(b)));
	// …except that incoming messages of one time take the places of that time's incoming messages
	// in the order of their IDs, which grow within a channel (times may be whole seconds).
	for (let start = 0; start < timed.length; ) {
		let end = start;
		while (end < timed.length && key(timed[end]) === key(timed[start])) end++;
		const places = [];
		for (let i = start; i < end; i++) if (timed[i].turn.direction === 'IN') places.push(i);
		const byId = places.map((i) => timed[i]).sort((a, b) => (numericId(a.turn.messageId) ?? 0) - (numericId(b.turn.messageId) ?? 0));
		places.forEach((place, n) => (timed[place] = byId[n]));
		start = end;
	}
	return timed;
}

/**
 * Whether `messageId` is the customer's newest message: the last incoming one in the order above.
 * When the history does not hold it (yet), only a greater incoming ID makes it not the newest.
 */
function isNewestIncoming(timed: Timed[], messageId: number | string): boolean {
	const incoming = timed.filter((t) => t.turn.direction === 'IN');
	if (incoming.some((t) => sameId(t.turn.messageId, messageId))) return sameId(incoming[incoming.length - 1].turn.messageId, messageId);
	const givenId = numericId(messageId);
	return givenId === null || !incoming.some((t) => (numericId(t.turn.messageId) ?? -1) > givenId);
}

/** WhatsApp's window, judged from the last incoming message with a readable time. */
function windowOf(timed: Timed[], now: number, marginMinutes: number): ConversationWindow {
	const incoming = timed.filter((t) => t.turn.direction === 'IN');
	if (incoming.length === 0) return { open: false, closesAt: null, lastIncomingAt: null };
	const times = incoming.map((t) => t.ms).filter((ms): ms is number => ms !== null);
	if (times.length === 0) return { open: null, closesAt: null, lastIncomingAt: null };
	const last = Math.max(...times);
	const closes = last + WINDOW_HOURS * HOUR_MS - Math.max(0, marginMinutes) * 60_000;
	return { open: now < closes, closesAt: new Date(closes).toISOString(), lastIncomingAt: new Date(last).toISOString() };
}

/** The customer's messages after the business's last one, oldest first. */
export function unansweredTurns(turns: Turn[]): Turn[] {
	let start = turns.length;
	while (start > 0 && turns[start - 1].direction === 'IN') start--;
	return turns.slice(start);
}

export const TRANSCRIPT_LABELS: Record<Role, string> = { user: 'Customer', assistant: 'You' };

/**
 * One line per turn, `Customer: …` or `You: …`. Lines after the first of a message are indented,
 * so nothing a customer writes can start a line that looks like a turn of its own.
 */
export function transcriptOf(turns: Turn[]): string {
	return turns.map((t) => `${TRANSCRIPT_LABELS[t.role]}: ${t.text.replace(/\r?\n/g, '\n  ')}`).join('\n');
}

export function conversationOf(entries: IDataObject[], settings: ConversationSettings): Conversation {
	const timed = timedTurns(entries, settings.pending);
	const all = timed.map((t) => t.turn);
	const since = settings.turnsSince;
	const recent = timed.filter((t) => since === undefined || t.ms === null || t.ms >= since).map((t) => t.turn);
	const count = Math.max(0, Math.floor(settings.maxMessages));
	const turns = count === 0 ? [] : recent.slice(-count);
	const unanswered = unansweredTurns(all);
	const id = settings.incomingMessageId;
	const byPerson = timed.filter((t) => t.byPerson && t.ms !== null).map((t) => t.ms as number);
	const personLast = byPerson.length === 0 ? null : Math.max(...byPerson);
	return {
		turns,
		transcript: transcriptOf(turns),
		unanswered: unanswered.map((t) => t.text).join('\n'),
		unansweredCount: unanswered.length,
		isNewest: id === null || id === undefined || String(id).trim() === '' ? null : isNewestIncoming(timed, id),
		window: windowOf(timed, settings.now, settings.windowMarginMinutes),
		operatorActive: personLast !== null && settings.handOverSince !== undefined && personLast >= settings.handOverSince,
		operatorLastAt: personLast === null ? null : new Date(personLast).toISOString(),
	};
}

/** The input item when it is a Message Received item of the trigger for this channel and customer. */
export function receivedHere(item: unknown, subjectId: number, phone: string): IDataObject | null {
	if (!isObject(item) || !isObject(item.messageContent)) return null;
	if (item.eventType !== undefined && item.eventType !== 'incomingMessage') return null;
	const identifier = isObject(item.subscriber) ? item.subscriber.identifier : undefined;
	if (String(item.subjectId) !== String(subjectId)) return null;
	if (typeof identifier !== 'string' || identifier.replace(/[\s-]/g, '').replace(/^\+/, '') !== phone) return null;
	if (typeof item.id !== 'number' && typeof item.id !== 'string') return null;
	return item;
}

export const pendingOf = (item: IDataObject): PendingIncoming => ({
	messageId: item.id as number | string,
	text: typeof item.chatInput === 'string' && item.chatInput !== '' ? item.chatInput : chatInputOf(item.messageContent as IDataObject),
	at: typeof item.receivedAt === 'string' ? item.receivedAt : null,
});
