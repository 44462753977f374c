/**
 * The node's cascade reading against the sandbox's real `cascade/get-all` answer, in which each
 * fallback stage is nested in the stage before it: the node finds every stage in order, picks a
 * channel's own cascade by its stage count, and builds a send the sandbox accepts.
 */
import type { EdnaCascade } from '../../../../nodes/EdnaPulse/transport/lists';
import { simplifyCascade } from '../../../../nodes/EdnaPulse/actions/cascade/getMany.operation';
import { cascadeScheduleBody } from '../../../../nodes/EdnaPulse/actions/message/bodies';
import { automaticCascade, findCascade, stageTypes, stagesOf } from '../../../../nodes/EdnaPulse/actions/cascade/cascades';
import { startSandbox, type SandboxProcess } from '../../../support/sandbox';

let sandbox: SandboxProcess;
beforeAll(async () => {
	sandbox = await startSandbox();
}, 20_000);
afterAll(() => sandbox?.stop());

const post = (endpoint: string, body: unknown) => sandbox.post(endpoint, body);

describe('cascades as the sandbox lists them (fallback stages nested)', () => {
	let cascades: EdnaCascade[];
	beforeAll(async () => {
		cascades = (await post('cascade/get-all', { offset: 0, limit: 0 })).body as EdnaCascade[];
	});

	test('the answer nests: the two-stage cascade has one stage at the top, the SMS stage inside it', () => {
		const twoStage = cascades.find((c) => c.id === 204) as EdnaCascade;
		expect(twoStage.stages).toHaveLength(1);
		expect(twoStage.stages?.[0].stages).toEqual([expect.objectContaining({ subject: expect.objectContaining({ id: 103 }) })]);
	});

	test('the node reads every stage in order', () => {
		const twoStage = findCascade(cascades, 'id', '204');
		expect(stagesOf(twoStage).map((s) => s.subject?.id)).toEqual([101, 103]);
		expect(stageTypes(twoStage)).toEqual(['WHATSAPP', 'SMS']);
		expect(simplifyCascade(twoStage)).toMatchObject({ stagesCount: 2, channels: 'sandbox_wa → sandbox_sms' });
	});

	test("a channel's own cascade is the single-stage one, not the cascade that starts on it", () => {
		expect(automaticCascade(cascades, { subjectId: 101, subject: 'sandbox_wa' }).id).toBe(201);
	});

	test('a send through the nested cascade carries content for both stages, and the sandbox accepts it', async () => {
		const twoStage = findCascade(cascades, 'id', '204');
		const body = cascadeScheduleBody({
			requestId: 'nested-stages-1',
			cascadeId: Number(twoStage.id),
			phone: '35790000100',
			stageTypes: stageTypes(twoStage),
			content: { type: 'text', text: 'Your order is on its way' },
		});
		expect(Object.keys(body.content as object).sort()).toEqual(['smsContent', 'whatsappContent']);
		expect(await post('cascade/schedule', body)).toEqual({ status: 200, body: { requestId: 'nested-stages-1' } });
	});
});
