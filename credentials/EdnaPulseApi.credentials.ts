import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The secrets n8n keeps for edna Pulse. Today only the webhook key that edna sends with each webhook;
 * fields for the outbound API key and region can be added later with defaults, so credentials saved
 * now keep working.
 */
export class EdnaPulseApi implements ICredentialType {
	name = 'ednaPulseApi';

	displayName = 'Edna Pulse API';

	icon: Icon = { light: 'file:../icons/ednaPulse.svg', dark: 'file:../icons/ednaPulse.dark.svg' };

	documentationUrl = 'https://github.com/edna-pulse-n8n/n8n-nodes-edna-pulse#connect-edna';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Key',
			name: 'webhookKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The key edna Pulse sends with every webhook. In edna Pulse: Integration → Settings → Main profile → Webhook request authentication → tick "Authenticate webhooks from edna Pulse" → New webhook key. edna shows it only once.',
		},
		{
			displayName:
				'This is the webhook key, not the API key you use to call edna Pulse. The key is checked locally: edna offers no endpoint to test it against.',
			name: 'webhookKeyNotice',
			type: 'notice',
			default: '',
		},
	];
}
