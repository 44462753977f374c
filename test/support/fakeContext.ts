/**
 * A stand-in for the n8n context an edna Pulse operation or editor method runs in: parameters from
 * a plain object, one credential, and edna answered by a handler, with every request recorded.
 * The HEAD check of Webhook → Set URLs uses n8n's real `httpRequest` (test/support/http.js).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import seed from '../../sandbox/seed.json';
import { n8nHttpRequest } from './http';

export const BASE_URL = 'https://edna.example.com/api';
export const API_KEY = 'dummy-api-key-example';

/** channel-profile as the sandbox seed has it (101 WhatsApp, 102 Viber, 103 SMS, and one not yet registered). */
export const CHANNELS = seed.channels;

export interface EdnaCall {
	method: string;
	path: string;
	body: IDataObject | undefined;
	headers: IDataObject;
}

export interface Answer {
	status?: number;
	body: unknown;
}

export type Handler = (call: EdnaCall) => Answer | undefined;

export interface FakeOptions {
	parameters: IDataObject;
	/** Parameters of the node in the editor, for `getCurrentNodeParameter`. */
	items?: INodeExecutionData[];
	/** edna's answers; unanswered paths get 404. `channel-profile` answers CHANNELS unless handled. */
	edna: Handler;
}

export interface Fake {
	context: IExecuteFunctions & ILoadOptionsFunctions;
	calls: EdnaCall[];
	/** The calls to one path. */
	to(path: string): EdnaCall[];
}

/** The context's logger, which the code under test may call and the tests do not read. */
export const silentLogger = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
};

const node: INode = {
	id: 'node-example',
	name: 'edna Pulse',
	type: 'n8n-nodes-edna-pulse.ednaPulse',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function fakeContext(options: FakeOptions): Fake {
	const calls: EdnaCall[] = [];
	const items = options.items ?? [{ json: {} }];
	const parameter = (name: string, _itemIndex?: number, fallback?: unknown) =>
		name in options.parameters ? options.parameters[name] : fallback;
	const context = {
		getNode: () => node,
		getNodeParameter: parameter,
		getCurrentNodeParameter: (name: string) => parameter(name),
		getInputData: () => items,
		getWorkflow: () => ({ id: 'workflow-example', name: 'Example', active: false }),
		getExecutionId: () => 'execution-example-1',
		continueOnFail: () => false,
		getCredentials: async () => ({ apiKey: API_KEY, baseUrl: BASE_URL }),
		logger: silentLogger,
		helpers: {
			httpRequest: n8nHttpRequest,
			httpRequestWithAuthentication: async (_credential: string, request: IHttpRequestOptions) => {
				const url = String(request.url);
				const path = url.startsWith(`${BASE_URL}/`) ? url.slice(BASE_URL.length + 1) : url;
				const call: EdnaCall = {
					method: String(request.method ?? 'GET'),
					path,
					body: request.body as IDataObject | undefined,
					headers: (request.headers ?? {}) as IDataObject,
				};
				calls.push(call);
				const answer =
					options.edna(call) ?? (path === 'channel-profile' ? { body: CHANNELS } : undefined);
				const result = answer ?? {
					status: 404,
					body: { title: 'not-found', status: 404, detail: 'Not found requested URL.' },
				};
				return { statusCode: result.status ?? 200, body: result.body, headers: {} };
			},
		},
	};
	return {
		context: context as unknown as IExecuteFunctions & ILoadOptionsFunctions,
		calls,
		to: (path) => calls.filter((c) => c.path === path),
	};
}

/** A resource locator value as the editor saves it. */
export const rl = (value: string | number, mode = 'list') => ({
	__rl: true,
	mode,
	value: String(value),
});
