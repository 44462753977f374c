import { readHistory } from '../../../nodes/EdnaPulse/actions/message/getStatus.operation';
import { FakeEdna, MASTER_KEY, BASE_URL, WA_ONLY_KEY } from './support/fakeEdna';
import { runNode, runNodeFailing } from './support/run';

const historyEntries = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ messageId: 1000 + i, address: '35790000001', direction: 'OUT', channelType: 'WHATSAPP', deliveryStatus: 'DELIVERED', content: JSON.stringify({ type: 'TEXT', text: `m${i}` }) }));

describe('Message → Get Status', () => {
	test('by edna message ID', async () => {
		const edna = new FakeEdna();
		edna.history = historyEntries(3);
		const { json } = await runNode({ parameters: { resource: 'message', operation: 'getStatus', findBy: 'messageId', messageId: '1001' }, edna });
		expect(edna.requests[0].body).toEqual({ messageId: 1001, offset: 0, limit: 1000 });
		expect(json).toEqual([expect.objectContaining({ messageId: 1001, deliveryStatus: 'DELIVERED', content: { type: 'TEXT', text: 'm1' } })]);
	});

	test('by phone with Return All: pages until hasNext is false', async () => {
		const edna = new FakeEdna();
		edna.history = historyEntries(2500);
		const { json } = await runNode({
			parameters: { resource: 'message', operation: 'getStatus', findBy: 'phone', phone: '+35790000001', dateFrom: '2026-01-01T00:00:00Z', returnAll: true, filters: { direction: 'OUT' } },
			edna,
		});
		expect(json).toHaveLength(2500);
		expect(edna.requests.map((r) => [r.body?.offset, r.body?.limit])).toEqual([[0, 1000], [1000, 1000], [2000, 1000]]);
		expect(edna.requests[0].body).toMatchObject({ subscriberFilter: { address: '35790000001', type: 'PHONE' }, dateFrom: '2026-01-01T00:00:00Z', direction: 'OUT' });
	});

	test('by phone with a limit', async () => {
		const edna = new FakeEdna();
		edna.history = historyEntries(30);
		const { json } = await runNode({ parameters: { resource: 'message', operation: 'getStatus', findBy: 'phone', phone: '35790000001', returnAll: false, limit: 12 }, edna });
		expect(json).toHaveLength(12);
		expect(edna.requests).toHaveLength(1);
	});

	test('paging stops on an empty page even if hasNext stays true', async () => {
		const pages = [{ hasNext: true, content: [{ a: 1 }] }, { hasNext: true, content: [] }];
		const fetch = jest.fn(async () => pages.shift() ?? { hasNext: false });
		await expect(readHistory(fetch, Infinity)).resolves.toEqual([{ a: 1 }]);
		expect(fetch).toHaveBeenCalledTimes(2);
	});

	test('an additional key without "message history": 403 in the user’s words', async () => {
		const error = await runNodeFailing({
			parameters: { resource: 'message', operation: 'getStatus', findBy: 'messageId', messageId: '5' },
			credential: { apiKey: WA_ONLY_KEY, baseUrl: BASE_URL },
		});
		expect(error.httpCode).toBe('403');
		expect(error.description).toContain('"message history" method group');
	});
});

describe('Message → Mark as Read', () => {
	test('the incoming message id, status READ', async () => {
		const { json, edna } = await runNode({ parameters: { resource: 'message', operation: 'markAsRead', incomingMessageId: 101 } });
		expect(edna.requests[0]).toMatchObject({ path: 'in-message/change-status', body: { id: 101, status: 'READ' } });
		expect(json).toEqual([{ id: 101, status: 'READ', response: { code: 'ok' } }]);
	});

	test('an unknown id: edna’s code and hint', async () => {
		const error = await runNodeFailing({ parameters: { resource: 'message', operation: 'markAsRead', incomingMessageId: '77' } });
		expect(error.message).toContain('in-message-not-found');
		expect(error.description).toContain('Message Received');
	});

	test('the default reads the item’s id', async () => {
		const { node } = await import('./support/run');
		const property = node.description.properties.find((p) => p.name === 'incomingMessageId');
		expect(property?.default).toBe('={{ $json.id }}');
	});
});

describe('Channel → Get Many', () => {
	test('every channel with its health fields', async () => {
		const { json } = await runNode({ parameters: { resource: 'channel', operation: 'getMany', returnAll: true, filters: {} } });
		expect(json).toHaveLength(4);
		expect(json[0]).toMatchObject({ subjectId: 101, subject: 'sandbox_wa', type: 'WHATSAPP', active: true, registrationStatus: 'DONE_BUSINESS_VERIFICATION', qualityScore: 'HIGH', qualityStatus: 'CONNECTED', limit: '1000' });
		expect(json[3]).toMatchObject({ subjectId: null, active: false, qualityScore: null, limit: null });
	});

	test('types filter (sent to edna), active only, limit', async () => {
		const { json, edna } = await runNode({ parameters: { resource: 'channel', operation: 'getMany', returnAll: false, limit: 5, filters: { types: ['WHATSAPP'], activeOnly: true } } });
		expect(edna.requests[0].qs).toEqual({ types: 'WHATSAPP' });
		expect(json.map((c) => c.subjectId)).toEqual([101]);
		const limited = await runNode({ parameters: { resource: 'channel', operation: 'getMany', returnAll: false, limit: 2, filters: {} } });
		expect(limited.json).toHaveLength(2);
	});

	test('several types: one call without `types` (edna shows one value only), filtered in the node', async () => {
		const { json, edna } = await runNode({ parameters: { resource: 'channel', operation: 'getMany', returnAll: true, filters: { types: ['SMS', 'WHATSAPP'] } } });
		expect(edna.requests.map((r) => [r.path, r.qs])).toEqual([['channel-profile', undefined]]);
		expect(json.map((c) => c.subject)).toEqual(['sandbox_wa', 'sandbox_sms', 'sandbox_wa_new']);
	});
});

describe('Cascade → Get Many', () => {
	test('simplified: stage channels in order', async () => {
		const { json } = await runNode({ parameters: { resource: 'cascade', operation: 'getMany', returnAll: true, simplify: true, filters: {} } });
		expect(json).toHaveLength(5);
		expect(json[3]).toEqual({
			id: 204,
			name: 'WhatsApp then SMS',
			status: 'ACTIVE',
			stagesCount: 2,
			channels: 'sandbox_wa → sandbox_sms',
			stages: [
				{ order: 0, channelType: 'WHATSAPP', subject: 'sandbox_wa', subjectId: 101, locked: false, uuid: 'stage-0-101' },
				{ order: 1, channelType: 'SMS', subject: 'sandbox_sms', subjectId: 103, locked: false, uuid: 'stage-1-103' },
			],
		});
	});

	test('raw, active only, limit', async () => {
		const { json } = await runNode({ parameters: { resource: 'cascade', operation: 'getMany', returnAll: false, limit: 10, simplify: false, filters: { activeOnly: true } } });
		expect(json.map((c) => c.id)).toEqual([201, 202, 203, 204]);
		expect(json[0].stages).toBeDefined();
	});

	test('a restricted key sees only its cascades', async () => {
		const { json } = await runNode({
			parameters: { resource: 'cascade', operation: 'getMany', returnAll: true, simplify: true, filters: {} },
			credential: { apiKey: WA_ONLY_KEY, baseUrl: BASE_URL },
		});
		expect(json.map((c) => c.id)).toEqual([201, 205]);
	});
});

describe('the router', () => {
	const send = (phone: string) => ({ resource: 'message', operation: 'send', phone, cascadeChoice: 'automatic', channel: '101', contentType: 'text', text: 'Hi', options: {} });

	test('continue on fail: each failing item becomes a paired error item; the others are sent', async () => {
		const phones = ['35790000001', 'not a phone', '35790000003'];
		const { output, edna } = await runNode({
			parameters: (i) => send(phones[i]),
			items: phones.map(() => ({ json: {} })),
			continueOnFail: true,
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json).toEqual({ error: 'The recipient phone "not a phone" is not a phone number', description: expect.stringContaining('international format') });
		expect(edna.accepted).toHaveLength(2);
	});

	test('an edna failure as an error item keeps edna’s title, status and detail', async () => {
		const edna = new FakeEdna();
		edna.fail('cascade/schedule', { status: 400, title: 'text-not-specified' });
		const { json } = await runNode({ parameters: send('35790000001'), edna, continueOnFail: true });
		expect(json[0]).toEqual({
			error: 'edna Pulse: text-not-specified: Injected fault',
			description: expect.stringContaining('Enter a text'),
			httpCode: '400',
			edna: { status: 400, title: 'text-not-specified', detail: 'Injected fault' },
		});
	});

	test('without continue on fail, the first failure stops the run and names its item', async () => {
		const phones = ['35790000001', 'x'];
		const error = await runNodeFailing({ parameters: (i) => send(phones[i]), items: phones.map(() => ({ json: {} })) });
		expect(error.context.itemIndex).toBe(1);
	});

	test('Get Many runs once per input item, each result paired with it', async () => {
		const { output } = await runNode({
			parameters: { resource: 'cascade', operation: 'getMany', returnAll: false, limit: 2, simplify: true, filters: {} },
			items: [{ json: {} }, { json: {} }],
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
	});

	test('an unknown operation', async () => {
		const error = await runNodeFailing({ parameters: { resource: 'message', operation: 'teleport' } });
		expect(error.message).toContain('"teleport"');
	});

	test('no key in any output item', async () => {
		const { json } = await runNode({ parameters: send('35790000001'), credential: { apiKey: MASTER_KEY, baseUrl: BASE_URL, webhookKey: 'sandbox-webhook-key-example' } });
		expect(JSON.stringify(json)).not.toMatch(/api-key-example|webhook-key-example/);
	});
});
