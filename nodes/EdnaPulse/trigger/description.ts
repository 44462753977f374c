import type { INodeProperties } from 'n8n-workflow';

import {
	CHANNEL_TYPES,
	CONTENT_TYPES,
	MESSAGE_STATUSES,
	TEMPLATE_CATEGORIES,
	TEMPLATE_STATUSES,
	type FilterName,
} from './events/filters';
import { channelLocator } from '../shared/descriptions';
import { EVENT_KINDS } from './events/registry';

/**
 * The node's parameters. Names and option values are stored in users' saved workflows:
 * add new ones freely, never rename or remove one (gate behaviour changes on the node version).
 */

const ANY_EVENT = 'anyEvent';

/** Events whose URL edna's `callback/set` takes (docs/edna-api.md §5.1), so the trigger can register it itself. */
const REGISTERABLE = EVENT_KINDS.filter((d) => d.callbackField !== undefined).map((d) => d.kind);

const eventOption: INodeProperties = {
	displayName: 'Event',
	name: 'event',
	type: 'options',
	required: true,
	noDataExpression: true,
	default: 'messageStatus',
	// Written out (not mapped from the registry) so n8n's lint can check the default; a unit test
	// keeps these labels equal to each event module's displayName. The node panel lists each option
	// as a trigger named "On <name in lower case>", which splits "WhatsApp" into "whats app":
	// `action` gives those two their name there.
	options: [
		{
			name: 'Message Status Changed',
			value: 'messageStatus',
			description: 'A sent message changed status: sent, delivered, read, undelivered, failed…',
		},
		{
			name: 'Message Received',
			value: 'incomingMessage',
			description: 'A customer wrote to one of your channels (text, media, button, list, Flow reply…)',
		},
		{
			name: 'Template Status Changed',
			value: 'templateStatus',
			description: 'A message template was approved, rejected, paused… (WhatsApp, Viber)',
		},
		{
			name: 'WhatsApp Template Category Changed',
			action: 'On WhatsApp template category changed',
			value: 'templateCategory',
			description: 'WhatsApp moved a template to another category (marketing, utility, authorization)',
		},
		{
			name: 'WhatsApp Link Button Clicked',
			action: 'On WhatsApp link button clicked',
			value: 'linkClick',
			description: 'A customer clicked a tracked link button in a WhatsApp template message',
		},
		{
			name: 'Any Event',
			value: ANY_EVENT,
			description: 'One URL that receives every kind of edna event; each item says which it is',
		},
	],
};

const keepTypes: INodeProperties = {
	displayName: 'Event Types to Keep',
	name: 'anyEventTypes',
	type: 'multiOptions',
	default: [],
	description: 'Leave empty to keep every event, including ones the node does not recognise',
	displayOptions: { show: { event: [ANY_EVENT] } },
	options: [
		...EVENT_KINDS.map((d) => ({ name: d.displayName, value: d.kind })),
		{ name: 'Unrecognised Event', value: 'unknown' },
	],
};

const ENABLE_KEY =
	'In the same place, tick “Authenticate webhooks from edna Pulse”, click “New webhook key” and put that key in this node\'s credential. Use the “Production URL”: edna checks the URL with a HEAD request when you add it, so publish the workflow first.';

const REGISTER_HINT =
	'Or turn on Options → Register This URL in Edna Pulse, which sets it when you publish (needs the API key in the credential).';
const NO_API_FIELD = "edna's API has no field for this URL, so only edna Pulse's settings can set it.";

const urlNotices: INodeProperties[] = [
	...EVENT_KINDS.map(
		(d): INodeProperties => ({
			displayName: `In edna Pulse, paste this node's URL into “${d.ednaSetting}”. ${d.callbackField === undefined ? NO_API_FIELD : REGISTER_HINT} ${ENABLE_KEY}`,
			name: `${d.kind}Notice`,
			type: 'notice',
			default: '',
			displayOptions: { show: { event: [d.kind] } },
		}),
	),
	{
		displayName: `In edna Pulse, paste this node's URL into any of the webhook URL fields under “Integration → Settings → Main profile → Webhook URL setup” (statuses, incoming messages, template status updates, template category changes, link-button clicks). The node registers its URL itself only for one kind of event: choose that event to see the option. ${ENABLE_KEY}`,
		name: 'anyEventNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: [ANY_EVENT] } },
	},
];

const authentication: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		default: 'webhookKey',
		options: [
			{
				name: 'Webhook Key',
				value: 'webhookKey',
				description: 'Accept only requests that carry the webhook key from edna Pulse',
			},
			{ name: 'None', value: 'none', description: 'Accept every request sent to this URL' },
		],
	},
	{
		displayName:
			'Anyone who knows this URL can start the workflow. Turn on "Authenticate webhooks from edna Pulse" in edna and choose Webhook Key here.',
		name: 'noAuthWarning',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'] } },
	},
];

const output: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	noDataExpression: true,
	default: 'simplified',
	options: [
		{
			name: 'Simplified',
			value: 'simplified',
			description:
				"The event's own fields plus eventType, eventKey and flat fields such as text, senderId or templateName",
		},
		{ name: 'Raw', value: 'raw', description: 'Each event exactly as edna sent it' },
	],
};

/** Filter definitions; the registry decides for which events each one is shown. */
const FILTERS: Record<FilterName, Omit<INodeProperties, 'name'>> = {
	statuses: {
		displayName: 'Message Statuses',
		type: 'multiOptions',
		default: [],
		options: MESSAGE_STATUSES,
		description: 'Keep only status changes to these statuses (case-insensitive)',
	},
	otherStatuses: {
		displayName: 'Other Message Statuses',
		type: 'string',
		default: '',
		placeholder: 'e.g. no-match-template, PARTIALLY_DELIVERED',
		description: 'Comma-separated statuses not in the list above; kept as well',
	},
	contentTypes: {
		displayName: 'Content Types',
		type: 'multiOptions',
		default: [],
		options: CONTENT_TYPES,
		description: 'Keep only incoming messages of these types (messageContent.type)',
	},
	otherContentTypes: {
		displayName: 'Other Content Types',
		type: 'string',
		default: '',
		placeholder: 'e.g. STICKER, REACTION',
		description: 'Comma-separated content types not in the list above; kept as well',
	},
	templateStatuses: {
		displayName: 'Template Statuses',
		type: 'multiOptions',
		default: [],
		options: TEMPLATE_STATUSES,
		description: 'Keep only templates that moved to these statuses',
	},
	otherTemplateStatuses: {
		displayName: 'Other Template Statuses',
		type: 'string',
		default: '',
		description: 'Comma-separated template statuses not in the list above; kept as well',
	},
	templateCategories: {
		displayName: 'Template Categories',
		type: 'multiOptions',
		default: [],
		options: TEMPLATE_CATEGORIES,
		description: 'Keep only templates in (or moved to) these categories',
	},
	otherTemplateCategories: {
		displayName: 'Other Template Categories',
		type: 'string',
		default: '',
		description: 'Comma-separated categories not in the list above; kept as well',
	},
	channelTypes: {
		displayName: 'Channel Types',
		type: 'multiOptions',
		default: [],
		options: CHANNEL_TYPES,
		description: 'Keep only events for these channel types (events that name one)',
	},
	subjects: {
		displayName: 'Channel Names',
		type: 'string',
		default: '',
		placeholder: 'e.g. shop_WA, shop_viber',
		description:
			'Comma-separated channel (sender) names, exactly as in edna: the "subject" field, or "sender" for link clicks',
	},
	subjectIds: {
		displayName: 'Channel IDs',
		type: 'string',
		default: '',
		placeholder: 'e.g. 345, 346',
		description: 'Comma-separated channel IDs: the "subjectId" field',
	},
};

function filterProperties(): INodeProperties[] {
	return (Object.keys(FILTERS) as FilterName[]).map((name) => ({
		...FILTERS[name],
		name,
		displayOptions: {
			show: {
				'/event': [
					...EVENT_KINDS.filter((d) => d.filters.includes(name)).map((d) => d.kind),
					ANY_EVENT,
				],
			},
		},
	}));
}

const filters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	description:
		'Events removed by a filter are answered with 200 and start no execution. Filters of one kind never remove events of another.',
	options: filterProperties(),
};

const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Strict Validation',
			name: 'strictValidation',
			type: 'boolean',
			default: false,
			description:
				'Whether to answer 400 (naming the field) when an event misses a documented field or has one of the wrong type. Off: the event is emitted with its validationIssues listed.',
		},
		{
			// From 1.2 on: nodes of versions 1 and 1.1 never hold it, so they answer as they always did
			// (EdnaPulseTrigger.node.ts, acknowledgeFields).
			displayName: 'Acknowledge Edna Pulse',
			name: 'acknowledge',
			type: 'options',
			noDataExpression: true,
			default: 'whenReceived',
			options: [
				{
					name: 'When Received',
					value: 'whenReceived',
					description:
						'Answer edna at once. An event whose run n8n then loses (a crash, a restart, a dead queue-mode worker) is not sent again.',
				},
				{
					name: 'After the Workflow Has Finished',
					value: 'afterWorkflow',
					description:
						'Answer only once the run has succeeded. A failed or lost run gets edna an error, and edna sends the event again (after 4, 128 and 2048 s).',
				},
			],
			description:
				"When edna Pulse gets its 200. After the workflow: edna waits for the run, so keep it short (hand slow work to a sub-workflow that is not waited for); an event sent again can reach the workflow twice (dedupe on eventKey; the edna Pulse node's sends are never doubled); a run that always fails is repeated at every re-delivery. edna does not document how long it waits.",
			displayOptions: { show: { '@version': [{ _cnd: { gte: 1.2 } }] } },
		},
		{
			displayName: 'Register This URL in Edna Pulse',
			name: 'registerUrl',
			type: 'boolean',
			default: false,
			description:
				"Whether to set this trigger's Production URL in edna when the workflow is published, replacing the URL edna had for this event. Needs the API key in the credential. Unpublishing leaves edna's setting as it is.",
			displayOptions: { show: { '/event': REGISTERABLE, '/authentication': ['webhookKey'] } },
		},
		{
			displayName: 'Channel to Register For',
			name: 'registerChannel',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			description:
				'The one channel (sender) whose URL is set. Not added: the URL is set for all channels of the account.',
			modes: (channelLocator.modes ?? []).filter((m) => m.name !== 'name'),
			displayOptions: {
				show: { registerUrl: [true], '/event': REGISTERABLE, '/authentication': ['webhookKey'] },
			},
		},
	],
};

export const properties: INodeProperties[] = [
	eventOption,
	keepTypes,
	...urlNotices,
	...authentication,
	output,
	filters,
	options,
];
