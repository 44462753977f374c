import { BuildError } from '../../../../nodes/EdnaPulse/actions/errors';
import { attachmentName, cascadeContent, cascadeScheduleBody, contentOf, historyBody, markAsReadBody, normalisePhone, utcTime } from '../../../../nodes/EdnaPulse/actions/message/bodies';

describe('recipient phone', () => {
	test.each([
		['+357 9000-0001', '35790000001'],
		['35790000001', '35790000001'],
		[' 7 900 000 00 00 ', '79000000000'],
		[79000000000, '79000000000'],
	])('%p → %p', (given, phone) => expect(normalisePhone(given)).toBe(phone));

	test.each(['', '  ', '+357 (900) 1', 'BR.1A2B', '3579abc'])('%p is refused before anything is sent', (given) => {
		expect(() => normalisePhone(given)).toThrow(BuildError);
	});
});

describe('cascade/schedule bodies (docs/edna-api.md §2.1)', () => {
	const base = { requestId: 'req-1', cascadeId: 201, phone: '35790000001' };

	test('WhatsApp text', () => {
		expect(cascadeScheduleBody({ ...base, stageTypes: ['WHATSAPP'], content: { type: 'text', text: 'Hello' } })).toEqual({
			requestId: 'req-1',
			cascadeId: 201,
			subscriberFilter: { address: '35790000001', type: 'PHONE' },
			content: { whatsappContent: { contentType: 'TEXT', text: 'Hello' } },
		});
	});

	test('send time in UTC and a comment', () => {
		const body = cascadeScheduleBody({
			...base,
			stageTypes: ['WHATSAPP'],
			content: { type: 'text', text: 'Hi' },
			startTime: '2026-07-01T12:30:00+03:00',
			comment: 'order 77',
		});
		expect(body).toMatchObject({ startTime: '2026-07-01T09:30:00Z', comment: 'order 77' });
	});

	test.each([
		['image', 'IMAGE'],
		['document', 'DOCUMENT'],
		['video', 'VIDEO'],
		['audio', 'AUDIO'],
	] as const)('WhatsApp %s by URL with its name', (type, contentType) => {
		const content = contentOf({ contentType: type, mediaUrl: 'https://example.com/files/offer.pdf', mediaName: 'Offer' });
		expect(cascadeContent(['WHATSAPP'], content)).toEqual({
			whatsappContent: { contentType, attachment: { url: 'https://example.com/files/offer.pdf', name: 'Offer' } },
		});
	});

	test('location', () => {
		const content = contentOf({ contentType: 'location', latitude: 48.4564, longitude: 56.7645, address: 'London' });
		expect(cascadeContent(['WHATSAPP'], content)).toEqual({
			whatsappContent: { contentType: 'LOCATION', location: { latitude: 48.4564, longitude: 56.7645, address: 'London' } },
		});
		expect(() => cascadeContent(['VIBER'], content)).toThrow('cannot carry a location');
	});

	test('Viber and SMS', () => {
		const text = { type: 'text' as const, text: 'Hi' };
		expect(cascadeContent(['VIBER'], text)).toEqual({ viberContent: { contentType: 'TEXT', text: 'Hi' } });
		expect(cascadeContent(['SMS'], text)).toEqual({ smsContent: { contentType: 'TEXT', text: 'Hi' } });
	});

	test('WhatsApp → SMS: content for exactly both stages; SMS reuses the text unless a fallback is given', () => {
		const text = { type: 'text' as const, text: 'Your order shipped' };
		expect(cascadeContent(['WHATSAPP', 'SMS'], text)).toEqual({
			whatsappContent: { contentType: 'TEXT', text: 'Your order shipped' },
			smsContent: { contentType: 'TEXT', text: 'Your order shipped' },
		});
		expect(cascadeContent(['WHATSAPP', 'SMS'], text, 'Shipped: see app').smsContent).toEqual({ contentType: 'TEXT', text: 'Shipped: see app' });
	});

	test('an SMS stage with a media message needs the fallback text, and says so', () => {
		const image = contentOf({ contentType: 'image', mediaUrl: 'https://example.com/a.jpg' });
		expect(() => cascadeContent(['WHATSAPP', 'SMS'], image)).toThrow('an SMS cannot carry an image');
		try {
			cascadeContent(['WHATSAPP', 'SMS'], image);
		} catch (error) {
			expect((error as BuildError).description).toContain('SMS Fallback Text');
		}
		expect(cascadeContent(['WHATSAPP', 'SMS'], image, 'See the picture in WhatsApp').smsContent).toEqual({
			contentType: 'TEXT',
			text: 'See the picture in WhatsApp',
		});
	});

	test('a stage of a channel the node cannot fill, or no stage', () => {
		expect(() => cascadeContent(['PUSH'], { type: 'text', text: 'x' })).toThrow('PUSH stage');
		expect(() => cascadeContent([], { type: 'text', text: 'x' })).toThrow('no stages');
	});
});

describe('content fields', () => {
	test('empty text is refused', () => expect(() => contentOf({ contentType: 'text', text: ' ' })).toThrow('text is empty'));

	test('media needs a URL; the name defaults to the file name and may not exceed 70 characters', () => {
		expect(() => contentOf({ contentType: 'image', mediaUrl: '' })).toThrow('media URL is empty');
		expect(() => contentOf({ contentType: 'image', mediaUrl: 'file.jpg' })).toThrow('not a URL');
		expect(attachmentName('https://example.com/files/My%20offer.pdf?x=1', '')).toBe('My offer.pdf');
		expect(attachmentName('https://example.com/', '')).toBe('file');
		expect(attachmentName('https://example.com/a.pdf', 'x'.repeat(70))).toHaveLength(70);
		expect(() => attachmentName('https://example.com/a.pdf', 'x'.repeat(71))).toThrow('at most 70');
		expect(attachmentName(`https://example.com/${'y'.repeat(90)}.pdf`, '')).toHaveLength(70);
	});

	test('coordinates are checked', () => {
		expect(() => contentOf({ contentType: 'location', latitude: 91, longitude: 0 })).toThrow('latitude');
		expect(() => contentOf({ contentType: 'location', latitude: 0, longitude: 'x' })).toThrow('longitude');
	});

	test('times', () => {
		expect(utcTime('2026-07-01T09:30:00')).toBe('2026-07-01T09:30:00Z');
		expect(utcTime('2026-07-01T09:30:00.250Z')).toBe('2026-07-01T09:30:00.250Z');
		expect(() => utcTime('tomorrow')).toThrow('not a date');
	});
});

describe('in-message/change-status (docs/edna-api.md §5.3)', () => {
	test('the incoming id as a number and READ', () => {
		expect(markAsReadBody(288101)).toEqual({ id: 288101, status: 'READ' });
		expect(markAsReadBody(' 288101 ')).toEqual({ id: 288101, status: 'READ' });
	});
	test.each(['', 'abc', -1, 1.5, undefined])('%p is refused', (id) => expect(() => markAsReadBody(id)).toThrow(BuildError));
});

describe('messages/history (docs/edna-api.md §6)', () => {
	test('by edna message ID', () => {
		expect(historyBody({ messageId: '567891' }, 0, 1000)).toEqual({ messageId: 567891, offset: 0, limit: 1000 });
		expect(() => historyBody({ messageId: 'req-uuid' }, 0, 1)).toThrow('not a whole number');
	});
	test('by phone and period, with filters', () => {
		expect(
			historyBody(
				{ phone: '35000000000', dateFrom: '2024-07-01T00:00:00Z', dateTo: '2024-07-22T00:00:00Z', direction: 'OUT', channelTypes: ['SMS'] },
				100,
				50,
			),
		).toEqual({
			subscriberFilter: { address: '35000000000', type: 'PHONE' },
			dateFrom: '2024-07-01T00:00:00Z',
			dateTo: '2024-07-22T00:00:00Z',
			direction: 'OUT',
			channelTypes: ['SMS'],
			offset: 100,
			limit: 50,
		});
	});
});
