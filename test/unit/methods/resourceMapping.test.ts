/**
 * Send Template's variable fields as the editor gets them (getTemplateVariables), for the sandbox's own
 * templates (sandbox/seed.json, through the unit tests' edna fake): names short enough for n8n's editor
 * to show whole, and the field IDs that saved workflows keep their values under.
 */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { getTemplateVariables } from '../../../nodes/EdnaPulse/methods/resourceMapping';
import { MAX_FIELD_NAME } from '../../../nodes/EdnaPulse/actions/template/variables';
import { executeContext } from '../../support/action/context';
import { BASE_URL, FakeEdna, MASTER_KEY, TEMPLATES } from '../../support/action/fakeEdna';

const fieldsFor = async (templateId: number, subjectId = 101) => {
	const context = executeContext({
		parameters: {
			channel: { __rl: true, mode: 'list', value: String(subjectId) },
			template: { __rl: true, mode: 'list', value: String(templateId) },
		},
		edna: new FakeEdna(),
		credential: { apiKey: MASTER_KEY, baseUrl: BASE_URL },
	}) as unknown as ILoadOptionsFunctions;
	return await getTemplateVariables.call(context);
};

describe('Send Template variable fields (getTemplateVariables)', () => {
	test('track_parcel: the body variable with its example, the link button by its text, each readable whole', async () => {
		const { fields } = await fieldsFor(302);
		expect(fields.map((f) => [f.id, f.displayName])).toEqual([
			['body_1', 'Body {{1}} (e.g. Alex)'],
			['button_1', 'Button 1 "Track parcel"'],
		]);
	});

	test(`every field of every sandbox template has a name of at most ${MAX_FIELD_NAME} characters`, async () => {
		const names: string[] = [];
		for (const template of TEMPLATES) {
			for (const subjectId of template.subjectIds as number[]) {
				names.push(...(await fieldsFor(Number(template.id), subjectId)).fields.map((f) => f.displayName));
			}
		}
		expect(names.length).toBeGreaterThan(3);
		expect(names.filter((name) => name.length > MAX_FIELD_NAME)).toEqual([]);
	});

	test('field IDs, under which saved workflows keep the values, are the variables\' places', async () => {
		const { fields } = await fieldsFor(301);
		expect(fields.map((f) => f.id)).toEqual(['header_1', 'body_1', 'body_2']);
	});
});
