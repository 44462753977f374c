import { recognise } from '../../../../nodes/EdnaPulse/trigger/events/registry';
import { fixture } from '../../../support/fixtures';
import { itemsFor } from '../../../support/pipeline';

describe('WhatsApp template category changes', () => {
	test('simplified output names the template and its new category', () => {
		const [item] = itemsFor(fixture('templateCategory', 'current'), 'templateCategory');
		expect(item).toMatchObject({
			eventType: 'templateCategory',
			eventKey: 'templateCategory:123:MARKETING:2025-08-08T16:08:08.015356271Z',
			templateId: 123,
			templateName: 'Promotion',
			channelType: 'WHATSAPP',
			category: 'MARKETING',
			type: 'message_matcher.category_changed',
			version: 'v1',
		});
	});

	test('the older body without a version is valid and keeps its timestamp', () => {
		const [item] = itemsFor(fixture('templateCategory', 'legacy'), 'templateCategory');
		expect(item).toMatchObject({ templateId: 124, category: 'UTILITY', timestamp: '2025-06-16T12:34:56Z' });
		expect(item.version).toBeUndefined();
	});

	test('category filter', () => {
		const event = fixture('templateCategory', 'current');
		expect(itemsFor(event, 'templateCategory', { filters: { templateCategories: ['UTILITY'] } })).toHaveLength(0);
		expect(itemsFor(event, 'templateCategory', { filters: { templateCategories: ['MARKETING'] } })).toHaveLength(1);
	});

	test('an envelope with another type is not a category change', () => {
		expect(recognise({ ...fixture('templateCategory', 'current'), type: 'message_matcher.renamed' })).toBe('unknown');
	});
});
