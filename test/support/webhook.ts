/**
 * Drives the node through its real `webhook()` entry point inside n8n-core's real WebhookContext:
 * parameters get n8n's defaults and go through n8n's parameter resolution, credentials through
 * the context's credential checks. Only the HTTP request/response and the credential store are
 * stand-ins, as n8n's own server would provide them.
 */
import { WebhookContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WebhookType,
} from 'n8n-workflow';

import { EdnaPulseTrigger } from '../../nodes/EdnaPulse/EdnaPulseTrigger.node';
import { captureN8nLogger } from './io';

export const TEST_KEY = 'example-webhook-key-0001';

/** Everything written to n8n's logger during the tests, to check the key never appears. */
export const logLines: string[] = [];
captureN8nLogger((level, message, meta) => {
	logLines.push(`${level} ${message} ${meta === undefined ? '' : JSON.stringify(meta)}`);
});

export interface FakeResponse {
	statusCode?: number;
	body?: unknown;
	ended: boolean;
	headers: Record<string, string>;
}

function responseRecorder(): { res: unknown; sent: FakeResponse } {
	const sent: FakeResponse = { ended: false, headers: {} };
	const res = {
		status(code: number) {
			sent.statusCode = code;
			return res;
		},
		json(body: unknown) {
			sent.body = body;
			sent.headers['content-type'] = 'application/json';
			sent.ended = true;
			return res;
		},
		send(body: unknown) {
			sent.body = body;
			sent.ended = true;
			return res;
		},
		end() {
			sent.ended = true;
			return res;
		},
		setHeader(name: string, value: string) {
			sent.headers[name.toLowerCase()] = value;
			return res;
		},
		get headersSent() {
			return sent.ended;
		},
	};
	return { res, sent };
}

export interface CallOptions {
	parameters?: IDataObject;
	method?: 'HEAD' | 'GET' | 'POST';
	headers?: Record<string, string | string[]>;
	/** A JSON value: sent as n8n would after parsing application/json. */
	json?: unknown;
	/** Raw body text with its own content type (the node parses it). */
	raw?: string;
	/** Credential as n8n would decrypt it; null when the node has none. */
	credential?: IDataObject | null;
	/** Set to make the credential store fail, as when the credential was deleted. */
	credentialFails?: boolean;
	mode?: 'webhook' | 'manual';
	/** The node object n8n calls. Default: one instance shared by every call, as n8n keeps one per process. */
	trigger?: EdnaPulseTrigger;
	/** The workflow the request is addressed to (default `wf-1`); its trigger node is its own. */
	workflowId?: string;
	/** The id of the credential the workflow's trigger node refers to (default `cred-1`). */
	credentialId?: string;
	/**
	 * n8n's credential store, asked by the context for the node's credential id, as n8n decrypts it.
	 * When set, `credential` and `credentialFails` are not used.
	 */
	credentialStore?: (credentialId: string) => Promise<IDataObject>;
}

export interface CallResult {
	/** What the node returned to n8n. */
	result: IWebhookResponseData;
	/** What the node itself wrote to the response, if anything. */
	response: FakeResponse;
	/** Items of the execution n8n would start, or undefined when none would start. */
	items?: IDataObject[];
	bodyRead: boolean;
}

const trigger = new EdnaPulseTrigger();
const nodeTypesOf = (instance: EdnaPulseTrigger): INodeTypes =>
	({
		getByName: () => instance as INodeType,
		getByNameAndVersion: () => instance as INodeType,
		getKnownTypes: () => ({}),
	}) as unknown as INodeTypes;

export const keyHeader = (key = TEST_KEY): Record<string, string> => ({
	authorization: `Token ${key}`,
	'content-type': 'application/json',
});

export async function callWebhook(options: CallOptions): Promise<CallResult> {
	const method = options.method ?? 'POST';
	const webhookName: WebhookType = method === 'POST' ? 'default' : 'setup';
	const instance = options.trigger ?? trigger;
	const workflowId = options.workflowId ?? 'wf-1';
	const node: INode = {
		id: 'edna-node-1',
		name: 'edna Pulse Trigger',
		type: 'n8n-nodes-edna-pulse.ednaPulseTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6f9d8f1e-0000-4000-8000-000000000001',
		parameters: (options.parameters ?? {}) as INodeParameters,
		credentials: { ednaPulseApi: { id: options.credentialId ?? 'cred-1', name: 'edna key' } },
	};
	// The Workflow constructor fills in parameter defaults, as when n8n loads a saved workflow.
	const workflow = new Workflow({
		id: workflowId,
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypesOf(instance),
	});
	const loadedNode = workflow.getNode(node.name) as INode;

	let bodyRead = false;
	const headers: Record<string, string | string[]> = { ...(options.headers ?? {}) };
	const rawText = options.raw ?? (options.json === undefined ? '' : JSON.stringify(options.json));
	const request = {
		method,
		headers,
		params: {},
		query: {},
		get rawBody() {
			bodyRead = true;
			return Buffer.from(method === 'POST' ? rawText : '');
		},
		get body() {
			bodyRead = true;
			return options.json !== undefined ? options.json : options.raw === undefined ? {} : options.raw;
		},
	};
	const { res, sent } = responseRecorder();
	const credential = options.credential === undefined ? { webhookKey: TEST_KEY } : options.credential;
	const additionalData = {
		httpRequest: request,
		httpResponse: res,
		credentialsHelper: {
			isCredentialUsableByNode: () => true,
			getDecrypted: async (_additionalData: unknown, nodeCredentials: { id: string | null }) => {
				if (options.credentialStore) return await options.credentialStore(nodeCredentials.id ?? '');
				if (options.credentialFails || credential === null) throw new Error('Credential not found');
				return credential;
			},
		},
		executionId: undefined,
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: method,
		node: node.name,
		path: 'webhook',
		webhookDescription: instance.description.webhooks!.find((w) => w.name === webhookName)!,
		workflowId,
	} as unknown as IWebhookData;

	const context = new WebhookContext(
		workflow,
		loadedNode,
		additionalData,
		options.mode ?? 'webhook',
		webhookData,
		[],
		null,
	);
	// n8n's context copies the request into its input data when built; count only the node's reads.
	bodyRead = false;
	const result = await instance.webhook.call(context);
	const items = result.workflowData?.[0]?.map((i) => i.json);
	return { result, response: sent, items, bodyRead };
}

/** The answer a client would get: the node's own, or n8n's default when the node leaves it to n8n. */
export function answerOf(call: CallResult): { status: number; body: unknown } {
	if (call.result.noWebhookResponse) {
		return { status: call.response.statusCode ?? 0, body: call.response.body };
	}
	if (call.result.workflowData === undefined) {
		return { status: 200, body: call.result.webhookResponse ?? { message: 'Webhook call received' } };
	}
	return { status: 200, body: { message: 'Workflow was started' } };
}
