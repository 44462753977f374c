import type { IDataObject } from 'n8n-workflow';

import { chatInputOf, sessionIdOf } from '../../../../nodes/EdnaPulse/shared/chat';
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

	describe('fields for an AI agent: chatInput and sessionId', () => {
		const chatInputs = (name: string) =>
			itemsFor(fixture('incomingMessage', name), 'incomingMessage').map((i) => i.chatInput);

		test('every fixture gives a readable line: the text itself, or a bracketed kind and what a person reads', () => {
			expect(chatInputs('text')).toEqual(['Thank you for your help']);
			expect(chatInputs('legacy-2022')).toEqual(['Hello']);
			expect(chatInputs('button-bsuid')).toEqual(['[button] Yes, confirm (CONFIRM_ORDER)']);
			expect(chatInputs('list-picker')).toEqual(['[list] item 1 (01)']);
			expect(chatInputs('location')).toEqual(['[location] Minsk (53.9045, 27.5615)']);
			const [image] = chatInputs('image');
			expect(image).toMatch(/^\[image\] My receipt — https:\/\/files\.example\.com\/bucket\/photo\.jpg\?/);
			expect(chatInputs('flow-array')[0]).toMatch(/^\[form\] \{.*"provincia":"Cordoba"/);
		});

		test('media without a caption uses the file name; a type nobody knows still says what it is', () => {
			expect(chatInputOf({ type: 'DOCUMENT', attachment: { url: 'https://x.example/a.pdf', name: 'invoice.pdf' } })).toBe(
				'[document] invoice.pdf — https://x.example/a.pdf',
			);
			expect(chatInputOf({ type: 'AUDIO', attachment: { url: 'https://x.example/v.ogg' } })).toBe('[audio] https://x.example/v.ogg');
			expect(chatInputOf({ type: 'STICKER' })).toBe('[sticker]');
			expect(chatInputOf({ type: 'TEXT', text: '' })).toBe('[text]');
			expect(chatInputOf({ type: 'BUTTON', payload: 'YES' })).toBe('[button] YES');
			expect(chatInputOf({})).toBe('[message]');
		});

		test('sessionId is the channel and the customer; a BSUID is kept as it is', () => {
			const [text] = itemsFor(fixture('incomingMessage', 'text'), 'incomingMessage');
			expect(text.sessionId).toBe('345:35700000000');
			const [bsuid] = itemsFor(fixture('incomingMessage', 'button-bsuid'), 'incomingMessage');
			expect(bsuid.sessionId).toBe(`${String(bsuid.subjectId)}:BR.1A2B3C4D5E6F7A8B9C0D`);
		});

		test('the same customer on two channels is two sessions; no identifier gives null, not a shared key', () => {
			expect(sessionIdOf({ subjectId: 1, subscriber: { identifier: '357' } })).not.toBe(
				sessionIdOf({ subjectId: 2, subscriber: { identifier: '357' } }),
			);
			expect(sessionIdOf({ subjectId: 1, subscriber: {} })).toBeNull();
			expect(sessionIdOf({ subscriber: { identifier: '357' } })).toBeNull();
		});

		test('raw output stays edna\'s body as it is', () => {
			const [raw] = itemsFor(fixture('incomingMessage', 'text'), 'incomingMessage', { output: 'raw' });
			expect(raw).not.toHaveProperty('chatInput');
			expect(raw).not.toHaveProperty('sessionId');
		});
	});
});
