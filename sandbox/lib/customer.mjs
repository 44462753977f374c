// What customers and WhatsApp do on their side, on demand: write (every documented incoming content
// type), tap a quick-reply button, click a tracked link button; and what edna's template registration
// reports: a template status or category change. Each produces the webhook edna would send, built by
// webhook-shapes.mjs from the trigger's fixtures.
import {
	INCOMING_TYPES,
	incomingMessageBody,
	linkClickBody,
	templateCategoryBody,
	templateStatusBody,
} from './webhook-shapes.mjs';
import { templateView } from './api/templates.mjs';
import { OPERATOR_MESSAGE } from './choices.mjs';
import { contentView } from './content.mjs';
import { addOutMessage, findOutMessage, lastOutMessage } from './messages.mjs';
import {
	channelBySubject,
	channelBySubjectId,
	customerInfo,
	subscriberId,
	templateById,
} from './state.mjs';

/** A problem with a customer action: the /sandbox endpoints answer it with 400. */
export class ActionError extends Error {
	status = 400;
}

const fail = (message) => {
	throw new ActionError(message);
};

// Media a customer sends when the caller gives none: a stable URL per type.
const SAMPLE_MEDIA = {
	IMAGE: { url: 'https://files.example.com/sandbox/photo.jpg', name: null, size: null },
	DOCUMENT: {
		url: 'https://files.example.com/sandbox/receipt.pdf',
		name: 'receipt.pdf',
		size: 48213,
	},
	VIDEO: { url: 'https://files.example.com/sandbox/clip.mp4', name: null, size: null },
	AUDIO: { url: 'https://files.example.com/sandbox/voice.ogg', name: null, size: null },
};

/** Incoming content is possible on these channels (docs/edna-api.md §W0: WhatsApp, Viber). */
const INCOMING_CHANNELS = ['WHATSAPP', 'VIBER'];

export function channelFor(state, { subjectId, channel }) {
	let ch;
	if (subjectId != null) ch = channelBySubjectId(state, Number(subjectId));
	else if (typeof channel === 'string' && INCOMING_CHANNELS.includes(channel.toUpperCase()))
		ch = state.channels.find((c) => c.active && c.type === channel.toUpperCase());
	else if (typeof channel === 'string') ch = channelBySubject(state, channel);
	else ch = state.channels.find((c) => c.active && c.type === 'WHATSAPP');
	if (!ch || !ch.active || ch.subjectId == null)
		fail(`no active channel for ${JSON.stringify(subjectId ?? channel ?? 'WHATSAPP')}`);
	if (!INCOMING_CHANNELS.includes(ch.type))
		fail(`customers cannot write on ${ch.type} channels in edna Pulse`);
	return ch;
}

function messageContent(type, input) {
	switch (type) {
		case 'TEXT':
			if (!input.text) fail('text is required for a TEXT message');
			return { text: String(input.text) };
		case 'IMAGE':
		case 'DOCUMENT':
		case 'VIDEO':
		case 'AUDIO':
			return {
				attachment: { ...SAMPLE_MEDIA[type], ...input.attachment },
				caption: input.caption ?? null,
				text: null,
			};
		case 'BUTTON':
			if (!input.payload && !input.text) fail('payload or text is required for a BUTTON message');
			return { text: input.text ?? null, payload: input.payload ?? null };
		case 'LIST_PICKER': {
			const items = input.items ?? [];
			if (!Array.isArray(items) || !items.length)
				fail('items [{identifier, title}] are required for a LIST_PICKER message');
			return {
				text: null,
				items: items.map((i) => ({
					identifier: String(i.identifier),
					title: i.title ?? null,
					subtitle: i.subtitle ?? null,
				})),
			};
		}
		case 'LOCATION': {
			const l = input.location ?? {};
			if (typeof l.latitude !== 'number' || typeof l.longitude !== 'number')
				fail('location {latitude, longitude} numbers are required');
			return {
				text: null,
				location: { latitude: l.latitude, longitude: l.longitude, address: l.address ?? null },
			};
		}
		case 'FLOW':
			// the Flow's answers arrive as a JSON string in `text` (docs/edna-api.md §W5.4)
			return {
				text:
					typeof input.response === 'string'
						? input.response
						: JSON.stringify(input.response ?? { flow_token: 'sandbox-flow-token' }),
			};
		default:
			return fail(`unknown content type "${type}" (expected one of: ${INCOMING_TYPES.join(', ')})`);
	}
}

export function createCustomer({ world }) {
	/**
	 * A customer writes. `{phone, subjectId | channel, type = 'TEXT', text, caption, attachment, payload,
	 * items, location, response, replyTo: {requestId | outMessageId}}`. Resolves when edna's webhook got
	 * its first answer: `{message, body, webhook}` (webhook null when no URL is registered).
	 */
	async function send(input = {}) {
		const { state, webhooks, clock } = world();
		const phone = String(input.phone ?? '').replace(/^\+/, '');
		if (!/^\d{6,15}$/.test(phone)) fail('phone must be 6 to 15 digits, e.g. 35790000100');
		const type = String(input.type ?? 'TEXT').toUpperCase();
		const channel = channelFor(state, input);
		const content = messageContent(type, input);
		const replyTo = input.replyTo
			? findOutMessage(state, input.replyTo)
			: lastOutMessage(state, phone, channel.subjectId);
		if (input.replyTo && !replyTo) fail(`no sent message ${JSON.stringify(input.replyTo)}`);
		// A message written `secondsAgo` edna seconds ago (to play a closed 24 h window): its time in the
		// webhook and in history is that far back, and the session window counts from it.
		const ago = Number(input.secondsAgo ?? 0);
		if (!(ago >= 0) || !Number.isFinite(ago)) fail('secondsAgo must be a number of seconds >= 0');
		const receivedAt = new Date(Date.now() - ago * 1000).toISOString();
		const message = {
			direction: 'IN',
			id: state.nextId.inMessage++,
			subjectId: channel.subjectId,
			subject: channel.subject,
			channelType: channel.type,
			address: phone,
			content: {
				type,
				caption: null,
				attachment: null,
				location: null,
				payload: null,
				items: null,
				...content,
			},
			receivedAt,
			receivedAtMs: Date.now() - clock.ms(ago),
			replyOutMessageId: replyTo?.messageId ?? null,
			readByBusiness: false,
		};
		state.inMessages.push(message);
		state.version++;
		const body = incomingMessageBody({
			id: message.id,
			subject: channel.subject,
			subjectId: channel.subjectId,
			subscriber: { id: subscriberId(state, phone), identifier: phone },
			userInfo: customerInfo(state, phone),
			messageContent: message.content,
			receivedAt,
			replyOutMessageId: replyTo?.messageId ?? null,
			replyOutMessageExternalRequestId: replyTo?.requestId ?? null,
			replyInMessageId: null,
		});
		const webhook = await webhooks.deliver('incomingMessage', channel.subjectId, body);
		return { message, body, webhook };
	}

	/** Taps a quick-reply button of a sent message (`requestId`/`outMessageId`, else the last one to `phone`). */
	function tapButton({ phone, requestId, outMessageId, payload, text } = {}) {
		const { state } = world();
		const sent =
			requestId || outMessageId
				? findOutMessage(state, { requestId, outMessageId })
				: lastOutMessage(state, String(phone ?? '').replace(/^\+/, ''));
		if (!sent) fail('no sent message to tap a button of');
		const button = sent.content.buttons.find(
			(b) =>
				b.type === 'QUICK_REPLY' &&
				(payload === undefined || b.payload === payload) &&
				(text === undefined || b.text === text),
		);
		if (!button)
			fail(
				`message ${sent.messageId} has no quick-reply button ${JSON.stringify(payload ?? text ?? '')}`,
			);
		return send({
			phone: sent.address,
			subjectId: sent.subjectId,
			type: 'BUTTON',
			text: button.text,
			payload: button.payload,
			replyTo: { outMessageId: sent.messageId },
		});
	}

	/** Clicks a URL button of a sent WhatsApp template (`requestId` or `outMessageId`; `button` text or index). */
	async function clickLink({ requestId, outMessageId, button = 0 } = {}) {
		const { state, webhooks } = world();
		if (requestId == null && outMessageId == null)
			fail('requestId or outMessageId of a sent message is required');
		const sent = findOutMessage(state, { requestId, outMessageId });
		if (!sent) fail(`no sent message ${JSON.stringify({ requestId, outMessageId })}`);
		if (sent.channelType !== 'WHATSAPP' || !sent.templateId)
			fail('link clicks are tracked only for WhatsApp template messages');
		const links = sent.content.buttons.filter((b) => b.type === 'URL');
		const link = typeof button === 'number' ? links[button] : links.find((b) => b.text === button);
		if (!link) fail(`message ${sent.messageId} has no link button ${JSON.stringify(button)}`);
		const shortLink = `sbx${sent.messageId.toString(36)}${links.indexOf(link)}`;
		const body = linkClickBody({
			payload: {
				sender: sent.subject,
				templateId: sent.templateId,
				channelType: 'WHATSAPP',
				outMessageId: sent.messageId,
				phone: sent.address,
				url: link.url,
				shortLink,
				requestId: sent.requestId,
			},
			timestamp: new Date().toISOString(),
		});
		(sent.clicks ??= []).push({ url: link.url, at: body.timestamp });
		state.version++;
		const webhook = await webhooks.deliver('linkClick', sent.subjectId, body);
		return { body, webhook };
	}

	return { send, tapButton, clickLink };
}

/**
 * A person answers in edna's chat centre (not through the API): an outgoing message with no
 * comment, no cascade and no requestId (choices.mjs, OPERATOR_MESSAGE), delivered like any other
 * (statuses, and WhatsApp's 24 h window). `{phone, subjectId | channel, text}`; returns the message.
 */
export function createOperator({ world }) {
	function send(input = {}) {
		const { state, delivery } = world();
		const phone = String(input.phone ?? '').replace(/^\+/, '');
		if (!/^\d{6,15}$/.test(phone)) fail('phone must be 6 to 15 digits, e.g. 35790000100');
		const text = typeof input.text === 'string' ? input.text.trim() : '';
		if (text === '') fail('text is required');
		const channel = channelFor(state, input);
		const message = addOutMessage(state, {
			...OPERATOR_MESSAGE,
			subjectId: channel.subjectId,
			subject: channel.subject,
			channelType: channel.type,
			address: phone,
			content: contentView('TEXT', { text }),
		});
		delivery.start(message, 0);
		return message;
	}
	return { send };
}

export function createTemplateEvents({ world }) {
	const find = (state, id) => templateById(state, Number(id)) ?? fail(`no template ${id}`);

	/** edna's registration reports a new template status (docs/edna-api.md §W6); APPROVED, REJECTED, PAUSED… */
	async function setStatus(id, status) {
		const { state, webhooks } = world();
		const t = find(state, id);
		if (typeof status !== 'string' || !/^[A-Z_]+$/.test(status))
			fail('status must be an upper-case edna template status, e.g. APPROVED');
		t.status = status;
		t.updatedAt = new Date().toISOString();
		state.version++;
		const body = templateStatusBody([templateView(t)]);
		const webhook = await webhooks.deliver('templateStatus', t.subjectIds[0], body);
		return { template: templateView(t), body, webhook };
	}

	/** WhatsApp moves a template to another category (docs/edna-api.md §W7). */
	async function setCategory(id, category) {
		const { state, webhooks } = world();
		const t = find(state, id);
		if (t.channelType !== 'WHATSAPP') fail('only WhatsApp templates change category');
		if (!['MARKETING', 'UTILITY', 'AUTHORIZATION', 'AUTHENTICATION'].includes(category))
			fail('category must be MARKETING, UTILITY or AUTHORIZATION');
		t.category = category;
		t.updatedAt = new Date().toISOString();
		state.version++;
		const body = templateCategoryBody({
			payload: { id: t.id, name: t.name, channelType: 'WHATSAPP', category },
			timestamp: t.updatedAt,
		});
		const webhook = await webhooks.deliver('templateCategory', t.subjectIds[0], body);
		return { template: templateView(t), body, webhook };
	}

	return { setStatus, setCategory };
}
