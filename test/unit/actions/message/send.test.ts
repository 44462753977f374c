import type { IHttpRequestOptions } from 'n8n-workflow';

import { fixtureBody } from '../../../support/io';
import { FakeEdna } from '../../../support/action/fakeEdna';
import { runNode, runNodeFailing } from '../../../support/action/run';

const text = (extra: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'send',
	phone: '+357 9000-0001',
	cascadeChoice: 'automatic',
	channel: { __rl: true, mode: 'list', value: '101' },
	contentType: 'text',
	text: 'Hello from n8n',
	options: {},
	...extra,
});

describe('Message → Send', () => {
	test('text on a channel, through its own cascade: the output names the ID, its source, the channel and edna’s answer', async () => {
		const { json, edna, output } = await runNode({ parameters: text() });
		expect(edna.accepted).toEqual([
			{
				requestId: json[0].requestId,
				cascadeId: 201,
				subscriberFilter: { address: '35790000001', type: 'PHONE' },
				content: { whatsappContent: { contentType: 'TEXT', text: 'Hello from n8n' } },
			},
		]);
		expect(json[0]).toEqual({
			requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			idSource: 'execution',
			outcome: 'sent',
			channelType: 'WHATSAPP',
			subject: 'sandbox_wa',
			subjectId: 101,
			recipient: '35790000001',
			cascadeId: 201,
			response: { requestId: json[0].requestId },
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	test('one credential read for a whole batch: n8n gets the credential with every request instead of decrypting it again', async () => {
		const items = [0, 1, 2, 3].map((i) => ({ json: { n: i } }));
		const seen: IHttpRequestOptions[] = [];
		const { json, reads, edna } = await runNode({ parameters: text(), items, seen });
		expect(json.map((j) => j.outcome)).toEqual(['sent', 'sent', 'sent', 'sent']);
		expect(reads.credential).toBe(1);
		// channel-profile, cascade/get-all once each, then one cascade/schedule per item, all with the key
		expect(seen).toHaveLength(2 + items.length);
		expect(edna.accepted).toHaveLength(items.length);
		for (const request of seen) expect(request.headers?.['X-API-KEY']).toBeTruthy();
	});

	test('channel by name and by ID; a comment and a send time', async () => {
		const { edna } = await runNode({
			parameters: text({
				channel: { __rl: true, mode: 'name', value: 'sandbox_viber' },
				options: { comment: 'order 77', startTime: '2026-07-01T09:30:00Z' },
			}),
		});
		expect(edna.accepted[0]).toMatchObject({ cascadeId: 202, comment: 'order 77', startTime: '2026-07-01T09:30:00Z', content: { viberContent: { contentType: 'TEXT' } } });
		const byId = await runNode({ parameters: text({ channel: { __rl: true, mode: 'id', value: '103' } }) });
		expect(byId.edna.accepted[0]).toMatchObject({ cascadeId: 203, content: { smsContent: { text: 'Hello from n8n' } } });
	});

	test('a chosen multi-stage cascade gets content for each stage (WhatsApp → SMS)', async () => {
		const { edna, json } = await runNode({
			parameters: text({
				cascadeChoice: 'cascade',
				cascade: { __rl: true, mode: 'list', value: '204' },
				contentType: 'image',
				mediaUrl: 'https://example.com/files/menu.jpg',
				mediaName: '',
				options: { fallbackText: 'Our menu: example.com/menu' },
			}),
		});
		expect(edna.accepted[0].content).toEqual({
			whatsappContent: { contentType: 'IMAGE', attachment: { url: 'https://example.com/files/menu.jpg', name: 'menu.jpg' } },
			smsContent: { contentType: 'TEXT', text: 'Our menu: example.com/menu' },
		});
		expect(json[0]).toMatchObject({ cascadeId: 204, channelType: 'WHATSAPP', subjectId: 101 });
	});

	test('cascade by name; a disabled cascade is refused', async () => {
		const { edna } = await runNode({ parameters: text({ cascadeChoice: 'cascade', cascade: { __rl: true, mode: 'name', value: 'whatsapp, then sms' } }) });
		expect(edna.accepted[0].content).toEqual({
			whatsappContent: { contentType: 'TEXT', text: 'Hello from n8n' },
			smsContent: { contentType: 'TEXT', text: 'Hello from n8n' },
		});
		const error = await runNodeFailing({ parameters: text({ cascadeChoice: 'cascade', cascade: { __rl: true, mode: 'id', value: '205' } }) });
		expect(error.message).toContain('disabled');
	});

	test('location', async () => {
		const { edna } = await runNode({ parameters: text({ contentType: 'location', latitude: 48.4564, longitude: 56.7645, address: 'London' }) });
		expect(edna.accepted[0].content).toEqual({
			whatsappContent: { contentType: 'LOCATION', location: { latitude: 48.4564, longitude: 56.7645, address: 'London' } },
		});
	});

	test('the same run again (n8n retries the node): the same requestId, outcome alreadySent, one message', async () => {
		const edna = new FakeEdna();
		const first = await runNode({ parameters: text(), edna });
		const again = await runNode({ parameters: text(), edna });
		expect(again.json[0]).toMatchObject({ requestId: first.json[0].requestId, outcome: 'alreadySent', response: { title: 'requestId-is-not-unique' } });
		expect(edna.accepted).toHaveLength(1);
		const nextExecution = await runNode({ parameters: text(), edna, executionId: 'exec-2' });
		expect(nextExecution.json[0].outcome).toBe('sent');
	});

	test('a Send ID option is sent as given (custom)', async () => {
		const { json, edna } = await runNode({ parameters: text({ options: { sendId: 'order-77-shipped' } }) });
		expect(json[0]).toMatchObject({ requestId: 'order-77-shipped', idSource: 'custom' });
		expect(edna.accepted[0].requestId).toBe('order-77-shipped');
	});

	test('items from the trigger: one ID per event; the same event twice in a batch gets two distinct IDs', async () => {
		const event = { eventType: 'incomingMessage', eventKey: 'incomingMessage:345:101' };
		const { json } = await runNode({ parameters: text(), items: [{ json: event }, { json: event }, { json: { ...event, eventKey: 'other' } }] });
		expect(json.map((j) => j.idSource)).toEqual(['eventKey', 'eventKey', 'eventKey']);
		expect(new Set(json.map((j) => j.requestId)).size).toBe(3);
	});

	test.each([
		['no single-stage cascade for the channel', { channel: { __rl: true, mode: 'id', value: '999' } }, 'No channel with ID 999'],
		['an inactive channel', { channel: { __rl: true, mode: 'name', value: 'sandbox_wa_pending' } }, 'not active'],
		['a phone with letters', { phone: 'call me' }, 'not a phone number'],
		['an SMS stage with an image and no fallback text', { cascadeChoice: 'cascade', cascade: { __rl: true, mode: 'id', value: '204' }, contentType: 'image', mediaUrl: 'https://example.com/a.jpg', mediaName: '' }, 'SMS cannot carry an image'],
		['a media name over 70 characters', { contentType: 'document', mediaUrl: 'https://example.com/a.pdf', mediaName: 'n'.repeat(71) }, 'at most 70'],
	])('refused before sending: %s', async (_case, extra, message) => {
		const error = await runNodeFailing({ parameters: text(extra) });
		expect(error.message).toContain(message);
	});

	test('binary input: edna takes media by URL', async () => {
		const error = await runNodeFailing({
			parameters: text({ contentType: 'image', mediaUrl: '', mediaName: '' }),
			items: [{ json: {}, binary: { data: { data: '', mimeType: 'image/png' } } }],
		});
		expect(error.message).toBe('edna Pulse takes media by URL, not as a file');
		expect(error.description).toContain('https:// URL');
	});

	test('automatic cascade: none or several for the channel, with the fix named', async () => {
		const edna = new FakeEdna();
		jest.spyOn(edna, 'request').mockImplementation(async (options) => {
			if (options.url.endsWith('cascade/get-all')) {
				const one = { id: 301, name: 'A', status: 'ACTIVE', stages: [{ order: 0, subject: { id: 101, type: 'WHATSAPP' } }] };
				return { statusCode: 200, body: [one, { ...one, id: 302, name: 'B' }], headers: {} };
			}
			return await FakeEdna.prototype.request.call(edna, options);
		});
		const several = await runNodeFailing({ parameters: text(), edna });
		expect(several.message).toContain('Several active single-stage cascades');
		expect(several.message).toContain('A (ID 301), B (ID 302)');
		expect(several.description).toContain('Choose a Cascade');
		const none = await runNodeFailing({ parameters: text({ channel: { __rl: true, mode: 'id', value: '102' } }), edna });
		expect(none.message).toContain('No active single-stage cascade');
	});

	test('an agent may give the channel as a plain value', async () => {
		const { edna } = await runNode({ parameters: text({ channel: '101' }) });
		expect(edna.accepted).toHaveLength(1);
	});

	test('the trigger fixture as input', async () => {
		const event = fixtureBody('incomingMessage', 'text') as Record<string, unknown>;
		const { json } = await runNode({ parameters: text(), items: [{ json: { ...event, eventKey: 'incomingMessage:345:101' } }] });
		expect(json[0].idSource).toBe('eventKey');
	});
});
