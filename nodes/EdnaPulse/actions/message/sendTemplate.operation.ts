import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { ednaSend, type SendResult } from '../../transport';
import type { EdnaChannel } from '../../transport/lists';
import { channelLocator, locatorOf } from '../../shared/descriptions';
import { channelParameter, optionsCollection } from '../fields';
import { templateLocator } from '../template/fields';
import { assertSendable, channelName, channelTemplates, pickTemplate } from '../template/load';
import {
	checkVariableValues,
	describeVariableProblem,
	templateVariables,
} from '../template/variables';
import type { BatchState, OperationModule } from '../types';
import { BuildError } from '../errors';
import { attachmentName } from './bodies';
import { phoneParameter, recipientOf, sendOptions } from './deliver';
import type { SendId } from './sendId';
import {
	campaignHistory,
	campaignIdOf,
	campaignMessagesTo,
	campaignIdOption,
	channelCheckOption,
	paceOptions,
	resumeWindowOption,
} from './campaign';
import { commentOption, recipientPhoneField, sendIdOption } from './fields';
import {
	attachmentProblem,
	buildSendTemplateBody,
	normaliseSendDelay,
	sendTemplatePath,
	templateChannelType,
} from './sendTemplate.body';

/**
 * Message → Send Template: `POST v1/out-messages/{whatsapp,viber}/template` (docs/edna-api.md §2.2). The
 * channel and template are read from edna first, so the variables are checked against the
 * template as it is now, before anything is sent.
 */

/** edna's answer to a `messageId` used before (sandbox/README.md, Choices: title, and detail "Duplicate messageId…"). */
const DUPLICATE_TITLE = 'messageId-is-not-unique';

export const description: INodeProperties[] = [
	{
		...channelLocator,
		description:
			'The WhatsApp or Viber channel (sender) to send from. Its templates fill the Template list.',
	},
	templateLocator('searchSendableTemplates'),
	recipientPhoneField,
	{
		displayName: 'Variables',
		name: 'variables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description:
			'One field per variable of the template: body {{1}}…, header {{1}}, dynamic link buttons',
		typeOptions: {
			loadOptionsDependsOn: ['channel.value', 'template.value'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				supportAutoMap: false,
				noFieldsError: 'This template has no variables: nothing to fill in.',
			},
		},
	},
	{
		displayName: 'Header Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/files/offer.pdf',
		description:
			'Required when the template has an image, video or document header: the public https:// URL of the file. edna takes media by URL only, not as n8n binary data.',
	},
	{
		displayName: 'Header Media Name',
		name: 'mediaName',
		type: 'string',
		default: '',
		description:
			'File name shown to the customer, at most 70 characters. Empty: the file name at the end of the URL.',
	},
	optionsCollection([
		commentOption,
		{
			displayName: 'Send Delay (ISO-8601)',
			name: 'sendDelay',
			type: 'string',
			default: '',
			placeholder: 'e.g. PT1H30M',
			description:
				'How long edna waits before sending, as an ISO-8601 duration (PT10H15M47S, P1DT2H) or a number of minutes',
		},
		{
			displayName: 'Send Delay (Minutes)',
			name: 'sendDelayMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'How many minutes edna waits before sending; converted to an ISO-8601 duration (90 → PT1H30M)',
		},
		{
			...sendIdOption,
			description:
				'The ID edna receives with the message (messageId). An ID used before gives the outcome "alreadySent". Empty: derived from the trigger event (eventKey) or from the execution and item, so a re-run does not send twice.',
		},
		{
			displayName: 'Variables (JSON)',
			name: 'variablesJson',
			type: 'json',
			default: '',
			placeholder: '{"body": ["Alex", "A-1001"], "header": [], "buttons": ["123"]}',
			description:
				'Instead of the fields above: the values as JSON, for a template chosen by expression or by an AI agent. An array alone is the body variables. Checked against the template like the fields.',
		},
		campaignIdOption,
		...paceOptions,
		channelCheckOption,
		resumeWindowOption,
	]),
];

const parseJson = (text: string): unknown => {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
};

/** The values the Variables (JSON) option gives, as field keys (`body_1`…), or undefined when unset. */
export function valuesFromJson(
	raw: unknown,
	variables: ReturnType<typeof templateVariables>,
): Record<string, unknown> | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const parsed: unknown = typeof raw === 'string' ? parseJson(raw) : raw;
	if (parsed === undefined) {
		throw new BuildError(
			'Variables (JSON) is not valid JSON',
			'Give e.g. {"body": ["Alex"], "header": [], "buttons": []}, or an array of the body values.',
		);
	}
	const groups: IDataObject = Array.isArray(parsed) ? { body: parsed } : (parsed as IDataObject);
	if (typeof groups !== 'object' || groups === null) {
		throw new BuildError(
			'Variables (JSON) must be an object or an array',
			'Give e.g. {"body": ["Alex"], "header": [], "buttons": []}.',
		);
	}
	const values: Record<string, unknown> = {};
	const place = (list: unknown, group: 'body' | 'header' | 'button', keys: string[]) => {
		if (list === undefined) return;
		const given = Array.isArray(list) ? list : [list];
		given.forEach((value, i) => {
			// More values than variables: keys the template lacks, which the check reports.
			values[keys[i] ?? `${group}_extra_${i + 1}`] = value;
		});
	};
	place(
		groups.body,
		'body',
		variables.body.map((v) => v.key),
	);
	place(
		groups.header,
		'header',
		variables.header.map((v) => v.key),
	);
	place(
		groups.buttons,
		'button',
		variables.buttons.map((v) => v.key),
	);
	return values;
}

function sendDelayOf(options: IDataObject): string | undefined {
	const iso = normaliseSendDelay(options.sendDelay);
	const minutes = normaliseSendDelay(
		typeof options.sendDelayMinutes === 'number' ? options.sendDelayMinutes : undefined,
	);
	for (const result of [iso, minutes]) {
		if (result instanceof Error)
			throw new BuildError(result.message, 'Use e.g. PT1H30M, or the Send Delay (Minutes) option.');
	}
	if (iso !== undefined && minutes !== undefined) {
		throw new BuildError(
			'Both send delay options are set',
			'Keep one of Send Delay (ISO-8601) and Send Delay (Minutes).',
		);
	}
	return (iso ?? minutes) as string | undefined;
}

/**
 * The v1 send. Not retried after a timeout or 5xx: that edna never accepts a `messageId` twice is
 * only inferred (docs/edna-api.md §7.3), so a repeat could send twice. edna's duplicate answer means this
 * message went out before: the outcome `alreadySent`, not an error.
 */
async function send(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	body: IDataObject,
	checkAfterTooMany?: () => Promise<SendResult | undefined>,
): Promise<SendResult> {
	try {
		return await ednaSend(ctx, {
			method: 'POST',
			path,
			body,
			duplicateTitle: DUPLICATE_TITLE,
			checkAfterTooMany,
			itemIndex,
		});
	} catch (error) {
		// edna's only known wording of this answer is a detail (docs/edna-api.md §2.2: "Duplicate messageId").
		const edna = (error as { context?: { edna?: { status?: number; detail?: string } } }).context
			?.edna;
		if (
			error instanceof NodeApiError &&
			edna?.status === 400 &&
			/^Duplicate messageId/i.test(edna.detail ?? '')
		) {
			return { outcome: 'alreadySent', response: { ...edna }, attempts: 1 };
		}
		if (error instanceof NodeOperationError) throw new NodeOperationError(ctx.getNode(), error);
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
}

/** What one template send needs, once the parameters are read. */
export interface TemplateSend {
	channel: EdnaChannel;
	template: { mode: string; value: string };
	phone: string;
	/** The variables' values by field key (`body_1`…), or the Variables (JSON) text. */
	values: Record<string, unknown>;
	valuesJson?: unknown;
	mediaUrl?: string;
	mediaName?: string;
	/** The Comment and the send ID, read once the send is checked (the ID rule counts only sends). */
	identify: (templateId: number) => { comment: string | undefined; sendId: SendId };
	sendDelay?: string;
	/** A campaign's send: checked against edna's history first (campaign.ts). */
	campaign?: CampaignCheck;
}

interface CampaignCheck {
	id: string;
	/** How many earlier items of the batch went to this phone. */
	occurrence: number;
	resumeWithinHours: number;
}

/**
 * Whether edna's history shows this campaign message as sent: the recipient got more of the
 * campaign's messages than the batch's earlier items for them. Returns the output's `response` then.
 */
async function sentBefore(ctx: IExecuteFunctions, subjectId: number, phone: string, campaign: CampaignCheck): Promise<IDataObject | undefined> {
	const before = await campaignHistory(ctx, subjectId, campaign.id, campaign.resumeWithinHours);
	const count = before.counts.get(phone) ?? 0;
	return count > campaign.occurrence ? { checkedIn: 'history', campaignMessages: count } : undefined;
}

/** After a 429: whether the message went out all the same, by the history since the campaign's first read. */
async function sentDespiteTooMany(ctx: IExecuteFunctions, subjectId: number, phone: string, campaign: CampaignCheck): Promise<SendResult | undefined> {
	const before = await campaignHistory(ctx, subjectId, campaign.id, campaign.resumeWithinHours);
	const since = await campaignMessagesTo(ctx, subjectId, campaign.id, phone, before.readAt);
	const count = (before.counts.get(phone) ?? 0) + since;
	return count > campaign.occurrence ? { outcome: 'alreadySent', response: { checkedIn: 'history', campaignMessages: count }, attempts: 1 } : undefined;
}

/**
 * One template to one phone (`v1/out-messages/<channel>/template`), checked against the template
 * as edna holds it first; returns the node's output item. Message → Send Template, and Reply and
 * Send when WhatsApp's 24-hour window is closed (window.ts).
 */
export async function sendTemplateMessage(ctx: IExecuteFunctions, itemIndex: number, given: TemplateSend): Promise<IDataObject> {
	const { channel, phone } = given;
	const channelType = templateChannelType(channel.type);
	if (channelType === undefined) {
		throw new BuildError(
			`Channel "${channelName(channel)}" is ${String(channel.type ?? 'of no known type')}: edna sends templates on WhatsApp and Viber only`,
			'Pick a WhatsApp or Viber channel, or use Message → Send for SMS.',
		);
	}
	const template = pickTemplate(await channelTemplates(ctx, Number(channel.subjectId)), channel, given.template);
	assertSendable(template);

	const variables = templateVariables(template);
	const check = checkVariableValues(variables, valuesFromJson(given.valuesJson, variables) ?? given.values);
	if (!check.ok) {
		throw new BuildError(
			describeVariableProblem(check, String(template.name ?? template.id)),
			'edna refuses a template send whose variables are missing or empty. Fill in every variable field (the names show where each goes).',
		);
	}

	const url = (given.mediaUrl ?? '').trim();
	const problem = attachmentProblem(channelType, variables.mediaHeader, { url });
	if (problem !== undefined) {
		const binary = ctx.getInputData()[itemIndex]?.binary;
		const hasFile = url === '' && binary !== undefined && Object.keys(binary).length > 0;
		throw new BuildError(
			problem,
			hasFile
				? 'This item carries a file (binary data), but edna downloads media from a URL. Put the file somewhere public and enter its https:// URL.'
				: undefined,
		);
	}
	const attachment = url === '' ? undefined : { url, name: attachmentName(url, given.mediaName ?? '') };

	const templateId = Number(template.id);
	const { comment, sendId } = given.identify(templateId);
	const body = buildSendTemplateBody({
		channelType,
		messageId: sendId.id,
		sender: String(channel.subject ?? ''),
		phone,
		templateId,
		variables: check.values,
		attachment,
		comment,
		sendDelay: given.sendDelay,
	});
	const subjectId = Number(channel.subjectId);
	const campaign = given.campaign;
	const found = campaign === undefined ? undefined : await sentBefore(ctx, subjectId, phone, campaign);
	const result: SendResult =
		found !== undefined
			? { outcome: 'alreadySent', response: found, attempts: 0 }
			: await send(ctx, itemIndex, sendTemplatePath(channelType), body, campaign && (() => sentDespiteTooMany(ctx, subjectId, phone, campaign)));
	return {
		messageId: sendId.id,
		idSource: sendId.source,
		outcome: result.outcome,
		channelType,
		subject: channel.subject ?? null,
		subjectId: (channel.subjectId as number | undefined) ?? null,
		recipient: phone,
		templateId,
		templateName: (template.name as string | undefined) ?? null,
		response: result.response as IDataObject,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	batch: BatchState,
): Promise<IDataObject[]> {
	const phone = recipientOf(this, itemIndex, batch);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const sendDelay = sendDelayOf(options);
	const channel = await channelParameter(this, itemIndex);
	const mapped = this.getNodeParameter('variables', itemIndex, {}) as {
		value?: Record<string, unknown> | null;
	};
	return [
		await sendTemplateMessage(this, itemIndex, {
			channel,
			template: locatorOf(this.getNodeParameter('template', itemIndex)),
			phone,
			values: mapped.value ?? {},
			valuesJson: options.variablesJson,
			mediaUrl: String(this.getNodeParameter('mediaUrl', itemIndex, '') ?? ''),
			mediaName: String(this.getNodeParameter('mediaName', itemIndex, '') ?? ''),
			identify: (templateId) =>
				sendOptions(this, itemIndex, batch, options, { channel: String(channel.subject ?? channel.subjectId), what: `template ${templateId}`, recipient: phone }),
			sendDelay,
			campaign: campaignCheckOf(options, batch.counted?.recipient[itemIndex] ?? 0),
		}),
	];
}

function campaignCheckOf(options: IDataObject, occurrence: number): CampaignCheck | undefined {
	const id = campaignIdOf(options);
	if (id === undefined) return undefined;
	const hours = typeof options.resumeWithinHours === 'number' && options.resumeWithinHours > 0 ? options.resumeWithinHours : 24;
	return { id, occurrence, resumeWithinHours: hours };
}

export const sendTemplate: OperationModule = {
	option: {
		name: 'Send Template',
		value: 'sendTemplate',
		action: 'Send a template message',
		description: 'Send an approved WhatsApp or Viber template, with its variables filled in',
	},
	description,
	execute,
	paced: {
		recipient(itemIndex) {
			return phoneParameter(this, itemIndex);
		},
		async subjectId(itemIndex) {
			return (await channelParameter(this, itemIndex)).subjectId ?? null;
		},
		channelParameters: ['channel'],
	},
};
