import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * The secrets n8n keeps for edna Pulse: the API key the edna Pulse node calls edna with, the region
 * (base URL) it calls, and the webhook key edna sends with each webhook to the edna Pulse Trigger.
 * Every field has a default, so credentials saved with only a webhook key keep working.
 */
export class EdnaPulseApi implements ICredentialType {
	name = 'ednaPulseApi';

	displayName = 'Edna Pulse API';

	icon: Icon = { light: 'file:../icons/ednaPulse.svg', dark: 'file:../icons/ednaPulse.dark.svg' };

	documentationUrl = 'https://github.com/edna-pulse-n8n/n8n-nodes-edna-pulse#connect-edna';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For the edna Pulse node (sending, channels, cascades, templates). In edna Pulse: Integration → Settings → Main profile (master API key) or the API Key tab (additional keys, limited to chosen channels and method groups). Not needed for the trigger.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.edna.io/api',
			placeholder: 'https://app.edna.io/api',
			description:
				"edna Pulse's API for your account's region: https://app.edna.io/api, https://app.edna.ru/api or https://app.edna.by/api. Any other URL, such as a local edna sandbox, is allowed.",
		},
		{
			displayName: 'Webhook Key',
			name: 'webhookKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For the edna Pulse Trigger: the key edna Pulse sends with every webhook. In edna Pulse: Integration → Settings → Main profile → Webhook request authentication → tick "Authenticate webhooks from edna Pulse" → New webhook key. edna shows it only once. Without it the trigger refuses every request.',
		},
		{
			displayName:
				'The webhook key and the API key are different secrets. The webhook key is checked locally: edna offers no endpoint to test it against. The API key is tested by asking edna for your channels.',
			name: 'webhookKeyNotice',
			type: 'notice',
			default: '',
		},
	];

	/**
	 * edna's only auth scheme: the X-API-KEY header (docs/edna-api.md §1.1). A function rather than
	 * the `={{$credentials.apiKey}}` expression, which n8n would evaluate again for every request (about
	 * a millisecond of its main thread each: a fifth of a campaign's sends per second in bench:n8n).
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
		return { ...requestOptions, headers: { ...(requestOptions.headers ?? {}), 'X-API-KEY': apiKey } };
	}
}
