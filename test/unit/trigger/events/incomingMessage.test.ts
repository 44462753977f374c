import type { IDataObject } from 'n8n-workflow';

import { fixture } from '../../../support/fixtures';
import { itemsFor } from '../../../support/pipeline';

describe('incoming message events', () => {
	test('text message: friendly fields', () => {
		const [item] = itemsFor(fixture('incomingMessage', 'text'), 'incomingMessage');
		expect(item).toMatchObject({
			eventType: 'incomingMessage',
			eventKey: 'incomingMessage:345:101',
			senderId: '35700000000',
			senderName: 'alex',
			contentType: 'TEXT',
			text: 'Thank you for your help',
			caption: null,
			attachmentUrl: null,
			buttonPayload: null,
			selectedItemId: null,
			latitude: null,
			flowResponse: null,
			replyOutMessageExternalRequestId: '2c2dd5f1-5ad8-449d-9c38-b6bdf288f1e5',
		});
	});

	test('a WhatsApp Flow array gives one item per reply, with the form answers parsed', () => {
		const items = itemsFor(fixture('incomingMessage', 'flow-array'), 'incomingMessage');
		expect(items.map((i) => i.eventKey)).toEqual(['incomingMessage:410:7001', 'incomingMessage:410:7002']);
		expect(items[0].flowResponse).toEqual({ provincia: 'Cordoba', flow_token: 'flow-token-example-1' });
		expect(items[1].senderName).toBeNull();
	});

	test('list picker: the chosen item', () => {
		const [item] = itemsFor(fixture('incomingMessage', 'list-picker'), 'incomingMessage');
		expect(item).toMatchObject({ selectedItemId: '01', selectedItemTitle: 'item 1', senderName: 'alex', replyInMessageId: 101 });
	});

	test('image: attachment URL and caption', () => {
		const [item] = itemsFor(fixture('incomingMessage', 'image'), 'incomingMessage');
		expect(item).toMatchObject({ contentType: 'IMAGE', caption: 'My receipt', attachmentName: null });
		expect(item.attachmentUrl).toMatch(/^https:\/\/files\.example\.com\//);
	});

	test('button reply from a BSUID customer: payload and identifier kept as text', () => {
		const [item] = itemsFor(fixture('incomingMessage', 'button-bsuid'), 'incomingMessage');
		expect(item).toMatchObject({ senderId: 'BR.1A2B3C4D5E6F7A8B9C0D', buttonPayload: 'CONFIRM_ORDER', contentType: 'BUTTON' });
	});

	test('location: latitude, longitude and address', () => {
		const [item] = itemsFor(fixture('incomingMessage', 'location'), 'incomingMessage');
		expect(item).toMatchObject({ latitude: 53.9045, longitude: 27.5615, address: 'Minsk', senderName: 'Pavel' });
	});

	test('first and last name are used when there is no user name', () => {
		const event = { ...fixture('incomingMessage', 'text'), userInfo: { userName: null, firstName: 'Ana', lastName: 'Lima' } };
		expect(itemsFor(event, 'incomingMessage')[0].senderName).toBe('Ana Lima');
	});

	test('content type filter, including free-text types', () => {
		const text = fixture('incomingMessage', 'text');
		expect(itemsFor(text, 'incomingMessage', { filters: { contentTypes: ['IMAGE'] } })).toHaveLength(0);
		expect(itemsFor(text, 'incomingMessage', { filters: { contentTypes: ['TEXT'] } })).toHaveLength(1);
		const sticker = { ...text, messageContent: { ...(text.messageContent as IDataObject), type: 'STICKER' } };
		expect(itemsFor(sticker, 'incomingMessage', { filters: { otherContentTypes: 'sticker' } })).toHaveLength(1);
	});

	test('a missing subscriber identifier is reported, not rejected', () => {
		const event = { ...fixture('incomingMessage', 'text'), subscriber: { id: 1 } };
		expect(itemsFor(event, 'incomingMessage')[0].validationIssues).toEqual(['subscriber.identifier: Required']);
	});
});
