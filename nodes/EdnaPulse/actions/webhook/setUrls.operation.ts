import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { ednaRequest } from '../../transport';
import { headStatus } from '../../transport/probe';
import { channelLocator } from '../../shared/descriptions';
import { channelParameter, optionsCollection } from '../fields';
import { BuildError } from '../errors';
import type { OperationModule } from '../types';
import {
	buildCallbackSetBody,
	CALLBACK_SET_PATH,
	callbackSetOutcome,
	headCheckProblem,
	type CallbackUrls,
} from '../../transport/callbackSet';

/**
 * Webhook → Set URLs: `POST callback/set` (docs/edna-api.md §5.1). Each URL is first asked what edna will
 * ask it (HEAD, must answer 200), so a refusal names the URL and its answer instead of edna's bare
 * `error-callback-url-not-available`.
 */

export const description: INodeProperties[] = [
	{
		displayName:
			'edna keeps one URL per kind of event (per channel, or for all channels). Setting one here replaces the URL edna had, and edna offers no way to read the old one back: note it first (edna Pulse: Integration → Settings). Template category changes and link-button clicks cannot be set by API: set them in edna Pulse.',
		name: 'replaceNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Channels',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		default: 'all',
		options: [
			{
				name: 'All Channels',
				value: 'all',
				description: 'The URLs edna uses for every channel of the account',
			},
			{ name: 'One Channel', value: 'channel', description: 'URLs for one channel only' },
		],
	},
	{ ...channelLocator, displayOptions: { show: { scope: ['channel'] } } },
	{
		displayName: 'Message Statuses URL',
		name: 'statusCallbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…/webhook',
		description:
			'Where edna sends delivery statuses (sent, delivered, read…). Empty: left as it is. Use the Production URL of an edna Pulse Trigger set to Message Status Changed.',
	},
	{
		displayName: 'Incoming Messages URL',
		name: 'inMessageCallbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…/webhook',
		description: "Where edna sends customers' messages. Empty: left as it is.",
	},
	{
		displayName: 'Template Events URL',
		name: 'messageMatcherCallbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…/webhook',
		description:
			'Where edna sends template registration events (approved, rejected…). Empty: left as it is.',
	},
	optionsCollection([
		{
			displayName: 'Check URLs First',
			name: 'headCheck',
			type: 'boolean',
			default: true,
			description:
				'Whether to send each URL a HEAD request before calling edna, which refuses a URL that does not answer HEAD with 200. Turn off only when n8n cannot reach its own public URL but edna can.',
		},
	]),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const urls: CallbackUrls = {};
	for (const field of [
		'statusCallbackUrl',
		'inMessageCallbackUrl',
		'messageMatcherCallbackUrl',
	] as const) {
		urls[field] = String(this.getNodeParameter(field, itemIndex, '') ?? '');
	}
	const oneChannel = this.getNodeParameter('scope', itemIndex, 'all') === 'channel';
	const channel = oneChannel ? await channelParameter(this, itemIndex) : undefined;
	const built = buildCallbackSetBody(
		urls,
		channel === undefined ? undefined : Number(channel.subjectId),
	);
	if (!built.ok)
		throw new BuildError(
			built.message,
			'Fill the URLs to set; edna takes at most 500 characters each.',
		);

	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const checks: IDataObject[] = [];
	if (options.headCheck !== false) {
		for (const { field, url } of built.urls) {
			const result = await headStatus(this, url);
			const problem = headCheckProblem(field, url, result);
			if (problem !== undefined) {
				throw new BuildError(
					problem,
					'An n8n Production URL answers HEAD only while its workflow is published; a test URL never answers edna. Publish the workflow with the edna Pulse Trigger, then copy its Production URL.',
				);
			}
			checks.push({ field, url, status: 'status' in result ? result.status : null });
		}
	}

	// The transport turns every `{code}` other than ok into a NodeApiError with edna's hint.
	const answer = await ednaRequest<unknown>(this, {
		method: 'POST',
		path: CALLBACK_SET_PATH,
		body: built.body,
		kind: 'read',
		itemIndex,
	});
	const outcome = callbackSetOutcome(answer);
	if (!outcome.ok) {
		throw new NodeApiError(this.getNode(), { code: outcome.code } as JsonObject, {
			message: `edna Pulse: ${outcome.message}`,
			description: outcome.hint,
			itemIndex,
		});
	}
	return [
		{
			code: 'ok',
			scope: channel === undefined ? 'all' : 'channel',
			subjectId: channel === undefined ? null : ((channel.subjectId as number | undefined) ?? null),
			subject: channel?.subject ?? null,
			...Object.fromEntries(built.urls.map(({ field, url }) => [field, url])),
			headChecks: checks,
		},
	];
}

export const setUrls: OperationModule = {
	option: {
		name: 'Set URLs',
		value: 'setUrls',
		action: 'Set webhook URLs',
		description: 'Tell edna where to send statuses, incoming messages and template events',
	},
	description,
	execute,
};
