// POST v1/out-messages/whatsapp/template and …/viber/template
// (http://docs-pulse.edna.io/docs/api/messages/sending-id). edna does not document the answer or the
// error codes of these endpoints; they are in choices.mjs.
import { randomUUID } from 'node:crypto';
import { authorizeChannels } from '../auth.mjs';
import {
	CODES,
	REFUSED_REQUEST_TAKES_ID,
	UNREADABLE_SEND_DELAY_S,
	V1_CASCADE,
	V1_MESSAGE_ID_IS_STATUS_REQUEST_ID,
	V1_VARIABLE_LISTS,
	idOf,
	subscriberAddress,
	v1Answer,
} from '../choices.mjs';
import { contentView } from '../content.mjs';
import { invalid } from '../errors.mjs';
import { addOutMessage } from '../messages.mjs';
import { channelBySubject, idTaken, templateById } from '../state.mjs';

const blank = (v) => v === undefined || v === null || v === '';
const MEDIA_HEADERS = ['IMAGE', 'VIDEO', 'DOCUMENT'];

/** The `{{n}}` placeholders of a text: the number of values it needs. */
export const placeholderCount = (text) =>
	new Set(String(text ?? '').match(/\{\{\d+\}\}/g) ?? []).size;
const fillIn = (text, values) =>
	String(text).replace(/\{\{(\d+)\}\}/g, (m, n) => values[Number(n) - 1] ?? m);

/** URL buttons with a dynamic part, each taking one buttonVariables value, in keyboard order. */
const dynamicButtons = (template) =>
	(template.content?.keyboard?.rows ?? [])
		.flatMap((r) => r.buttons)
		.filter(
			(b) => b.buttonType === 'URL' && placeholderCount(`${b.url ?? ''}${b.urlPostfix ?? ''}`) > 0,
		);

function checkVariables(name, values, expected) {
	const list = values ?? [];
	if (
		!Array.isArray(list) ||
		list.length !== expected ||
		list.some((v) => blank(v) || (typeof v === 'string' && v.trim() === ''))
	) {
		throw invalid(
			CODES.templateVariablesMismatch,
			`The template needs ${expected} ${name}, got ${Array.isArray(list) ? list.length : 'no list'} (empty values count as missing).`,
		);
	}
	return list.map(String);
}

export function makeV1Template(channelType) {
	return function sendTemplate({ state, clock, key, body, delivery, v1MessageIdUnique = true }) {
		// a messageId used before is refused unless the switch is off (choices.V1_MESSAGE_ID_UNIQUE)
		if (
			v1MessageIdUnique &&
			!blank(body.messageId) &&
			idTaken(state.usedMessageIds, idOf(body.messageId), clock)
		) {
			throw invalid(
				CODES.messageIdNotUnique,
				`Duplicate messageId ${body.messageId}: use a new messageId for each message.`,
			);
		}
		if (REFUSED_REQUEST_TAKES_ID && !blank(body.messageId))
			state.usedMessageIds.set(idOf(body.messageId), Date.now());
		const channel = blank(body.sender) ? null : channelBySubject(state, String(body.sender));
		if (!channel || channel.type !== channelType || !channel.active)
			throw invalid(
				CODES.senderNotFound,
				`Sender ${body.sender ?? ''} not found among the active ${channelType} channels.`,
			);
		authorizeChannels(key, [channel.subjectId]);
		if (blank(body.phone)) throw invalid(CODES.phoneMissing, 'The phone is not specified.');

		const template = templateById(state, Number(body.templateId));
		if (
			!template ||
			template.channelType !== channelType ||
			!template.subjectIds.includes(channel.subjectId)
		) {
			throw invalid(
				CODES.templateNotFound,
				`Template ${body.templateId ?? ''} not found for sender ${channel.subject}.`,
			);
		}
		if (template.status !== 'APPROVED' || template.locked) {
			throw invalid(
				CODES.templateNotApproved,
				`Template ${template.id} is ${template.locked ? 'locked' : template.status}; only APPROVED, unlocked templates can be sent.`,
			);
		}
		const c = template.content ?? {};
		// a list the channel has no use for is ignored (choices.mjs)
		const given = (name) =>
			V1_VARIABLE_LISTS[channelType].includes(name) ? body[name] : undefined;
		const text = checkVariables('textVariables', given('textVariables'), placeholderCount(c.text));
		const headerText = c.header?.headerType === 'TEXT' ? c.header.text : '';
		const header = checkVariables(
			'headerVariables',
			given('headerVariables'),
			placeholderCount(headerText),
		);
		const buttons = dynamicButtons(template);
		const buttonValues = checkVariables(
			'buttonVariables',
			given('buttonVariables'),
			buttons.length,
		);
		const mediaHeader = MEDIA_HEADERS.includes(c.header?.headerType);
		if (mediaHeader && (!body.attachment || blank(body.attachment.url))) {
			throw invalid(
				CODES.attachmentRequired,
				`Template ${template.id} has a ${c.header.headerType} header: send an attachment {url, name}.`,
			);
		}

		const messageId = blank(body.messageId) ? randomUUID() : idOf(body.messageId);
		state.usedMessageIds.set(messageId, Date.now());
		let b = 0;
		const keyboard = c.keyboard && {
			rows: c.keyboard.rows.map((r) => ({
				buttons: r.buttons.map((btn) =>
					buttons.includes(btn)
						? {
								...btn,
								url: fillIn(btn.url ?? '', [buttonValues[b]]),
								urlPostfix: fillIn(btn.urlPostfix ?? '', [buttonValues[b++]]),
							}
						: btn,
				),
			})),
		};
		const view = contentView(mediaHeader ? c.header.headerType : 'TEXT', {
			text: fillIn(c.text ?? '', text),
			header: c.header
				? { type: c.header.headerType, text: headerText ? fillIn(headerText, header) : null }
				: null,
			footer: c.footer,
			keyboard,
			caption: c.caption,
			action: c.action,
			attachment: body.attachment,
		});
		const options = body.options ?? {};
		const message = addOutMessage(state, {
			api: 'v1',
			requestId: V1_MESSAGE_ID_IS_STATUS_REQUEST_ID ? messageId : null,
			v1MessageId: messageId,
			comment: options.comment ?? null,
			...V1_CASCADE,
			subjectId: channel.subjectId,
			subject: channel.subject,
			channelType,
			address: subscriberAddress(body.phone),
			content: view,
			isTemplate: true,
			templateId: template.id,
			templateCategory: template.category,
		});
		delivery.start(message, parseDuration(options.sendDelay));
		return { status: 200, body: v1Answer(message), message };
	};
}

/** ISO-8601 duration (`PT10H15M47S`) in seconds; 0 when absent, the choice's value when unreadable. */
function parseDuration(value) {
	if (value === undefined || value === null || value === '') return 0;
	const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(value));
	if (!m) return UNREADABLE_SEND_DELAY_S;
	return (
		(Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)
	);
}
