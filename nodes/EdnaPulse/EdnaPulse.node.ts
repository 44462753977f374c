import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { RESOURCES } from './actions/resources';
import { router } from './actions/router';
import { sendAndWaitWebhook } from './actions/message/sendAndWait.webhook';
import { ednaPulseApiTest } from './methods/credentialTest';
import { listSearch } from './methods/listSearch';
import { resourceMapping } from './methods/resourceMapping';

export class EdnaPulse implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'edna Pulse',
		name: 'ednaPulse',
		icon: { light: 'file:../../icons/ednaPulse.svg', dark: 'file:../../icons/ednaPulse.dark.svg' },
		group: ['output'],
		// 1.1: every send carries a comment (the Comment option, else "n8n"), so that edna's history
		// tells the node's messages from a person's (hand-over, conversation.ts).
		// 1.2: Send and Send Template space a batch's messages to one recipient 6 s apart by default
		// (Same-Recipient Spacing; WhatsApp takes one message per 6 s to one person).
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send WhatsApp, Viber and SMS messages with edna Pulse, reply to incoming messages, look up channels and cascades',
		defaults: { name: 'edna Pulse' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ednaPulseApi', required: true, testedBy: 'ednaPulseApiTest' }],
		// Message → Send and Wait for Response: the links of a waiting execution (n8n's resume URL,
		// `/webhook-waiting/<execution>/<node id>`) reach webhook() below.
		webhooks: (['GET', 'POST'] as const).map((httpMethod) => ({
			name: 'default' as const,
			httpMethod,
			responseMode: 'onReceived',
			responseData: '',
			path: '={{ $nodeId }}',
			restartWebhook: true,
			isFullPath: true,
		})),
		waitingNodeTooltip: '={{ $parameter.operation === "sendAndWait" ? "Waiting for the approver to use a link in the message" : "" }}',
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: RESOURCES.map((r) => r.option).sort((a, b) => a.name.localeCompare(b.name)),
				default: 'message',
			},
			...RESOURCES.flatMap((r) => r.description),
		],
	};

	methods = {
		listSearch,
		resourceMapping,
		credentialTest: { ednaPulseApiTest },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
