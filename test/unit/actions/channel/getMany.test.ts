import { runNode } from '../../../support/action/run';

describe('Channel → Get Many', () => {
	test('every channel with its health fields', async () => {
		const { json } = await runNode({ parameters: { resource: 'channel', operation: 'getMany', returnAll: true, filters: {} } });
		expect(json).toHaveLength(4);
		expect(json[0]).toMatchObject({ subjectId: 101, subject: 'sandbox_wa', type: 'WHATSAPP', active: true, registrationStatus: 'DONE_BUSINESS_VERIFICATION', qualityScore: 'GREEN', qualityStatus: 'CONNECTED', limit: 'TIER_1K' });
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
		expect(json.map((c) => c.subject)).toEqual(['sandbox_wa', 'sandbox_sms', 'sandbox_wa_pending']);
	});
});
