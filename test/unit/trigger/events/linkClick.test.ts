import { fixture } from '../../../support/fixtures';
import { itemsFor } from '../../../support/pipeline';

describe('WhatsApp link-button clicks', () => {
	test('simplified output flattens the payload', () => {
		const [item] = itemsFor(fixture('linkClick', 'current'), 'linkClick');
		expect(item).toMatchObject({
			eventType: 'linkClick',
			eventKey: 'linkClick:5345345:f42kL:2025-08-10T12:32:56Z',
			templateId: 1333,
			messageId: 5345345,
			requestId: '059cc352-f6a2-4fb0-b717-a56fa0c820bf',
			phone: '79991234567',
			url: 'google.ru',
			shortLink: 'f42kL',
			subject: 'test-channel',
			channelType: 'WHATSAPP',
		});
	});

	test('the older body: no requestId, a full-URL short link', () => {
		const [item] = itemsFor(fixture('linkClick', 'legacy'), 'linkClick');
		expect(item).toMatchObject({ requestId: null, shortLink: 'https://evtb.me/link/f42kL' });
	});

	test('channel name filter uses the sender', () => {
		const event = fixture('linkClick', 'current');
		expect(itemsFor(event, 'linkClick', { filters: { subjects: 'test-channel' } })).toHaveLength(1);
		expect(itemsFor(event, 'linkClick', { filters: { subjects: 'other' } })).toHaveLength(0);
	});
});
