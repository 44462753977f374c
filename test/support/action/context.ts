/**
 * A stand-in for n8n's IExecuteFunctions / ILoadOptionsFunctions: parameters per item, the input
 * items, the credential, and `httpRequestWithAuthentication` answered by the fake edna after
 * applying the credential's own `authenticate` header, as n8n does.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { EdnaPulseApi } from '../../../credentials/EdnaPulseApi.credentials';
import { BASE_URL, FakeEdna, MASTER_KEY } from './fakeEdna';

export type Parameters = Record<string, unknown> | ((itemIndex: number) => Record<string, unknown>);

export interface ContextOptions {
	parameters: Parameters;
	items?: INodeExecutionData[];
	credential?: IDataObject;
	edna?: FakeEdna;
	continueOnFail?: boolean;
	nodeName?: string;
	workflowId?: string;
	executionId?: string;
	/** The node's type: `n8n-nodes-edna-pulse.ednaPulseTool` when n8n runs it as an agent's tool. */
	nodeType?: string;
	/** The run of the node in the execution (`$runIndex`): each tool call of an agent is one run. */
	runIndex?: number;
	/** The node's typeVersion (default 1). */
	typeVersion?: number;
	/** The parameters as the workflow saved them (`node.parameters`: expressions unevaluated). */
	saved?: IDataObject;
	/** Every option n8n's helper was called with, for the redaction tests. */
	seen?: IHttpRequestOptions[];
}

const credentialType = new EdnaPulseApi();

/** The request with the credential's own `authenticate` applied, as n8n applies it before sending. */
export async function authenticated(credential: IDataObject, request: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	return await credentialType.authenticate(credential as ICredentialDataDecryptedObject, request);
}

export function executeContext(
	options: ContextOptions,
): ActionContext {
	const edna = options.edna ?? new FakeEdna();
	const credential = options.credential ?? { apiKey: MASTER_KEY, baseUrl: BASE_URL, webhookKey: '' };
	const items = options.items ?? [{ json: {} }];
	const node: INode = {
		id: 'node-1',
		name: options.nodeName ?? 'edna Pulse',
		type: options.nodeType ?? 'n8n-nodes-edna-pulse.ednaPulse',
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: (options.saved ?? {}) as INode["parameters"],
	};
	const params = (i: number) => (typeof options.parameters === 'function' ? options.parameters(i) : options.parameters);
	const reads = { credential: 0 };
	const context = {
		edna,
		/** How often the node read its credential (n8n decrypts it on every read). */
		reads,
		getInputData: () => items,
		getNode: () => node,
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', name: 'test', active: false }),
		getExecutionId: () => options.executionId ?? 'exec-1',
		evaluateExpression: (expression: string) => {
			if (/^\{\{\s*\$runIndex\s*\}\}$/.test(expression)) return options.runIndex ?? 0;
			throw new Error(`the test context does not evaluate ${expression}`);
		},
		continueOnFail: () => options.continueOnFail === true,
		/** What the node logged, and the hints it left on its output. */
		logged: [] as string[],
		hints: [] as Array<{ message: string; type?: string }>,
		logger: {
			info: (message: string) => context.logged.push(message),
			debug: () => undefined,
			warn: (message: string) => context.logged.push(message),
			error: (message: string) => context.logged.push(message),
		},
		addExecutionHints: (...hints: Array<{ message: string; type?: string }>) => context.hints.push(...hints),
		getCredentials: async () => {
			reads.credential++;
			return { ...credential };
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = params(itemIndex)[name];
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getCurrentNodeParameter: (name: string) => params(0)[name],
		helpers: {
			async httpRequestWithAuthentication(
				type: string,
				request: IHttpRequestOptions,
				additional?: { credentialsDecrypted?: { data?: Record<string, unknown> } },
			) {
				if (type !== 'ednaPulseApi') throw new Error(`unexpected credential type ${type}`);
				// As n8n-core: a credential handed over is used as it is; otherwise n8n reads it again.
				const given = additional?.credentialsDecrypted?.data;
				if (given === undefined) reads.credential++;
				const used = (given ?? credential) as typeof credential;
				const withAuth = await authenticated(used, request);
				options.seen?.push(withAuth);
				return await edna.request(withAuth);
			},
		},
	};
	return context as unknown as ActionContext;
}

export type ActionContext = IExecuteFunctions & {
	edna: FakeEdna;
	reads: { credential: number };
	logged: string[];
	hints: Array<{ message: string; type?: string }>;
};
