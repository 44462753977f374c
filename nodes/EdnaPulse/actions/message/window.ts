import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getChannels } from '../../transport/lists';
import { BuildError } from '../errors';
import { findChannel } from '../channel/channels';
import { conversationOf, pendingOf, receivedHere, timeValue, WINDOW_HOURS, type ConversationWindow } from '../conversation/conversation';
import { conversationHistory, windowMarginOption } from '../conversation/get.operation';
import { sendTemplateMessage } from './sendTemplate.operation';
import type { SendId } from './sendId';
import { personFromHistory, personFromItem } from './handOver';

/**
 * WhatsApp's 24-hour customer-service window in Reply and Send: free-form messages reach a customer
 * only within 24 hours of their last message; outside it edna accepts the send and it fails later.
 * edna documents neither the rule nor its error (docs/edna-api.md §2.1, "24 h session window"), so:
 * - The window is judged only when Options → Outside the 24-Hour Window is not "Send Anyway" (the
 *   default, which keeps the node as it always was) and the message goes out first on WhatsApp.
 * - Open when the customer's last message (edna's history, and the input item when it is that
 *   customer's Message Received item) is younger than 24 hours minus the safety margin. An input
 *   item that alone proves the window open needs no history lookup: a Reply to a fresh message, or a
 *   send after Conversation → Get (whose `window` was judged with its own margin, moments before).
 * - No message of the customer in the last 24 hours: closed. Messages without a readable time only:
 *   unknown, and the node sends as given (edna has the last word).
 */

export type OutsideWindow = 'send' | 'stop' | 'skip' | 'template';

export const DEFAULT_MARGIN_MINUTES = 60;

const HOUR_MS = 3_600_000;

/** The options Reply and Send add to their Options collection, in the collection's (alphabetical) order. */
export const windowOptions: Record<'outsideWindow' | 'template' | 'variables' | 'margin', INodeProperties> = {
	outsideWindow: {
		displayName: 'Outside the 24-Hour Window',
		name: 'outsideWindow',
		type: 'options',
		default: 'send',
		description:
			"What to do on WhatsApp when the customer's last message is older than 24 hours (minus the safety margin), when WhatsApp delivers templates only",
		options: [
			{
				name: 'Send Anyway',
				value: 'send',
				description: 'Send without checking. Outside the window edna accepts the message and reports it failed later.',
			},
			{
				name: 'Send a Template Instead',
				value: 'template',
				description: 'Send the template of Window Template, with Window Template Variables (JSON)',
			},
			{
				name: 'Skip',
				value: 'skip',
				description: 'Send nothing; the item says outcome "skipped", skipReason "windowClosed"',
			},
			{
				name: 'Stop With an Error',
				value: 'stop',
				description: 'Fail the item with an error that says the window is closed and what to do',
			},
		],
	},
	template: {
		displayName: 'Window Template',
		name: 'windowTemplate',
		type: 'string',
		default: '',
		placeholder: 'e.g. order_update · en, or 5501',
		description:
			'With "Send a Template Instead": the approved template of the same channel to send, by ID or by name (add " · language" when the name exists in several languages)',
	},
	variables: {
		displayName: 'Window Template Variables (JSON)',
		name: 'windowTemplateVariables',
		type: 'json',
		default: '',
		placeholder: '{"body": ["Alex"], "header": [], "buttons": []}',
		description: "The window template's variable values, as Send Template's Variables (JSON). An array alone is the body variables.",
	},
	margin: windowMarginOption,
};

export interface WindowCheck extends ConversationWindow {
	/**
	 * `trigger`: the input item (a Message Received item) proved the window open; `conversation`: the
	 * input item (Conversation → Get's output) did; `history`: edna's history was read.
	 */
	checkedBy: 'trigger' | 'conversation' | 'history';
}

const samePhone = (value: unknown, phone: string): boolean =>
	(typeof value === 'string' || typeof value === 'number') && String(value).replace(/[\s-]/g, '').replace(/^\+/, '') === phone;

/** Conversation → Get's window in the input item, for this customer and channel, when it is still open now. */
function windowFromConversation(item: unknown, subjectId: number, phone: string, now: number): WindowCheck | null {
	if (typeof item !== 'object' || item === null) return null;
	const json = item as IDataObject;
	const window = json.window as IDataObject | undefined;
	if (typeof window !== 'object' || window === null || window.open !== true) return null;
	if (String(json.subjectId) !== String(subjectId) || !samePhone(json.phone, phone)) return null;
	const closes = timeValue(window.closesAt);
	if (closes === null || now >= closes) return null;
	return {
		open: true,
		closesAt: new Date(closes).toISOString(),
		lastIncomingAt: typeof window.lastIncomingAt === 'string' ? window.lastIncomingAt : null,
		checkedBy: 'conversation',
	};
}

/**
 * The window from the input item alone, when that item proves it open: the customer's Message
 * Received item, young enough, or Conversation → Get's item whose window closes later than now (its
 * margin already taken off). Null when history must tell.
 */
export function windowFromItem(item: unknown, subjectId: number, phone: string, now: number, marginMinutes: number): WindowCheck | null {
	const fromConversation = windowFromConversation(item, subjectId, phone, now);
	if (fromConversation !== null) return fromConversation;
	const received = receivedHere(item, subjectId, phone);
	const at = received === null ? null : timeValue(received.receivedAt);
	if (at === null) return null;
	const closes = at + WINDOW_HOURS * HOUR_MS - Math.max(0, marginMinutes) * 60_000;
	if (now >= closes) return null;
	return { open: true, closesAt: new Date(closes).toISOString(), lastIncomingAt: new Date(at).toISOString(), checkedBy: 'trigger' };
}

/** The window from edna's history of the customer's messages (and the input item, which history may lag). */
export function windowFromHistory(entries: IDataObject[], item: unknown, subjectId: number, phone: string, now: number, marginMinutes: number): WindowCheck {
	const received = receivedHere(item, subjectId, phone);
	const { window } = conversationOf(entries, {
		now,
		maxMessages: 0,
		windowMarginMinutes: marginMinutes,
		pending: received === null ? null : pendingOf(received),
	});
	return { ...window, checkedBy: 'history' };
}

/** The error "Stop With an Error" gives. */
export function windowClosedError(window: ConversationWindow, phone: string): BuildError {
	const since =
		window.lastIncomingAt === null
			? 'has not written on this channel in the last 24 hours'
			: `last wrote at ${window.lastIncomingAt} (the window closed at ${String(window.closesAt)}, safety margin included)`;
	return new BuildError(
		`WhatsApp's 24-hour window with ${phone} is closed: the customer ${since}`,
		'Outside the window WhatsApp delivers only approved templates. Send one with Message → Send Template, or set Options → Outside the 24-Hour Window to "Send a Template Instead" and choose the Window Template.',
	);
}

export interface WindowedSend {
	/** The channel the message goes out on first (Reply: the message's channel; Send: the cascade's first stage). */
	channelType: string;
	subjectId: number | null;
	phone: string;
	options: IDataObject;
	/** The Comment and the send ID, read only when something is sent (sendId.ts). */
	identify: () => { comment: string | undefined; sendId: SendId };
}

/**
 * The checks Reply and Send make before a free-form send, when their options ask for them: a person
 * answering the customer (handOver.ts), then WhatsApp's window. edna's history is read at most once,
 * and not at all when the input item already tells. Returns `{ window }` to go on with the send
 * (window null: not judged), or `{ item }`: the output item of what was done instead.
 */
export async function checkBeforeSend(
	ctx: IExecuteFunctions,
	itemIndex: number,
	send: WindowedSend,
): Promise<{ window: WindowCheck | null; item?: IDataObject }> {
	const choice = (send.options.outsideWindow as OutsideWindow | undefined) ?? 'send';
	const handOverMinutes = typeof send.options.handOverMinutes === 'number' && send.options.handOverMinutes > 0 ? send.options.handOverMinutes : 0;
	const judgeWindow = choice !== 'send' && send.channelType === 'WHATSAPP';
	if (send.subjectId === null || (!judgeWindow && handOverMinutes === 0)) return { window: null };
	const subjectId = send.subjectId;
	const item = ctx.getInputData()[itemIndex]?.json;
	const now = Date.now();
	const where = { channelType: send.channelType, subjectId, recipient: send.phone };

	let entries: IDataObject[] | undefined;
	const history = async () =>
		(entries ??= await conversationHistory(ctx, itemIndex, {
			phone: send.phone,
			subjectId,
			since: now - Math.max(judgeWindow ? WINDOW_HOURS * HOUR_MS : 0, handOverMinutes * 60_000),
			// The window needs only the customer's messages; the hand-over needs the business's too.
			direction: handOverMinutes === 0 ? 'IN' : undefined,
		}));

	if (handOverMinutes > 0) {
		const since = now - handOverMinutes * 60_000;
		const person = personFromItem(item, subjectId, send.phone, since) ?? personFromHistory(await history(), now, since);
		if (person.active) {
			return { window: null, item: { outcome: 'skipped', skipReason: 'operatorActive', ...where, operatorLastAt: person.lastAt } };
		}
	}
	if (!judgeWindow) return { window: null };
	const margin = typeof send.options.windowMarginMinutes === 'number' ? send.options.windowMarginMinutes : DEFAULT_MARGIN_MINUTES;
	const window =
		windowFromItem(item, subjectId, send.phone, now, margin) ?? windowFromHistory(await history(), item, subjectId, send.phone, now, margin);
	if (window.open !== false) return { window };
	switch (choice) {
		case 'stop':
			throw windowClosedError(window, send.phone);
		case 'skip':
			return { window, item: { outcome: 'skipped', skipReason: 'windowClosed', ...where, window } };
		case 'template': {
			const name = typeof send.options.windowTemplate === 'string' ? send.options.windowTemplate.trim() : String(send.options.windowTemplate ?? '');
			if (name === '') {
				throw new BuildError(
					"WhatsApp's 24-hour window is closed and no Window Template is set",
					'Enter the template to send instead (its ID or name) in Options → Window Template.',
				);
			}
			const channel = findChannel(await getChannels(ctx), 'id', String(send.subjectId));
			const sent = await sendTemplateMessage(ctx, itemIndex, {
				channel,
				template: { mode: /^\d+$/.test(name) ? 'id' : 'name', value: name },
				phone: send.phone,
				values: {},
				valuesJson: send.options.windowTemplateVariables,
				identify: send.identify,
			});
			return { window, item: { ...sent, sentAs: 'template', window } };
		}
		default:
			throw new BuildError(`Unknown choice "${String(choice)}" for Outside the 24-Hour Window`, 'Choose one of the listed options.');
	}
}
