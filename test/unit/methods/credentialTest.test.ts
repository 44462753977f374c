import type { ICredentialTestFunctions, INodeProperties } from 'n8n-workflow';

import { EdnaPulseApi } from '../../../credentials/EdnaPulseApi.credentials';
import { EdnaPulseTrigger } from '../../../nodes/EdnaPulse/EdnaPulseTrigger.node';
import { ednaPulseApiTest } from '../../../nodes/EdnaPulse/methods/credentialTest';
import { authenticated } from '../../support/action/context';
import { BASE_URL, FakeEdna, MASTER_KEY, WA_ONLY_KEY, WEBHOOK_KEY } from '../../support/action/fakeEdna';
import { node } from '../../support/action/run';

describe('the credential test', () => {
	const calls: object[] = [];
	const fake = new FakeEdna();
	const context = {
		helpers: {
			async request(options: { uri: string; method: string; headers: Record<string, string> }) {
				calls.push(options);
				const answer = await fake.request({ url: options.uri, method: 'GET', headers: options.headers });
				return { statusCode: answer.statusCode, body: answer.body };
			},
		},
	} as unknown as ICredentialTestFunctions;
	const run = (data: object) => ednaPulseApiTest.call(context, { id: '1', name: 'edna', type: 'ednaPulseApi', data } as never);

	test('a working API key: GET channel-profile with X-API-KEY', async () => {
		const result = await run({ apiKey: MASTER_KEY, baseUrl: BASE_URL, webhookKey: WEBHOOK_KEY });
		expect(result).toEqual({ status: 'OK', message: expect.stringContaining('The API key works: edna lists 4 channels') });
		expect(calls[calls.length - 1]).toMatchObject({ method: 'GET', uri: 'http://127.0.0.1:9999/api/channel-profile', headers: { 'X-API-KEY': MASTER_KEY } });
	});

	test('only an API key: OK, and it says the trigger would need the webhook key', async () => {
		const result = await run({ apiKey: MASTER_KEY, baseUrl: BASE_URL });
		expect(result.message).toContain('No webhook key is set');
	});

	test('401: wrong or expired key, or the webhook key pasted by mistake', async () => {
		const result = await run({ apiKey: WEBHOOK_KEY, baseUrl: BASE_URL });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('wrong or expired');
		expect(result.message).toContain('webhook key pasted by mistake');
	});

	test('403: an additional key without the "channels" group', async () => {
		const restricted = new FakeEdna();
		jest.spyOn(restricted, 'request').mockResolvedValue({ statusCode: 403, body: { title: 'forbidden', status: 403, detail: 'no channels' }, headers: {} });
		const ctx = { helpers: { request: async (o: { uri: string; headers: Record<string, string> }) => await restricted.request({ url: o.uri, headers: o.headers }) } } as unknown as ICredentialTestFunctions;
		const result = await ednaPulseApiTest.call(ctx, { id: '1', name: 'e', type: 'ednaPulseApi', data: { apiKey: WA_ONLY_KEY, baseUrl: BASE_URL } } as never);
		expect(result.message).toContain('additional key without the "channels" method group');
	});

	test('a wrong base URL, and no answer', async () => {
		expect((await run({ apiKey: MASTER_KEY, baseUrl: 'http://127.0.0.1:9999/nothing' })).message).toContain('No edna Pulse API at');
		expect((await run({ apiKey: MASTER_KEY, baseUrl: 'not a url' })).message).toContain('not a URL');
		const down = { helpers: { request: async () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED', options: { headers: { 'X-API-KEY': MASTER_KEY } } })) } } as unknown as ICredentialTestFunctions;
		const result = await ednaPulseApiTest.call(down, { id: '1', name: 'e', type: 'ednaPulseApi', data: { apiKey: MASTER_KEY, baseUrl: BASE_URL } } as never);
		expect(result).toEqual({ status: 'Error', message: 'edna Pulse did not answer at http://127.0.0.1:9999 (ECONNREFUSED). Check the Base URL.' });
	});

	test('the webhook key alone is still checked locally, as before', async () => {
		const before = calls.length;
		await expect(run({ webhookKey: WEBHOOK_KEY })).resolves.toMatchObject({ status: 'OK', message: expect.stringContaining('The key is saved') });
		await expect(run({ webhookKey: 'two words' })).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('webhook key contains spaces') });
		await expect(run({ apiKey: 'api\u200bkey' })).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('API key contains characters') });
		await expect(run({})).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('Enter') });
		expect(calls.length).toBe(before);
	});

	test('both nodes use this test', () => {
		expect(node.methods.credentialTest.ednaPulseApiTest).toBe(ednaPulseApiTest);
		expect(new EdnaPulseTrigger().methods.credentialTest.ednaPulseApiTest).toBe(ednaPulseApiTest);
	});
});

describe('the credential', () => {
	const credential = new EdnaPulseApi();
	const field = (name: string) => credential.properties.find((p) => p.name === name) as INodeProperties;

	test('API key (masked), base URL with the default region, optional webhook key', () => {
		expect(field('apiKey')).toMatchObject({ type: 'string', typeOptions: { password: true }, default: '' });
		expect(field('baseUrl')).toMatchObject({ type: 'string', default: 'https://app.edna.io/api' });
		for (const host of ['app.edna.io', 'app.edna.ru', 'app.edna.by', 'sandbox']) expect(field('baseUrl').description).toContain(host);
		expect(field('webhookKey').required).not.toBe(true);
	});

	test('the API key goes in X-API-KEY, beside the headers the request has', async () => {
		expect((await authenticated({ apiKey: MASTER_KEY }, { url: 'https://app.edna.io/api/channel-profile', headers: { accept: 'application/json' } })).headers).toEqual({
			accept: 'application/json',
			'X-API-KEY': MASTER_KEY,
		});
	});
});
