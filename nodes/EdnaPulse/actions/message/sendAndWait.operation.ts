import {
	NodeOperationError,
	SEND_AND_WAIT_OPERATION,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { optionsCollection } from '../fields';
import type { BatchState, RunOperation } from '../types';
import { approvalText, choicesOf, DECISION_PARAMETER, waitTill, type Link, type ResponseType } from './approval';
import { normalisePhone } from './bodies';
import { scheduleCascade, sendOptions } from './deliver';
import { commentOption, recipientPhoneField, sendIdOption } from './fields';
import { routeParameter, description as sendDescription } from './send.operation';

/**
 * Message → Send and Wait for Response: a message with links to n8n's signed resume URL of this
 * execution goes to the approver through a cascade, and the execution waits until a link is used
 * (sendAndWait.webhook.ts answers it) or the time limit passes. The operation value, the parameter
 * names and the output follow n8n's own Send and Wait nodes, so n8n offers the node as an AI agent's
 * human review step, and workflows read `$json.data.approved` as they do there.
 */

/** The Cascade, Channel and Cascade pickers of Message → Send, unchanged. */
const routeFields = sendDescription.filter((p) => ['cascadeChoice', 'channel', 'cascade'].includes(p.name));

export const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description:
		'Whether to stop waiting for an answer at some point. After the limit the execution goes on with the input items unchanged (no "data"), and the links no longer record anything.',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Wait for a certain amount of time' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Wait until a date and time' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					description: 'How long to wait',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					default: 'hours',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					description: 'When to stop waiting (ISO 8601)',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

export const description: INodeProperties[] = [
	{ ...recipientPhoneField, displayName: "Approver's Phone", description: 'Who answers. ' + recipientPhoneField.description },
	...routeFields,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'What the approver reads. The links follow it, one per line.',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{ name: 'Approval', value: 'approval', description: 'Approve and Decline links in the message' },
			{ name: 'Free Text', value: 'freeText', description: 'A link to a short form with a text box' },
		],
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'double',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Decline', value: 'double' },
						],
					},
					{ displayName: 'Approve Label', name: 'approveLabel', type: 'string', default: 'Approve' },
					{
						displayName: 'Decline Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
	},
	{
		...optionsCollection([limitWaitTimeOption, commentOption, sendIdOption]),
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		...optionsCollection([
			{ displayName: 'Link Label', name: 'messageButtonLabel', type: 'string', default: 'Respond', description: 'The word before the link in the message' },
			{ displayName: 'Form Title', name: 'responseFormTitle', type: 'string', default: '', description: 'The heading of the form. Empty: "Your answer".' },
			{ displayName: 'Form Description', name: 'responseFormDescription', type: 'string', default: '', description: 'The text above the text box. Empty: the message.' },
			{ displayName: 'Form Button Label', name: 'responseFormButtonLabel', type: 'string', default: 'Send' },
			limitWaitTimeOption,
			commentOption,
			sendIdOption,
		]),
		displayOptions: { show: { responseType: ['freeText'] } },
	},
];

/**
 * n8n 1.x checks a resume URL's signature only for an execution that asked for it
 * (`setSignatureValidationRequired`, gone in 2.x, which checks every Send and Wait link): without it,
 * an edited link — Decline turned into Approve — would be taken.
 */
function requireSignedLinks(ctx: IExecuteFunctions): void {
	(ctx as IExecuteFunctions & { setSignatureValidationRequired?: () => void }).setSignatureValidationRequired?.();
}

/** The links of the message: each n8n's resume URL of this execution and node, signed by n8n. */
function linksFor(ctx: IExecuteFunctions, responseType: ResponseType, options: IDataObject): Link[] {
	requireSignedLinks(ctx);
	const signed = (approved: 'true' | 'false') => ctx.getSignedResumeUrl({ [DECISION_PARAMETER]: approved });
	if (responseType === 'freeText') {
		const label = typeof options.messageButtonLabel === 'string' && options.messageButtonLabel.trim() !== '' ? options.messageButtonLabel.trim() : 'Respond';
		return [{ label, url: signed('true') }];
	}
	const choices = choicesOf((ctx.getNodeParameter('approvalOptions', 0, {}) as IDataObject).values);
	const links = [{ label: choices.approveLabel, url: signed('true') }];
	if (choices.approvalType === 'double') links.push({ label: choices.declineLabel, url: signed('false') });
	return links;
}

export async function run(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const phone = normalisePhone(this.getNodeParameter('phone', 0));
	const responseType = this.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const until = waitTill(options.limitWaitTime);
	const text = approvalText(this.getNodeParameter('message', 0, ''), linksFor(this, responseType, options));

	const route = await routeParameter(this, 0);
	const batch: BatchState = { eventKeysSeen: new Map() };
	const { comment, sendId } = sendOptions(this, 0, batch, options);
	const { item, attempts } = await scheduleCascade(this, 0, { phone, ...route, content: { type: 'text', text }, comment, sendId });
	// The ID is derived from this execution: edna refusing it means this execution's own earlier try
	// got through, and its links are these. Derived from an edna event or given, it may have been
	// sent by another execution, whose links answer that one: this execution has nothing to wait for.
	if (item.outcome === 'alreadySent' && attempts === 1 && sendId.source !== 'execution') {
		throw new NodeOperationError(this.getNode(), `This approval request went out before (Send ID ${sendId.id})`, {
			description:
				sendId.source === 'eventKey'
					? 'edna already received the request for this edna event, from an earlier execution (the event was delivered again, or the execution re-run). Its links answer that execution; this one does not wait and the approver is not asked twice. To ask again, set Options → Send ID to a new value.'
					: 'edna already received a message with this Send ID. Its links answer the execution that sent it; this one does not wait and the approver is not asked twice. To ask again, set Options → Send ID to a new value.',
			itemIndex: 0,
		});
	}
	await this.putExecutionToWait(until);
	return [this.getInputData()];
}

export const sendAndWait: RunOperation = {
	option: {
		name: 'Send and Wait for Response',
		value: SEND_AND_WAIT_OPERATION,
		action: 'Send message and wait for response',
		description: 'Send a message with Approve and Decline links (or a link to a form) and wait until one is used',
	},
	description,
	run,
};
