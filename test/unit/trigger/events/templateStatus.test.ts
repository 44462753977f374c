import type { IDataObject } from 'n8n-workflow';

import { recognise } from '../../../../nodes/EdnaPulse/trigger/events/registry';
import { templateStatus } from '../../../../nodes/EdnaPulse/trigger/events/templateStatus';
import { fixture, fixtureEvents } from '../../../support/fixtures';
import { itemsFor } from '../../../support/pipeline';

describe('template status events', () => {
	test('the current array format: recognised, valid, one item per template', () => {
		const body = fixtureEvents('templateStatus', 'array');
		for (const template of body) {
			expect(recognise(template)).toBe('templateStatus');
			expect(templateStatus.validate(template)).toEqual([]);
		}
		const items = itemsFor(body, 'templateStatus');
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({
			eventType: 'templateStatus',
			eventKey: 'templateStatus:5501:APPROVED:2026-01-11T10:20:30.456Z',
			templateId: 5501,
			templateName: 'order_shipped',
			status: 'APPROVED',
			category: 'UTILITY',
			text: 'Hello {{1}}, your order {{2}} has shipped.',
			subjectIds: null,
		});
	});

	test('the older {messageMatcher, subjectIds} format gives the same fields', () => {
		const body = fixture('templateStatus', 'legacy-object');
		expect(recognise(body)).toBe('templateStatus');
		expect(templateStatus.validate(body)).toEqual([]);
		const [item] = itemsFor(body, 'templateStatus');
		expect(item).toMatchObject({
			eventKey: 'templateStatus:4101:PENDING:2023-07-21T13:51:47.862Z',
			templateId: 4101,
			templateName: 'otp_code',
			id: 4101,
			name: 'otp_code',
			status: 'PENDING',
			category: 'AUTHORIZATION',
			subjectIds: [345, 346],
			messageMatcher: body.messageMatcher as IDataObject,
		});
		// The empty keyboard written as `row` (not `rows`) is kept as sent.
		expect(item.content).toEqual((body.messageMatcher as IDataObject).content);
	});

	test('status, category and channel type filters', () => {
		const body = fixtureEvents('templateStatus', 'array');
		const ids = (filters: IDataObject) => itemsFor(body, 'templateStatus', { filters }).map((i) => i.templateId);
		expect(ids({ templateStatuses: ['rejected'] })).toEqual([5502]);
		expect(ids({ templateCategories: ['UTILITY'] })).toEqual([5501]);
		expect(ids({ channelTypes: ['VIBER'] })).toEqual([5502]);
		expect(ids({ otherTemplateStatuses: 'APPROVED, PAUSED' })).toEqual([5501]);
	});

	test('channel ID filter applies to the older format, which names channels', () => {
		const body = fixture('templateStatus', 'legacy-object');
		expect(itemsFor(body, 'templateStatus', { filters: { subjectIds: '346' } })).toHaveLength(1);
		expect(itemsFor(body, 'templateStatus', { filters: { subjectIds: '999' } })).toHaveLength(0);
		// The current array names no channel: a channel ID filter cannot remove it.
		expect(itemsFor(fixtureEvents('templateStatus', 'array'), 'templateStatus', { filters: { subjectIds: '999' } })).toHaveLength(2);
	});

	test('a template without its status still reaches a template trigger, with the field reported', () => {
		const rest = { ...fixtureEvents('templateStatus', 'array')[0] };
		delete rest.status;
		const [item] = itemsFor([rest], 'templateStatus');
		expect(item).toMatchObject({ templateId: 5501, validationIssues: ['status: Required'] });
	});
});
