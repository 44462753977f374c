/**
 * The trigger's optional registration of its URL in edna: which publishes call callback/set, with
 * what body, and how a refusal fails the publish (webhookMethods.default with a mocked IHookFunctions).
 */
import type { IDataObject, IHookFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { EdnaPulseTrigger } from '../../../nodes/EdnaPulse/EdnaPulseTrigger.node';
import { registrationOf, subjectIdOf } from '../../../nodes/EdnaPulse/trigger/registration';
import { retryPolicy } from '../../../nodes/EdnaPulse/transport';
import { silentLogger } from '../../support/fakeContext';

const BASE_URL = 'https://edna.example.com/api';
const API_KEY = 'dummy-api-key-example';
const URL = 'https://n8n.example.com/webhook/0c8e1d0a-example/webhook';

const hooks = new EdnaPulseTrigger().webhookMethods.default;

const node: INode = {
	id: 'trigger-example',
	name: 'edna Pulse Trigger',
	type: 'n8n-nodes-edna-pulse.ednaPulseTrigger',
	typeVersion: 1.1,
	position: [0, 0],
	parameters: {},
};

interface Call {
	method: string;
	url: string;
	body: IDataObject | undefined;
}

interface HookOptions {
	parameters?: IDataObject;
	mode?: string;
	activation?: string;
	credential?: IDataObject;
	/** edna's answer to callback/set. */
	answer?: { status?: number; body: unknown };
}

function hookContext({
	parameters = {},
	mode = 'trigger',
	activation = 'activate',
	credential = { apiKey: API_KEY, baseUrl: BASE_URL, webhookKey: 'dummy-webhook-key-example' },
	answer = { body: { code: 'ok' } },
}: HookOptions = {}) {
	const calls: Call[] = [];
	let credentialReads = 0;
	const all: IDataObject = {
		event: 'incomingMessage',
		authentication: 'webhookKey',
		options: {},
		...parameters,
	};
	const context = {
		getMode: () => mode,
		getActivationMode: () => activation,
		getNode: () => node,
		getNodeParameter: (name: string, fallback?: unknown) => (name in all ? all[name] : fallback),
		getNodeWebhookUrl: (name: string) => (name === 'default' ? URL : undefined),
		getCredentials: async () => {
			credentialReads++;
			return credential;
		},
		logger: silentLogger,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				calls.push({
					method: String(request.method),
					url: String(request.url),
					body: request.body as IDataObject,
				});
				return { statusCode: answer.status ?? 200, body: answer.body, headers: {} };
			},
		},
	};
	return {
		context: context as unknown as IHookFunctions,
		calls,
		credentialReads: () => credentialReads,
	};
}

const on = (extra: IDataObject = {}) => ({ options: { registerUrl: true, ...extra } });

beforeAll(() => {
	retryPolicy.delaysMs = [0, 0];
	retryPolicy.maxRetryAfterMs = 0;
});

describe('option off (every workflow saved before it existed)', () => {
	test('checkExists says the URL exists, so n8n never calls create; no credential is read', async () => {
		for (const event of [
			'messageStatus',
			'incomingMessage',
			'templateStatus',
			'templateCategory',
			'linkClick',
			'anyEvent',
		]) {
			const hook = hookContext({ parameters: { event, options: { strictValidation: true } } });
			await expect(hooks.checkExists.call(hook.context)).resolves.toBe(true);
			await expect(hooks.create.call(hook.context)).resolves.toBe(true);
			expect(hook.calls).toEqual([]);
			expect(hook.credentialReads()).toBe(0);
		}
	});

	test('registerUrl false is the same as absent', async () => {
		const hook = hookContext({ parameters: { options: { registerUrl: false } } });
		await expect(hooks.checkExists.call(hook.context)).resolves.toBe(true);
		expect(hook.calls).toEqual([]);
	});
});

describe('option on: publishing sets the Production URL through callback/set', () => {
	test.each([
		['messageStatus', 'statusCallbackUrl'],
		['incomingMessage', 'inMessageCallbackUrl'],
		['templateStatus', 'messageMatcherCallbackUrl'],
	])('%s: checkExists is false, create posts %s for all channels', async (event, field) => {
		const hook = hookContext({ parameters: { event, ...on() } });
		await expect(hooks.checkExists.call(hook.context)).resolves.toBe(false);
		await expect(hooks.create.call(hook.context)).resolves.toBe(true);
		expect(hook.calls).toEqual([
			{ method: 'POST', url: `${BASE_URL}/callback/set`, body: { [field]: URL } },
		]);
	});

	test('at start-up (activation init) as on publish', async () => {
		const hook = hookContext({ activation: 'init', parameters: on() });
		await expect(hooks.checkExists.call(hook.context)).resolves.toBe(false);
		await hooks.create.call(hook.context);
		expect(hook.calls).toHaveLength(1);
	});

	test.each([
		[{ __rl: true, mode: 'list', value: '101' }],
		[{ __rl: true, mode: 'id', value: ' 101 ' }],
		['101'],
	])('a channel (%j) sends its subjectId', async (registerChannel) => {
		const hook = hookContext({ parameters: on({ registerChannel }) });
		await hooks.create.call(hook.context);
		expect(hook.calls[0].body).toEqual({ inMessageCallbackUrl: URL, subjectId: 101 });
	});

	test('an empty or non-numeric channel fails before edna is called', async () => {
		for (const value of ['', 'shop_WA']) {
			const hook = hookContext({
				parameters: on({ registerChannel: { __rl: true, mode: 'id', value } }),
			});
			await expect(hooks.create.call(hook.context)).rejects.toMatchObject({
				name: 'NodeOperationError',
				message: expect.stringContaining('Channel to Register For'),
			});
			expect(hook.calls).toEqual([]);
		}
	});
});

describe('never for a test listener, nor where the option is not shown', () => {
	test('"Listen for test event" (mode manual) registers nothing: its URL is the test one', async () => {
		const hook = hookContext({ mode: 'manual', activation: 'manual', parameters: on() });
		await expect(hooks.checkExists.call(hook.context)).resolves.toBe(true);
		await expect(hooks.create.call(hook.context)).resolves.toBe(true);
		expect(hook.calls).toEqual([]);
		expect(hook.credentialReads()).toBe(0);
	});

	test.each(['templateCategory', 'linkClick', 'anyEvent'])(
		'%s has no callback/set field: nothing is registered',
		async (event) => {
			const hook = hookContext({ parameters: { event, ...on() } });
			await expect(hooks.checkExists.call(hook.context)).resolves.toBe(true);
			await hooks.create.call(hook.context);
			expect(hook.calls).toEqual([]);
		},
	);

	test('Authentication None (no credential on the node, option hidden): nothing is registered', async () => {
		const hook = hookContext({ parameters: { authentication: 'none', ...on() } });
		await expect(hooks.checkExists.call(hook.context)).resolves.toBe(true);
		await hooks.create.call(hook.context);
		expect(hook.calls).toEqual([]);
	});
});

describe('a refusal fails the publish', () => {
	test.each([
		{ webhookKey: 'dummy-webhook-key-example' },
		{ apiKey: '  ', webhookKey: 'dummy-webhook-key-example' },
	])(
		'no API key in the credential (%j): a NodeOperationError naming it, edna not called',
		async (credential) => {
			const hook = hookContext({ credential, parameters: on() });
			await expect(hooks.create.call(hook.context)).rejects.toMatchObject({
				name: 'NodeOperationError',
				message:
					'Register This URL in Edna Pulse needs an API key, and the Edna Pulse API credential has none',
				description: expect.stringContaining('Integration → Settings'),
			});
			expect(hook.calls).toEqual([]);
		},
	);

	test.each([
		['error-callback-url-not-available', 'it must answer a HEAD request with 200'],
		['error-subject-unknown', 'edna knows no channel with this ID'],
		['error-callback-url-not-https', 'only https://'],
	])("edna's %s: a NodeApiError with the code and its hint", async (code, hint) => {
		const hook = hookContext({ parameters: on(), answer: { status: 400, body: { code } } });
		await expect(hooks.create.call(hook.context)).rejects.toMatchObject({
			name: 'NodeApiError',
			message: expect.stringMatching(
				new RegExp(
					`^edna Pulse did not register this trigger's URL: ${code}\\. .*${hint.replace(/[./]/g, '\\$&')}`,
				),
			),
			description: expect.stringContaining(hint),
		});
		expect(hook.calls).toHaveLength(1);
	});

	test('{"code":"…"} with HTTP 200 is a refusal too', async () => {
		const hook = hookContext({
			parameters: on(),
			answer: { status: 200, body: { code: 'error-subject-unknown' } },
		});
		await expect(hooks.create.call(hook.context)).rejects.toMatchObject({
			message: expect.stringContaining(
				"did not register this trigger's URL: error-subject-unknown. edna knows no channel",
			),
		});
	});

	test('an answer without a code is not taken as success', async () => {
		const hook = hookContext({ parameters: on(), answer: { status: 200, body: {} } });
		await expect(hooks.create.call(hook.context)).rejects.toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('unexpected-answer'),
		});
	});

	test('a wrong API key (401): the transport names it', async () => {
		const hook = hookContext({
			parameters: on(),
			answer: {
				status: 401,
				body: { title: 'unauthorized', status: 401, detail: 'Invalid API key' },
			},
		});
		await expect(hooks.create.call(hook.context)).rejects.toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('unauthorized'),
		});
	});
});

test('unpublishing leaves edna as it is: delete calls nothing', async () => {
	const hook = hookContext({ parameters: on() });
	await expect(hooks.delete.call(hook.context)).resolves.toBe(true);
	expect(hook.calls).toEqual([]);
	expect(hook.credentialReads()).toBe(0);
});

describe('registrationOf / subjectIdOf', () => {
	test('the field of each event, nothing without the option', () => {
		expect(
			registrationOf({
				event: 'messageStatus',
				authentication: 'webhookKey',
				options: { registerUrl: true },
			}),
		).toEqual({
			field: 'statusCallbackUrl',
			channel: undefined,
		});
		expect(
			registrationOf({ event: 'messageStatus', authentication: 'webhookKey', options: {} }),
		).toBeUndefined();
		expect(
			registrationOf({
				event: 'nonsense',
				authentication: 'webhookKey',
				options: { registerUrl: true },
			}),
		).toBeUndefined();
	});

	test('subjectIdOf', () => {
		expect(subjectIdOf(undefined)).toEqual({});
		expect(subjectIdOf({ mode: 'id', value: '7' })).toEqual({ subjectId: 7 });
		expect(subjectIdOf({ mode: 'id', value: '-1' })).toHaveProperty('problem');
	});
});
