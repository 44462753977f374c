import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { PAGE_SIZE, page, searchCascades, searchChannels } from '../../../nodes/EdnaPulse/methods/listSearch';
import { executeContext } from '../../support/action/context';
import { BASE_URL, FakeEdna, MASTER_KEY, WA_ONLY_KEY } from '../../support/action/fakeEdna';
import { node } from '../../support/action/run';

const loadOptions = (edna = new FakeEdna(), apiKey = MASTER_KEY) =>
	executeContext({ parameters: {}, edna, credential: { apiKey, baseUrl: BASE_URL } }) as unknown as ILoadOptionsFunctions;

describe('pickers (listSearch)', () => {
	test('channels: active ones that can send, labelled with type and number, valued by subjectId', async () => {
		const result = await searchChannels.call(loadOptions());
		expect(result).toEqual({
			results: [
				{ name: 'sandbox_wa (WhatsApp, 35790000001)', value: '101' },
				{ name: 'sandbox_viber (Viber)', value: '102' },
				{ name: 'sandbox_sms (SMS)', value: '103' },
			],
			paginationToken: undefined,
		});
	});

	test('channels: filter on name or ID', async () => {
		expect((await searchChannels.call(loadOptions(), 'VIBER')).results.map((r) => r.value)).toEqual(['102']);
		expect((await searchChannels.call(loadOptions(), '103')).results.map((r) => r.value)).toEqual(['103']);
	});

	test('cascades: active ones, with their stages', async () => {
		const result = await searchCascades.call(loadOptions(), 'sms');
		expect(result.results).toEqual([
			{ name: 'SMS: sandbox_sms', value: '203' },
			{ name: 'WhatsApp, then SMS: sandbox_wa → sandbox_sms', value: '204' },
		]);
	});

	test('a restricted key lists only its own channels', async () => {
		const result = await searchChannels.call(loadOptions(new FakeEdna(), WA_ONLY_KEY));
		expect(result.results.map((r) => r.value)).toEqual(['101']);
	});

	test('paging: pages of 50, the token is the next offset, absent on the last page', () => {
		const items = Array.from({ length: 120 }, (_, i) => ({ name: `channel ${i}`, value: String(i) }));
		const first = page(items, '', undefined);
		expect(first.results).toHaveLength(PAGE_SIZE);
		expect(first.paginationToken).toBe('50');
		const second = page(items, '', first.paginationToken);
		expect(second.results[0].value).toBe('50');
		const last = page(items, '', second.paginationToken);
		expect(last.results).toHaveLength(20);
		expect(last.paginationToken).toBeUndefined();
		expect(page(items, 'channel 11', undefined).results.map((r) => r.value)).toEqual(['11', '110', '111', '112', '113', '114', '115', '116', '117', '118', '119']);
	});

	test('pickers work for an AI agent: every locator has by-ID and by-name modes', () => {
		const locators = node.description.properties.filter((p) => p.type === 'resourceLocator');
		expect(locators.length).toBeGreaterThanOrEqual(2);
		for (const locator of locators) {
			expect(locator.modes?.map((m) => m.name)).toEqual(expect.arrayContaining(['list', 'id', 'name']));
			const list = locator.modes?.find((m) => m.name === 'list');
			expect(Object.keys(node.methods.listSearch)).toContain(list?.typeOptions?.searchListMethod);
		}
	});
});
