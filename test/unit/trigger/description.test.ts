import type { ICredentialTestFunctions, IHookFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { EdnaPulseApi } from '../../../credentials/EdnaPulseApi.credentials';
import { EdnaPulseTrigger } from '../../../nodes/EdnaPulse/EdnaPulseTrigger.node';
import { EVENT_KINDS } from '../../../nodes/EdnaPulse/trigger/events/registry';
import { repoFile } from '../../support/io';

const node = new EdnaPulseTrigger();
const { description } = node;
const property = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
const optionValues = (p: INodeProperties) => (p.options as INodePropertyOptions[]).map((o) => o.value);

describe('node description (names stored in saved workflows)', () => {
	test('type, version and trigger shape', () => {
		expect(description).toMatchObject({ name: 'ednaPulseTrigger', version: [1, 1.1, 1.2], defaultVersion: 1.2, group: ['trigger'], inputs: [] });
		const codex = JSON.parse(repoFile('nodes/EdnaPulse/EdnaPulseTrigger.node.json'));
		expect(codex.node).toBe('n8n-nodes-edna-pulse.ednaPulseTrigger');
		expect(codex.categories).toContain('Communication');
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});

	test('parameter values', () => {
		expect(optionValues(property('event'))).toEqual([
			'messageStatus',
			'incomingMessage',
			'templateStatus',
			'templateCategory',
			'linkClick',
			'anyEvent',
		]);
		expect(optionValues(property('authentication'))).toEqual(['webhookKey', 'none']);
		expect(property('authentication').default).toBe('webhookKey');
		expect(optionValues(property('output'))).toEqual(['simplified', 'raw']);
		expect(property('output').default).toBe('simplified');
		expect(optionValues(property('anyEventTypes'))).toEqual([...EVENT_KINDS.map((d) => d.kind), 'unknown']);
		const filterNames = (property('filters').options as INodeProperties[]).map((o) => o.name);
		expect(filterNames).toEqual([
			'statuses',
			'otherStatuses',
			'contentTypes',
			'otherContentTypes',
			'templateStatuses',
			'otherTemplateStatuses',
			'templateCategories',
			'otherTemplateCategories',
			'channelTypes',
			'subjects',
			'subjectIds',
		]);
		expect((property('options').options as INodeProperties[]).map((o) => o.name)).toEqual([
			'strictValidation',
			'acknowledge',
			'registerUrl',
			'registerChannel',
		]);
	});

	test('Register This URL: off by default, shown only for events callback/set has a field for', () => {
		const options = property('options').options as INodeProperties[];
		const register = options.find((o) => o.name === 'registerUrl') as INodeProperties;
		const channel = options.find((o) => o.name === 'registerChannel') as INodeProperties;
		expect(register).toMatchObject({ type: 'boolean', default: false });
		expect(register.description).toMatch(/^Whether to set this trigger's Production URL in edna when the workflow is published/);
		expect(register.description).toContain('API key');
		const fields = Object.fromEntries(EVENT_KINDS.map((d) => [d.kind, d.callbackField]));
		expect(fields).toEqual({
			messageStatus: 'statusCallbackUrl',
			incomingMessage: 'inMessageCallbackUrl',
			templateStatus: 'messageMatcherCallbackUrl',
			templateCategory: undefined,
			linkClick: undefined,
		});
		const shownFor = ['messageStatus', 'incomingMessage', 'templateStatus'];
		expect(register.displayOptions?.show).toEqual({ '/event': shownFor, '/authentication': ['webhookKey'] });
		expect(channel).toMatchObject({ type: 'resourceLocator', default: { mode: 'list', value: '' } });
		expect(channel.displayOptions?.show).toEqual({ registerUrl: [true], '/event': shownFor, '/authentication': ['webhookKey'] });
		expect(channel.modes?.map((m) => m.name)).toEqual(['list', 'id']);
		expect(channel.modes?.[0].typeOptions?.searchListMethod).toBe('searchChannels');
		expect(Object.keys(node.methods.listSearch)).toEqual(['searchChannels']);
	});

	test('the URL notice says whether the node can register the URL itself', () => {
		for (const d of EVENT_KINDS) {
			const notice = property(`${d.kind}Notice`).displayName;
			if (d.callbackField === undefined) expect(notice).toContain("edna's API has no field for this URL");
			else expect(notice).toContain('Options → Register This URL in Edna Pulse');
		}
	});

	test("event labels are the event modules' own", () => {
		const labels = (property('event').options as INodePropertyOptions[]).slice(0, EVENT_KINDS.length);
		expect(labels.map((o) => [o.value, o.name, o.description])).toEqual(
			EVENT_KINDS.map((d) => [d.kind, d.displayName, d.description]),
		);
	});

	test('each filter is shown for the events it applies to, and for Any Event', () => {
		for (const filter of property('filters').options as INodeProperties[]) {
			const shownFor = filter.displayOptions?.show?.['/event'];
			const kinds = EVENT_KINDS.filter((d) => d.filters.includes(filter.name as never)).map((d) => d.kind);
			expect(shownFor).toEqual([...kinds, 'anyEvent']);
		}
	});

	test('a notice per event names the edna field for its URL', () => {
		for (const d of EVENT_KINDS) {
			const notice = property(`${d.kind}Notice`);
			expect(notice.type).toBe('notice');
			expect(notice.displayName).toContain(d.ednaSetting);
			expect(notice.displayName).toContain('Authenticate webhooks from edna Pulse');
			expect(notice.displayOptions?.show?.event).toEqual([d.kind]);
		}
		expect(property('noAuthWarning').displayOptions?.show?.authentication).toEqual(['none']);
	});

	test('HEAD/GET verification is declared before the POST webhook, on the same path', () => {
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'setup', httpMethod: 'HEAD,GET', path: 'webhook', responseMode: 'onReceived' }),
			// responseMode follows Options → Acknowledge Edna Pulse (test/unit/trigger/acknowledge.test.ts).
			expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
		]);
	});

	test('light and dark icons are different files that exist', () => {
		const icon = description.icon as { light: string; dark: string };
		expect(icon.light).not.toBe(icon.dark);
		for (const file of [icon.light, icon.dark]) {
			expect(repoFile(`nodes/EdnaPulse/${file.replace('file:', '')}`)).toContain('<svg');
		}
	});

	test('the subtitle shows the chosen event by its label', () => {
		expect(description.subtitle).toContain('"messageStatus":"Message Status Changed"');
		expect(description.subtitle).toContain('[$parameter["event"]]');
	});

	test('nothing to register by default: lifecycle methods succeed (test/unit/trigger/registration.test.ts for the option)', async () => {
		const hooks = node.webhookMethods.default;
		const context = {
			getMode: () => 'trigger',
			getActivationMode: () => 'activate',
			getNodeParameter: (name: string, fallback?: unknown) => (name === 'event' ? 'messageStatus' : fallback),
		} as unknown as IHookFunctions;
		await expect(
			Promise.all([hooks.checkExists.call(context), hooks.create.call(context), hooks.delete()]),
		).resolves.toEqual([true, true, true]);
	});
});

describe('Edna Pulse API credential', () => {
	const credential = new EdnaPulseApi();
	const test_ = node.methods.credentialTest.ednaPulseApiTest;
	const run = (data: object) =>
		test_.call({} as ICredentialTestFunctions, { id: '1', name: 'edna', type: 'ednaPulseApi', data } as never);

	test('a masked webhook key field, optional now that the API key may be the only key', () => {
		expect(credential).toMatchObject({ name: 'ednaPulseApi', displayName: 'Edna Pulse API' });
		const key = credential.properties.find((p) => p.name === 'webhookKey');
		expect(key).toMatchObject({ type: 'string', typeOptions: { password: true }, default: '' });
		expect(key?.required).not.toBe(true);
		expect(description.credentials).toEqual([
			expect.objectContaining({ name: 'ednaPulseApi', testedBy: 'ednaPulseApiTest' }),
		]);
	});

	test('the credential test checks the key locally', async () => {
		await expect(run({ webhookKey: 'example-key' })).resolves.toMatchObject({ status: 'OK' });
		await expect(run({ webhookKey: '' })).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('Enter') });
		await expect(run({ webhookKey: 'two words' })).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('spaces') });
		await expect(run({ webhookKey: 'key\u200bzero-width' })).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('ASCII') });
		await expect(run({ webhookKey: 'ключ' })).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('ASCII') });
	});
});
