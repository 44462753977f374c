import {
	NodeConnectionTypes,
	fromFunction,
	webhookDescriptionFields,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkPresentedKey, expectedKeyOf, type ExpectedKey } from './trigger/auth';
import { receiveBody } from './trigger/body';
import { parseFilters } from './trigger/events/filters';
import { ednaPulseApiTest } from './methods/credentialTest';
import { searchChannels } from './methods/listSearch';
import { EVENT_KINDS, isEventKind } from './trigger/events/registry';
import type { EdnaEventType } from './trigger/events/types';
import { select, shape, type Decision, type Selection, type Shaping } from './trigger/pipeline';
import { properties } from './trigger/description';
import { registerInEdna, registrationOf, type Registration } from './trigger/registration';
import { webhookKeys, type KeyCheck } from './trigger/webhookKeys';

const CREDENTIAL = 'ednaPulseApi';

/** Writes a deliberate answer and tells n8n not to send its own (and start no execution). */
function answer(context: IWebhookFunctions, status: number, message?: string): IWebhookResponseData {
	const res = context.getResponseObject();
	if (message === undefined) res.status(status).end();
	else res.status(status).json({ message });
	return { noWebhookResponse: true };
}

function readSelection(context: IWebhookFunctions): Selection {
	const event = context.getNodeParameter('event') as string;
	const keep =
		event === 'anyEvent' ? (context.getNodeParameter('anyEventTypes', []) as EdnaEventType[]) : [];
	return {
		event: isEventKind(event) ? event : 'anyEvent',
		keepTypes: keep.length > 0 ? new Set(keep) : undefined,
		filters: parseFilters(context.getNodeParameter('filters', {}) as IDataObject),
	};
}

/**
 * What this publish should register in edna, if anything. Never for "Listen for test event" (mode
 * `manual`): n8n runs the same hooks then, but the URL is the test one, which edna must not get.
 */
function wantedRegistration(context: IHookFunctions): Registration | undefined {
	if (context.getMode() === 'manual' || context.getActivationMode() === 'manual') return undefined;
	return registrationOf({
		event: context.getNodeParameter('event', ''),
		authentication: context.getNodeParameter('authentication', 'webhookKey'),
		options: context.getNodeParameter('options', {}) as IDataObject,
	});
}

/**
 * When the POST webhook answers edna, from Options → Acknowledge edna (trigger/description.ts, 1.2 on). With
 * "after the workflow" n8n holds the answer until the execution has finished: `lastNode` with no body
 * answers 200 on success and 500 "Error in workflow" on failure, also when a queue-mode worker died
 * (n8n 2.41 webhooks/webhook-helpers.js, executeWebhook). Nodes of versions 1 and 1.1 cannot hold the
 * option, so they keep `onReceived` and its {"message":"Workflow was started"} (responseData '').
 * Each function must be self-contained: n8n inlines its source into an expression template.
 */
const ACK_RESPONSE_MODE = (p: { options?: { acknowledge?: string } }) =>
	p.options !== undefined && p.options.acknowledge === 'afterWorkflow' ? 'lastNode' : 'onReceived';
const ACK_RESPONSE_DATA = (p: { options?: { acknowledge?: string } }) =>
	p.options !== undefined && p.options.acknowledge === 'afterWorkflow' ? 'noData' : '';

/**
 * n8n reads these two fields per request. With webhookDescriptionFields (n8n-workflow 2.41) it runs
 * the functions on the parameters directly, without its expression engine, unless a parameter holds
 * an expression; an n8n without it evaluates the same templates as expressions.
 */
function acknowledgeFields(): { responseMode: string; responseData: string } {
	if (typeof webhookDescriptionFields !== 'function' || typeof fromFunction !== 'function') {
		const template = (fn: unknown) => `={{(${String(fn)})($parameter)}}`;
		return { responseMode: template(ACK_RESPONSE_MODE), responseData: template(ACK_RESPONSE_DATA) };
	}
	return webhookDescriptionFields({
		responseMode: fromFunction(ACK_RESPONSE_MODE),
		responseData: fromFunction(ACK_RESPONSE_DATA),
	});
}

function readShaping(context: IWebhookFunctions): Shaping {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		output: context.getNodeParameter('output', 'simplified') === 'raw' ? 'raw' : 'simplified',
		strict: options.strictValidation === true,
	};
}

/**
 * The request's key checked against the credential's, read from n8n at most once per
 * trigger/webhookKeys.ts's bounds. Held per workflow and credential ID: what n8n would answer for one
 * workflow's node is never reused for another's. A node whose credential has no ID (workflows from
 * before n8n kept IDs) reads it on every request, as before.
 */
async function checkKey(context: IWebhookFunctions): Promise<KeyCheck> {
	const headers = context.getHeaderData();
	const compare = (key: ExpectedKey) => checkPresentedKey(headers, key);
	const read = async () => {
		const credential = await context.getCredentials<{ webhookKey?: string }>(CREDENTIAL);
		return expectedKeyOf(credential.webhookKey ?? '');
	};
	const credentialId = context.getNode().credentials?.[CREDENTIAL]?.id;
	if (typeof credentialId !== 'string' || credentialId === '') {
		const key = await read();
		return { auth: compare(key), key };
	}
	return await webhookKeys.check(`${context.getWorkflow().id ?? ''}\u0000${credentialId}`, read, compare);
}

export class EdnaPulseTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'edna Pulse Trigger',
		name: 'ednaPulseTrigger',
		icon: { light: 'file:../../icons/ednaPulse.svg', dark: 'file:../../icons/ednaPulse.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n evaluates a legacy expression (`options.binaryData`) in its expression
		// isolate for every request to a start node of version 1, whatever the node; from 1.1 on it
		// does not, so a request can be served without an isolate (BENCHMARKS.md). 1.2 adds Options →
		// Acknowledge edna (default: as 1.1). New nodes get 1.2.
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: `={{${JSON.stringify(
			Object.fromEntries([
				...EVENT_KINDS.map((d) => [d.kind, d.displayName]),
				['anyEvent', 'Any Event'],
			]),
		)}[$parameter["event"]]}}`,
		description:
			'Starts the workflow when edna Pulse sends a webhook: message statuses, incoming messages, template and category changes, link-button clicks',
		defaults: { name: 'edna Pulse Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'ednaPulseApi',
				required: true,
				testedBy: 'ednaPulseApiTest',
				displayOptions: { show: { authentication: ['webhookKey'] } },
			},
		],
		webhooks: [
			// edna verifies a URL with HEAD (some of its consoles with GET) and needs 200; declared first
			// so it is registered before the POST route (http://docs-pulse.edna.io/docs/integrations/api/webhook-settings).
			{ name: 'setup', httpMethod: 'HEAD,GET', responseMode: 'onReceived', path: 'webhook', ndvHideUrl: true },
			// An empty responseData makes n8n answer {"message":"Workflow was started"}; left out, n8n
			// would answer with the text "firstEntryJson". Both fields follow Options → Acknowledge edna.
			{ name: 'default', httpMethod: 'POST', ...acknowledgeFields(), path: 'webhook' },
		],
		eventTriggerDescription: 'Waiting for edna Pulse to send an event',
		activationMessage:
			'Your workflow now receives edna Pulse events at its Production URL. Paste that URL into edna Pulse if you have not yet.',
		properties,
	};

	methods = {
		// Shared with the edna Pulse node: checks the webhook key locally and, when set, the API key.
		credentialTest: { ednaPulseApiTest },
		// The channel picker of Options → Channel to Register For.
		listSearch: { searchChannels },
	};

	// By default the user pastes the URL into edna, and these hooks have nothing to do. With Options →
	// Register This URL in Edna Pulse, publishing sets it through callback/set (docs/edna-api.md §5.1).
	webhookMethods = {
		default: {
			// edna has no way to read its URLs back (docs/edna-api.md §5.1), so whether this URL is already
			// set is unknown: with the option on, `create` runs on every activation (publish, start-up).
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return wantedRegistration(this) === undefined;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const registration = wantedRegistration(this);
				if (registration !== undefined) await registerInEdna(this, registration);
				return true;
			},
			// Unpublishing leaves edna's setting as it is: edna cannot read the URL it had before back
			// (nothing to restore) nor clear a field (callback/set takes only URLs; docs/edna-api.md §5.1).
			// edna's deliveries to this URL get 404 from n8n until the workflow is published again.
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// 1. edna's URL check: 200, empty, no key needed, no execution.
		if (this.getWebhookName() === 'setup') return answer(this, 200);

		// 2. The key, before the body is looked at.
		if (this.getNodeParameter('authentication', 'webhookKey') !== 'none') {
			let checked: KeyCheck;
			try {
				checked = await checkKey(this);
			} catch {
				this.logger.error('edna Pulse Trigger: the Edna Pulse API credential is missing or unreadable');
				return answer(this, 500, 'The trigger has no usable credential; the n8n log says more.');
			}
			const auth = checked.auth;
			if (auth !== 'ok') {
				// The key is optional in the credential (the edna Pulse node needs only the API key), and an
				// empty key accepts nothing. The caller gets the answer of any refused request, so the URL
				// tells nobody how the credential is set up; the reason goes to n8n's log for the user.
				if (!checked.key.configured) {
					this.logger.error('edna Pulse Trigger: request rejected: the Edna Pulse API credential has no webhook key');
				} else {
					this.logger.warn(`edna Pulse Trigger: request rejected (${auth === 'missing' ? 'no' : 'wrong'} webhook key)`);
				}
				return auth === 'missing'
					? answer(this, 401, 'Missing webhook key: send it as "Authorization: Token <key>".')
					: answer(this, 403, 'Wrong webhook key.');
			}
		}

		// 3. The body: a JSON object or an array of objects.
		const body = await receiveBody(this.getRequestObject());
		if (body.error !== undefined) return answer(this, body.status, body.error);

		// 4. Recognise and filter: all an event the user does not want costs.
		const selected = select(body.events, readSelection(this));
		// 5. Validate and shape what is kept; the output parameters are read only then.
		const decision: Decision =
			selected.kept.length > 0
				? shape(selected, readShaping(this))
				: { outcome: 'skip', skipped: selected.skipped };
		if (decision.outcome === 'reject') return answer(this, 400, decision.message);
		for (const skipped of decision.skipped) {
			this.logger.debug(`edna Pulse Trigger: event ${skipped.index} (${skipped.type}) not emitted: ${skipped.reason}`);
		}
		if (decision.outcome === 'skip') {
			return { webhookResponse: { message: 'Received; no event matched this trigger, so no execution was started.' } };
		}

		// 6. Emit: one item per event.
		return { workflowData: [this.helpers.returnJsonArray(decision.items)] };
	}
}
