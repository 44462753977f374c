import { readHistory } from '../../../../nodes/EdnaPulse/actions/message/getStatus.operation';
import { BASE_URL, FakeEdna, WA_ONLY_KEY } from '../../../support/action/fakeEdna';
import { runNode, runNodeFailing } from '../../../support/action/run';

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
