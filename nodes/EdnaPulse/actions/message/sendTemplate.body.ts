import type { IDataObject } from 'n8n-workflow';

import type { MediaHeader, VariableValues } from '../template/variables';

/**
 * The request of Message → Send Template: `POST v1/out-messages/{whatsapp,viber}/template`
 * (docs/edna-api.md §2.2). Parameters in, JSON out; nothing here knows about n8n.
 */

export type TemplateChannelType = 'WHATSAPP' | 'VIBER';

/** Only WhatsApp and Viber have a v1 template endpoint (docs/edna-api.md §2.2, §8). */
export function templateChannelType(channelType: unknown): TemplateChannelType | undefined {
	const type = typeof channelType === 'string' ? channelType.toUpperCase() : '';
	return type === 'WHATSAPP' || type === 'VIBER' ? type : undefined;
}

export const sendTemplatePath = (type: TemplateChannelType): string =>
	type === 'WHATSAPP' ? 'v1/out-messages/whatsapp/template' : 'v1/out-messages/viber/template';

export interface Attachment {
	url: string;
	name: string;
}

export interface SendTemplateRequest {
	channelType: TemplateChannelType;
	messageId: string;
	/** The channel's `subject` (docs/edna-api.md §2.2: "get it from the subject field of the channel list"). */
	sender: string;
	phone: string;
	templateId: number;
	variables: VariableValues;
	attachment?: Attachment;
	comment?: string;
	/** ISO-8601 duration, e.g. `PT10H15M47S`. */
	sendDelay?: string;
}

/**
 * The body edna documents. Empty arrays and options are left out, as in edna's own examples. The
 * Viber variant has no header, button or attachment fields (docs/edna-api.md §2.2, docs.edna.by).
 */
export function buildSendTemplateBody(request: SendTemplateRequest): IDataObject {
	const body: IDataObject = {
		messageId: request.messageId,
		sender: request.sender,
		phone: request.phone,
		templateId: request.templateId,
	};
	const { textVariables, headerVariables, buttonVariables } = request.variables;
	if (textVariables.length > 0) body.textVariables = [...textVariables];
	if (request.channelType === 'WHATSAPP') {
		if (buttonVariables.length > 0) body.buttonVariables = [...buttonVariables];
		if (headerVariables.length > 0) body.headerVariables = [...headerVariables];
		if (request.attachment !== undefined) body.attachment = { ...request.attachment };
	}
	const options: IDataObject = {};
	if (request.comment !== undefined && request.comment !== '') options.comment = request.comment;
	if (request.sendDelay !== undefined && request.sendDelay !== '')
		options.sendDelay = request.sendDelay;
	if (Object.keys(options).length > 0) body.options = options;
	return body;
}

/** Why a request cannot be sent as given, before edna is asked; undefined when it can. */
export function attachmentProblem(
	type: TemplateChannelType,
	mediaHeader: MediaHeader | null,
	attachment: Partial<Attachment> | undefined,
): string | undefined {
	const url = (attachment?.url ?? '').trim();
	if (mediaHeader !== null && url === '') {
		const media = mediaHeader.toLowerCase();
		return `The template has ${media === 'image' ? 'an' : 'a'} ${media} header: set Header Media → URL (edna takes media by URL, it cannot take a file from n8n).`;
	}
	if (url === '') return undefined;
	if (type === 'VIBER')
		return "edna's Viber template send takes no attachment; remove Header Media.";
	if (mediaHeader === null) return 'The template has no media header; remove Header Media.';
	if (!/^https?:\/\/\S+$/i.test(url))
		return `Header Media → URL must be an http(s) URL; got "${url}".`;
	return undefined;
}

const DURATION = /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * A send delay as edna takes it. Accepts an ISO-8601 duration (`PT10H15M47S`, `P1DT2H`; docs/edna-api.md
 * §2.2 examples) in any case, or a number of minutes (`90` → `PT1H30M`). Undefined for an empty
 * value; an Error for anything else.
 */
export function normaliseSendDelay(value: unknown): string | undefined | Error {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') return minutesToDuration(value);
	const text = String(value).trim().toUpperCase();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return minutesToDuration(Number(text));
	if (DURATION.test(text) && text !== 'PT') return text;
	return new Error(
		`Send Delay "${String(value)}" is neither an ISO-8601 duration (e.g. PT1H30M) nor a number of minutes.`,
	);
}

/** Minutes as an ISO-8601 duration: 90 → `PT1H30M`, 0.5 → `PT30S`, 1500 → `PT25H`. */
export function minutesToDuration(minutes: number): string | undefined | Error {
	if (!Number.isFinite(minutes) || minutes < 0) {
		return new Error(`Send Delay must be a positive number of minutes; got ${minutes}.`);
	}
	const totalSeconds = Math.round(minutes * 60);
	if (totalSeconds === 0) return undefined;
	const hours = Math.floor(totalSeconds / 3600);
	const mins = Math.floor((totalSeconds % 3600) / 60);
	const seconds = totalSeconds % 60;
	return `PT${hours > 0 ? `${hours}H` : ''}${mins > 0 ? `${mins}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
}
