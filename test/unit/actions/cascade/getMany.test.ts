import { BASE_URL, WA_ONLY_KEY } from '../../../support/action/fakeEdna';
import { runNode } from '../../../support/action/run';

describe('Cascade → Get Many', () => {
	test('simplified: stage channels in order', async () => {
		const { json } = await runNode({ parameters: { resource: 'cascade', operation: 'getMany', returnAll: true, simplify: true, filters: {} } });
		expect(json).toHaveLength(5);
		expect(json[3]).toEqual({
			id: 204,
			name: 'WhatsApp, then SMS',
			status: 'ACTIVE',
			stagesCount: 2,
			channels: 'sandbox_wa → sandbox_sms',
			stages: [
				{ order: 1, channelType: 'WHATSAPP', subject: 'sandbox_wa', subjectId: 101, locked: false, uuid: '204-001-101' },
				{ order: 2, channelType: 'SMS', subject: 'sandbox_sms', subjectId: 103, locked: false, uuid: '204-002-103' },
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
