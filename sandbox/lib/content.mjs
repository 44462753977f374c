// Checks one `<channel>Content` of cascade/schedule as edna does, with the codes of
// http://docs-pulse.edna.io/docs/api/messages/errorcodes, and turns it into the
// message the customer sees.
import { CODES, TEXT_WITH_ATTACHMENT_NEEDS_TEXT } from './choices.mjs';
import { invalid } from './errors.mjs';
import { templateById } from './state.mjs';

export const CONTENT_KEYS = {
	WHATSAPP: 'whatsappContent',
	VIBER: 'viberContent',
	SMS: 'smsContent',
};
const CHANNEL_OF_KEY = {
	whatsappContent: 'WHATSAPP',
	viberContent: 'VIBER',
	smsContent: 'SMS',
	pushContent: 'PUSH',
};
export const channelOfContentKey = (key) =>
	CHANNEL_OF_KEY[key] ?? key.replace(/Content$/, '').toUpperCase();

const MEDIA = ['IMAGE', 'DOCUMENT', 'VIDEO', 'AUDIO'];
const TYPES = ['TEXT', ...MEDIA, 'LOCATION', 'BUTTON', 'LIST_PICKER', 'FLOW', 'AUTHENTICATION'];
const ATTACHMENT_NAME_MAX = 70;

const blank = (v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The `{{n}}` placeholders of a template text, as a RegExp that matches a rendered text. */
const templatePattern = (text) =>
	new RegExp(
		`^${text
			.split(/\{\{\d+\}\}/)
			.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
			.join('.+')}$`,
		's',
	);

const usable = (t, subjectId) =>
	t && t.status === 'APPROVED' && !t.locked && t.subjectIds.includes(subjectId);

/** `attachment.name` is required and at most 70 characters (edna's codes for cascade/schedule). */
function checkAttachment(a) {
	if (!a || typeof a !== 'object' || blank(a.url))
		throw invalid(CODES.attachmentUrlMissing, 'The attachment url is not specified.');
	if (blank(a.name))
		throw invalid('attachmentName-not-specified', 'The attachment name is not specified.');
	if (String(a.name).length > ATTACHMENT_NAME_MAX)
		throw invalid(
			'attachmentName-is-too-long',
			`The attachment name is longer than ${ATTACHMENT_NAME_MAX} characters.`,
		);
}

/**
 * Validates `content` for a stage on `channel`; throws an ApiError with edna's code, else returns
 * `{content: <view>, isTemplate, templateCategory}`.
 */
export function checkContent(state, channel, content) {
	if (!content || typeof content !== 'object')
		throw invalid('content-not-specified', `Content for ${channel.type} is not specified.`);
	const type = content.contentType ?? (channel.type === 'SMS' ? 'TEXT' : undefined);
	if (blank(type))
		throw invalid('contentType-not-specified', 'The contentType field is not specified.');
	if (!TYPES.includes(type))
		throw invalid(
			CODES.unknownContentType,
			`Cascade scheduling request is not valid. Violations: unknown contentType ${type}`,
		);

	// A media type needs an attachment; any other type may carry one (a TEXT with an image), and
	// edna's attachment rules hold for it all the same.
	const media = MEDIA.includes(type);
	if (media || (content.attachment !== undefined && content.attachment !== null))
		checkAttachment(content.attachment);
	if (type === 'LOCATION') {
		const l = content.location ?? {};
		if (blank(l.latitude))
			throw invalid('latitude-not-specified', 'The latitude is not specified.');
		if (blank(l.longitude))
			throw invalid('longitude-not-specified', 'The longitude is not specified.');
	} else if (type === 'FLOW') {
		if (blank(content.flowId)) throw invalid(CODES.flowIdMissing, 'The flowId is not specified.');
		if (blank(content.caption))
			throw invalid('caption-not-specified', 'The signature text field is not filled in.');
		if (blank(content.text)) throw invalid('text-not-specified', 'The text is not specified.');
	} else if (
		!media &&
		blank(content.text) &&
		(TEXT_WITH_ATTACHMENT_NEEDS_TEXT || !content.attachment)
	) {
		throw invalid('text-not-specified', 'The text is not specified.');
	}
	// A button (Viber: caption + action) needs both halves.
	if (!blank(content.caption) && blank(content.action) && channel.type === 'VIBER')
		throw invalid('action-not-specified', 'No action is specified for the button.');
	if (!blank(content.action) && blank(content.caption) && type !== 'FLOW')
		throw invalid('caption-not-specified', 'The signature text field is not filled in.');

	let template = null;
	if (content.messageMatcherId !== undefined) {
		template = templateById(state, Number(content.messageMatcherId));
		if (!usable(template, channel.subjectId)) {
			throw invalid(
				'matched-template-not-found',
				'The schema of the request body does not match the schema of the template. Check the relative location and availability of all the properties of the request.',
			);
		}
	} else if (type === 'TEXT' && typeof content.text === 'string') {
		// edna matches the rendered text against the channel's registered templates (docs/edna-api.md §2.1)
		template =
			state.templates.find(
				(t) =>
					usable(t, channel.subjectId) &&
					t.content?.text &&
					templatePattern(t.content.text).test(content.text),
			) ?? null;
	}
	return {
		content: contentView(type, content),
		isTemplate: Boolean(template) || type === 'AUTHENTICATION',
		templateId: template?.id ?? null,
		templateCategory: template?.category ?? (type === 'AUTHENTICATION' ? 'AUTHENTICATION' : null),
	};
}

/** Buttons of a keyboard (`type` in cascade content, `buttonType` in templates: both accepted). */
export const keyboardButtons = (keyboard) =>
	(keyboard?.rows ?? keyboard?.row ?? [])
		.flatMap((r) => r.buttons ?? [])
		.map((b) => ({
			text: b.text ?? null,
			type: b.buttonType ?? b.type ?? null,
			payload: b.payload ?? null,
			url: b.url ? `${b.url}${b.urlPostfix ?? ''}` : null,
			phone: b.phone ?? null,
		}));

/** What the customer sees, in one shape for every channel and send method. */
export function contentView(type, c) {
	return {
		type,
		text: c.text ?? null,
		caption: c.caption ?? null,
		attachment: c.attachment
			? { url: c.attachment.url ?? null, name: c.attachment.name ?? null }
			: null,
		location: c.location ?? null,
		header: c.header ?? null,
		footer: c.footer?.text ?? c.footer ?? null,
		buttons: [
			...keyboardButtons(c.keyboard),
			...(c.action && c.caption && type !== 'FLOW'
				? [{ text: c.caption, type: 'URL', url: c.action, payload: null }]
				: []),
		],
		items: c.items ?? null,
		flowId: c.flowId ?? null,
	};
}
