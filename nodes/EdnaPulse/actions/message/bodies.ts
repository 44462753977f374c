import { BuildError } from '../errors';

/**
 * Request bodies of the message operations, as pure functions: parameters in, edna's JSON out.
 * Field names and shapes: docs/edna-api.md §2.1 (cascade/schedule), §5.3 (in-message/change-status),
 * §6 (messages/history). Every function either returns a body edna accepts or throws a
 * `BuildError` naming the parameter to fix, before anything is sent.
 */

export type MediaType = 'image' | 'document' | 'video' | 'audio';
export type ContentType = 'text' | MediaType | 'location';

export type Content =
	| { type: 'text'; text: string }
	| { type: MediaType; url: string; name: string }
	| { type: 'location'; latitude: number; longitude: number; address?: string };

/** edna's limit for `attachment.name` (docs/edna-api.md §7.2 `attachmentName-is-too-long`). */
export const MAX_ATTACHMENT_NAME = 70;

/**
 * Digits in international format, as edna's examples give `subscriberFilter.address` (docs/edna-api.md
 * §2.1): spaces, dashes and a leading + are dropped; anything else is refused.
 */
export function normalisePhone(raw: unknown): string {
	const given = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
	const phone = given.replace(/[\s-]/g, '').replace(/^\+/, '');
	if (phone === '') throw new BuildError('The recipient phone is empty', 'Enter the phone in international format, e.g. 35790000001.');
	if (!/^\d+$/.test(phone)) {
		throw new BuildError(
			`The recipient phone "${given.trim()}" is not a phone number`,
			'Use digits in international format, e.g. +357 9000 0001 or 35790000001 (spaces, dashes and a leading + are allowed).',
		);
	}
	return phone;
}

/** The attachment's name: as given, else the file name at the end of the URL; at most 70 characters. */
export function attachmentName(url: string, name: string): string {
	const given = name.trim();
	if (given.length > MAX_ATTACHMENT_NAME) {
		throw new BuildError(
			`The media name is ${given.length} characters long; edna allows at most ${MAX_ATTACHMENT_NAME}`,
			'Shorten the Media Name.',
		);
	}
	if (given !== '') return given;
	let fromUrl = '';
	try {
		fromUrl = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '');
	} catch {
		fromUrl = '';
	}
	return (fromUrl || 'file').slice(0, MAX_ATTACHMENT_NAME);
}

export function mediaUrl(raw: unknown): string {
	const url = typeof raw === 'string' ? raw.trim() : '';
	if (url === '') throw new BuildError('The media URL is empty', 'edna Pulse takes media by URL: enter the https:// URL of the file.');
	if (!/^https?:\/\/\S+$/i.test(url)) {
		throw new BuildError(`The media URL "${url}" is not a URL`, 'Enter the https:// URL of the file; edna downloads it from there.');
	}
	return url;
}

const EDNA_CONTENT_TYPE: Record<ContentType, string> = {
	text: 'TEXT',
	image: 'IMAGE',
	document: 'DOCUMENT',
	video: 'VIDEO',
	audio: 'AUDIO',
	location: 'LOCATION',
};

/** The `content` key of each channel type a cascade stage can have (docs/edna-api.md §2.1, §8). */
export const CONTENT_KEYS: Readonly<Record<string, string>> = {
	WHATSAPP: 'whatsappContent',
	VIBER: 'viberContent',
	SMS: 'smsContent',
};

const NOT_FOR_SMS: Record<ContentType, string> = {
	text: 'an empty text',
	image: 'an image',
	document: 'a document',
	video: 'a video',
	audio: 'an audio file',
	location: 'a location',
};

/** One messenger stage's content: the message itself (docs/edna-api.md §2.1, media by URL examples). */
function messengerContent(channelType: string, content: Content): Record<string, unknown> {
	switch (content.type) {
		case 'text':
			return { contentType: 'TEXT', text: content.text };
		case 'location':
			// Location is documented for WhatsApp only (docs/edna-api.md §2.1 whatsappContent.location).
			if (channelType !== 'WHATSAPP') {
				throw new BuildError(`A ${channelType} stage cannot carry a location`, 'edna documents location messages for WhatsApp only: send a text instead.');
			}
			return {
				contentType: 'LOCATION',
				location: {
					latitude: content.latitude,
					longitude: content.longitude,
					...(content.address ? { address: content.address } : {}),
				},
			};
		default:
			return { contentType: EDNA_CONTENT_TYPE[content.type], attachment: { url: content.url, name: content.name } };
	}
}

/**
 * The content for every stage of a cascade, and for nothing else: edna refuses both missing and
 * extra content (docs/edna-api.md §7.1 `cascade-scheduling-request-not-valid`). An SMS stage takes text only:
 * the fallback text, else the message's own text.
 */
export function cascadeContent(
	stageTypes: string[],
	content: Content,
	fallbackText = '',
): Record<string, Record<string, unknown>> {
	if (stageTypes.length === 0) throw new BuildError('The cascade has no stages', 'Choose another cascade.');
	const result: Record<string, Record<string, unknown>> = {};
	for (const raw of stageTypes) {
		const channelType = raw.toUpperCase();
		const key = CONTENT_KEYS[channelType];
		if (key === undefined) {
			throw new BuildError(
				`The cascade has a ${raw} stage, which this node cannot fill`,
				'The node sends WhatsApp, Viber and SMS content. Choose a cascade made of those channels.',
			);
		}
		if (result[key] !== undefined) continue;
		if (channelType === 'SMS') {
			const text = fallbackText.trim() !== '' ? fallbackText : content.type === 'text' ? content.text : '';
			if (text.trim() === '') {
				throw new BuildError(
					`The cascade has an SMS stage, and an SMS cannot carry ${NOT_FOR_SMS[content.type]}`,
					'Enter the text the SMS stage sends under Options → SMS Fallback Text.',
				);
			}
			result[key] = { contentType: 'TEXT', text };
		} else {
			result[key] = messengerContent(channelType, content);
		}
	}
	return result;
}

export interface CascadeSend {
	requestId: string;
	cascadeId: number;
	phone: string;
	stageTypes: string[];
	content: Content;
	fallbackText?: string;
	/** ISO 8601; sent as UTC. */
	startTime?: string;
	comment?: string;
}

/** An ISO 8601 instant in UTC (`2022-01-21T08:00:00Z`, docs/edna-api.md §2.1); a time without a zone is taken as UTC. */
export function utcTime(value: string, what = 'send time'): string {
	const trimmed = value.trim();
	const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) || !/T\d/.test(trimmed) ? trimmed : `${trimmed}Z`;
	const time = new Date(zoned);
	if (Number.isNaN(time.getTime())) {
		throw new BuildError(`The ${what} "${value}" is not a date and time`, 'Use ISO 8601, e.g. 2026-07-01T09:30:00Z.');
	}
	return time.toISOString().replace(/\.000Z$/, 'Z');
}

/** `POST cascade/schedule` (docs/edna-api.md §2.1). */
export function cascadeScheduleBody(send: CascadeSend): Record<string, unknown> {
	const body: Record<string, unknown> = {
		requestId: send.requestId,
		cascadeId: send.cascadeId,
		subscriberFilter: { address: send.phone, type: 'PHONE' },
		content: cascadeContent(send.stageTypes, send.content, send.fallbackText),
	};
	if (send.startTime !== undefined && send.startTime.trim() !== '') body.startTime = utcTime(send.startTime);
	if (send.comment !== undefined && send.comment !== '') body.comment = send.comment;
	return body;
}

/** Parameters of a message's content, as the node's fields give them. */
export interface ContentParameters {
	contentType: ContentType;
	text?: unknown;
	mediaUrl?: unknown;
	mediaName?: unknown;
	latitude?: unknown;
	longitude?: unknown;
	address?: unknown;
}

const finite = (value: unknown, what: string, min: number, max: number): number => {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
		throw new BuildError(`The ${what} must be a number from ${min} to ${max}`, `Enter the ${what} in decimal degrees.`);
	}
	return n;
};

export function contentOf(p: ContentParameters): Content {
	switch (p.contentType) {
		case 'text': {
			const text = typeof p.text === 'string' ? p.text : p.text === undefined || p.text === null ? '' : String(p.text);
			if (text.trim() === '') throw new BuildError('The message text is empty', 'Enter the Text to send.');
			return { type: 'text', text };
		}
		case 'location':
			return {
				type: 'location',
				latitude: finite(p.latitude, 'latitude', -90, 90),
				longitude: finite(p.longitude, 'longitude', -180, 180),
				address: typeof p.address === 'string' && p.address.trim() !== '' ? p.address.trim() : undefined,
			};
		case 'image':
		case 'document':
		case 'video':
		case 'audio': {
			const url = mediaUrl(p.mediaUrl);
			return { type: p.contentType, url, name: attachmentName(url, typeof p.mediaName === 'string' ? p.mediaName : '') };
		}
		default:
			throw new BuildError(`Unknown content type "${String(p.contentType)}"`);
	}
}

/** `POST in-message/change-status` (docs/edna-api.md §5.3): the incoming message's numeric `id`. */
export function markAsReadBody(id: unknown): { id: number; status: 'READ' } {
	const n = typeof id === 'string' && /^\s*\d+\s*$/.test(id) ? Number(id) : id;
	if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
		throw new BuildError(
			`The incoming message ID "${String(id ?? '')}" is not an edna message ID`,
			'Use the "id" of a Message Received item from the edna Pulse Trigger (a whole number).',
		);
	}
	return { id: n, status: 'READ' };
}

export interface HistoryQuery {
	messageId?: unknown;
	phone?: string;
	dateFrom?: string;
	dateTo?: string;
	direction?: string;
	channelTypes?: string[];
	subjectId?: number;
}

/** `POST messages/history` (docs/edna-api.md §6) for one page. */
export function historyBody(query: HistoryQuery, offset: number, limit: number): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	if (query.messageId !== undefined) {
		const id = typeof query.messageId === 'string' && /^\s*\d+\s*$/.test(query.messageId) ? Number(query.messageId) : query.messageId;
		if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
			throw new BuildError(
				`The edna message ID "${String(query.messageId)}" is not a whole number`,
				"Use edna's messageId from a Message Status Changed item (not the requestId the node sent).",
			);
		}
		body.messageId = id;
	}
	if (query.phone !== undefined) body.subscriberFilter = { address: query.phone, type: 'PHONE' };
	if (query.dateFrom) body.dateFrom = utcTime(query.dateFrom, 'start of the period');
	if (query.dateTo) body.dateTo = utcTime(query.dateTo, 'end of the period');
	if (query.direction) body.direction = query.direction;
	if (query.channelTypes && query.channelTypes.length > 0) body.channelTypes = query.channelTypes;
	if (query.subjectId !== undefined) body.subjectId = query.subjectId;
	body.offset = offset;
	body.limit = limit;
	return body;
}
