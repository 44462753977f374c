import { BASE_URL, FakeEdna, MASTER_KEY } from '../../support/action/fakeEdna';
import { runNode, runNodeFailing } from '../../support/action/run';

describe('the router', () => {
	const send = (phone: string) => ({ resource: 'message', operation: 'send', phone, cascadeChoice: 'automatic', channel: '101', contentType: 'text', text: 'Hi', options: {} });

	test('continue on fail: each failing item becomes a paired error item; the others are sent', async () => {
		const phones = ['35790000001', 'not a phone', '35790000003'];
		const { output, edna } = await runNode({
			parameters: (i) => send(phones[i]),
			items: phones.map(() => ({ json: {} })),
			continueOnFail: true,
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json).toEqual({ error: 'The recipient phone "not a phone" is not a phone number', description: expect.stringContaining('international format') });
		expect(edna.accepted).toHaveLength(2);
	});

	test('an edna failure as an error item keeps edna’s title, status and detail', async () => {
		const edna = new FakeEdna();
		edna.fail('cascade/schedule', { status: 400, title: 'text-not-specified' });
		const { json } = await runNode({ parameters: send('35790000001'), edna, continueOnFail: true });
		expect(json[0]).toEqual({
			error: 'edna Pulse: text-not-specified: Injected fault',
			description: expect.stringContaining('Enter a text'),
			httpCode: '400',
			edna: { status: 400, title: 'text-not-specified', detail: 'Injected fault' },
		});
	});

	test('without continue on fail, the first failure stops the run and names its item', async () => {
		const phones = ['35790000001', 'x'];
		const error = await runNodeFailing({ parameters: (i) => send(phones[i]), items: phones.map(() => ({ json: {} })) });
		expect(error.context.itemIndex).toBe(1);
	});

	test("as an agent's tool, the error's message says how to fix the call (n8n tells the model the message only)", async () => {
		const error = await runNodeFailing({ parameters: send('call me on Monday'), nodeType: 'n8n-nodes-edna-pulse.ednaPulseTool' });
		expect(error.message).toBe(
			'The recipient phone "call me on Monday" is not a phone number. Use digits in international format, e.g. +357 9000 0001 or 35790000001 (spaces, dashes and a leading + are allowed).',
		);
		const plain = await runNodeFailing({ parameters: send('call me on Monday') });
		expect(plain.message).toBe('The recipient phone "call me on Monday" is not a phone number');
		expect(plain.description).toContain('international format');
	});

	test("an edna refusal as an agent's tool: edna's title and detail, then what to do", async () => {
		const edna = new FakeEdna();
		edna.fail('cascade/schedule', { status: 400, title: 'text-not-specified' });
		const error = await runNodeFailing({ parameters: send('35790000001'), edna, nodeType: 'n8n-nodes-edna-pulse.ednaPulseTool' });
		expect(error.message).toBe('edna Pulse: text-not-specified: Injected fault. The message text is empty. Enter a text.');
	});

	test('Get Many runs once per input item, each result paired with it', async () => {
		const { output } = await runNode({
			parameters: { resource: 'cascade', operation: 'getMany', returnAll: false, limit: 2, simplify: true, filters: {} },
			items: [{ json: {} }, { json: {} }],
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
	});

	test('an unknown operation', async () => {
		const error = await runNodeFailing({ parameters: { resource: 'message', operation: 'teleport' } });
		expect(error.message).toContain('"teleport"');
	});

	test('no key in any output item', async () => {
		const { json } = await runNode({ parameters: send('35790000001'), credential: { apiKey: MASTER_KEY, baseUrl: BASE_URL, webhookKey: 'sandbox-webhook-key-example' } });
		expect(JSON.stringify(json)).not.toMatch(/api-key-example|webhook-key-example/);
	});
});
