import { fixture } from '../../../support/fixtures';
import { itemsFor } from '../../../support/pipeline';

describe('message status events', () => {
	test('simplified output keeps edna fields and adds the conversation details', () => {
		const [item] = itemsFor(fixture('messageStatus', 'delivered'), 'messageStatus');
		expect(item).toEqual({
			eventType: 'messageStatus',
			eventKey: 'messageStatus:test-00135:8681748:DELIVERED:2025-01-30T11:07:55Z',
			...fixture('messageStatus', 'delivered'),
			conversationId: 'test0001',
			conversationType: 'marketing',
			chargeable: true,
		});
	});

	test('without paymentData (SMS, older FAILED example) the conversation fields are null', () => {
		const [item] = itemsFor(fixture('messageStatus', 'failed-null-request'), 'messageStatus');
		expect(item).toMatchObject({ requestId: null, conversationId: null, conversationType: null, chargeable: null });
	});

	test('requestId null and no messageId: the key falls back to a digest of the event', () => {
		const [item] = itemsFor(fixture('messageStatus', 'failed-null-request'), 'messageStatus');
		expect(item.eventKey).toMatch(/^messageStatus:sha256:[0-9a-f]{32}$/);
	});

	test('nanosecond timestamps are kept exactly as sent', () => {
		const [item] = itemsFor(fixture('messageStatus', 'sent-nanoseconds'), 'messageStatus');
		expect(item.statusAt).toBe('2026-06-18T08:00:00.015356271Z');
		expect(item.eventKey).toContain('2026-06-18T08:00:00.015356271Z');
	});

	test('unknown statuses and extra fields pass through', () => {
		const [item] = itemsFor(fixture('messageStatus', 'lowercase-unknown-status'), 'messageStatus');
		expect(item).toMatchObject({ status: 'no-match-template', trafficType: 'TRANSACTIONAL' });
		expect(item.validationIssues).toBeUndefined();
	});

	test('status filters match case-insensitively, including free-text statuses', () => {
		const legacy = fixture('messageStatus', 'lowercase-unknown-status');
		expect(itemsFor(legacy, 'messageStatus', { filters: { otherStatuses: 'NO-MATCH-TEMPLATE' } })).toHaveLength(1);
		expect(itemsFor(legacy, 'messageStatus', { filters: { statuses: ['DELIVERED'] } })).toHaveLength(0);
		const delivered = { ...fixture('messageStatus', 'delivered'), status: 'delivered' };
		expect(itemsFor(delivered, 'messageStatus', { filters: { statuses: ['DELIVERED'] } })).toHaveLength(1);
	});

	test('channel filters use subject and subjectId', () => {
		const event = fixture('messageStatus', 'delivered');
		expect(itemsFor(event, 'messageStatus', { filters: { subjects: 'other, test_subject' } })).toHaveLength(1);
		expect(itemsFor(event, 'messageStatus', { filters: { subjects: 'other' } })).toHaveLength(0);
		expect(itemsFor(event, 'messageStatus', { filters: { subjectIds: '2' } })).toHaveLength(1);
		expect(itemsFor(event, 'messageStatus', { filters: { subjectIds: '3, 4' } })).toHaveLength(0);
	});
});
