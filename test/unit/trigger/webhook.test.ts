/**
 * The behaviour table of the trigger, row by row, through the real webhook() entry point.
 */
import { fixture } from '../../support/fixtures';
import { TEST_KEY, answerOf, callWebhook, keyHeader, logLines } from '../../support/webhook';

const status = fixture('messageStatus', 'delivered');

describe("edna's URL verification", () => {
	test.each(['HEAD', 'GET'] as const)('%s answers 200 with an empty body, no key, no run', async (method) => {
		const call = await callWebhook({ method, headers: {} });
		expect(call.result).toEqual({ noWebhookResponse: true });
		expect(call.response).toMatchObject({ statusCode: 200, ended: true });
		expect(call.response.body).toBeUndefined();
		expect(call.items).toBeUndefined();
		expect(call.bodyRead).toBe(false);
	});

	test('HEAD is answered even when the credential cannot be read', async () => {
		const call = await callWebhook({ method: 'HEAD', credentialFails: true });
		expect(answerOf(call).status).toBe(200);
	});
});

describe('authentication', () => {
	test('no key: 401 with a JSON message, no run, body not read', async () => {
		const call = await callWebhook({ headers: { 'content-type': 'application/json' }, json: status });
		expect(answerOf(call)).toEqual({
			status: 401,
			body: { message: expect.stringContaining('Missing webhook key') },
		});
		expect(call.items).toBeUndefined();
		expect(call.bodyRead).toBe(false);
	});

	test.each([
		['shorter', 'x'],
		['same length', TEST_KEY.replace(/.$/, 'X')],
		['longer', `${TEST_KEY}${'y'.repeat(500)}`],
		['the key as a prefix', `${TEST_KEY}0`],
	])('wrong key (%s): 403 with a JSON message, no run', async (_case, key) => {
		const call = await callWebhook({ headers: keyHeader(key), json: status });
		expect(answerOf(call)).toEqual({ status: 403, body: { message: 'Wrong webhook key.' } });
		expect(call.items).toBeUndefined();
		expect(call.bodyRead).toBe(false);
	});

	test.each([
		['Token (as edna sends it)', { authorization: `Token ${TEST_KEY}` }],
		['token in lower case', { authorization: `token ${TEST_KEY}` }],
		['TOKEN in upper case', { authorization: `TOKEN ${TEST_KEY}` }],
		['Bearer', { authorization: `Bearer ${TEST_KEY}` }],
		['the bare key', { authorization: TEST_KEY }],
		['X-API-KEY', { 'x-api-key': TEST_KEY }],
	])('accepts the key as %s', async (_form, headers) => {
		const call = await callWebhook({ headers: { ...headers, 'content-type': 'application/json' }, json: status });
		expect(answerOf(call).status).toBe(200);
		expect(call.items).toHaveLength(1);
	});

	test('Basic is not an accepted scheme', async () => {
		const call = await callWebhook({ headers: { authorization: `Basic ${TEST_KEY}` }, json: status });
		expect(answerOf(call).status).toBe(403);
	});

	test('a key pasted into the credential with surrounding spaces still matches', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: status, credential: { webhookKey: ` ${TEST_KEY}\n` } });
		expect(call.items).toHaveLength(1);
	});

	test('an empty key in the credential rejects everything', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: status, credential: { webhookKey: '' } });
		expect(answerOf(call).status).toBe(403);
	});

	test('an unreadable credential answers 500 with a message and does not throw', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: status, credentialFails: true });
		expect(answerOf(call)).toEqual({ status: 500, body: { message: expect.stringContaining('credential') } });
		expect(call.items).toBeUndefined();
	});

	test('authentication "none" accepts requests without a key', async () => {
		const call = await callWebhook({
			parameters: { authentication: 'none' },
			headers: { 'content-type': 'application/json' },
			json: status,
			credential: null,
		});
		expect(call.items).toHaveLength(1);
	});

	test('the key never appears in answers, items or logs', async () => {
		logLines.length = 0;
		const calls = await Promise.all([
			callWebhook({ headers: keyHeader(), json: status }),
			callWebhook({ headers: keyHeader(`${TEST_KEY}-wrong`), json: status }),
			callWebhook({ headers: {}, json: status }),
			callWebhook({ headers: keyHeader(), raw: 'not json', }),
		]);
		const everything = JSON.stringify([calls.map((c) => [answerOf(c), c.items]), logLines]);
		expect(everything).not.toContain(TEST_KEY);
		expect(logLines.some((l) => l.includes('request rejected'))).toBe(true);
	});
});

describe('bodies', () => {
	test.each([
		['a number', '42'],
		['a string', '"hello"'],
		['null', 'null'],
		['an array of numbers', '[1,2]'],
		['a mixed array', '[{"status":"READ"},3]'],
		['a nested array', '[[{"status":"READ"}]]'],
		['an empty array', '[]'],
	])('%s: 400 with a clear message, no run', async (_case, text) => {
		const call = await callWebhook({ headers: keyHeader(), json: JSON.parse(text) });
		const answer = answerOf(call);
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ message: expect.stringMatching(/body|Element/) });
		expect(call.items).toBeUndefined();
	});

	test('an empty body: 400', async () => {
		const call = await callWebhook({ headers: keyHeader(), raw: '' });
		expect(answerOf(call)).toEqual({ status: 400, body: { message: expect.stringContaining('empty') } });
	});

	test('JSON sent as text/plain is still read', async () => {
		const call = await callWebhook({
			headers: { ...keyHeader(), 'content-type': 'text/plain' },
			raw: JSON.stringify(status),
		});
		expect(call.items).toHaveLength(1);
	});

	test('invalid JSON sent as text/plain: 400', async () => {
		const call = await callWebhook({ headers: { ...keyHeader(), 'content-type': 'text/plain' }, raw: '{"status":' });
		expect(answerOf(call)).toEqual({ status: 400, body: { message: 'The body is not valid JSON.' } });
	});

	test.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream'])(
		'content type %s: 415',
		async (type) => {
			const call = await callWebhook({ headers: { ...keyHeader(), 'content-type': type }, raw: 'a=b' });
			expect(answerOf(call).status).toBe(415);
			expect(call.items).toBeUndefined();
		},
	);
});

describe('events', () => {
	test('an event of the selected kind starts a run with one item', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: status });
		expect(answerOf(call)).toEqual({ status: 200, body: { message: 'Workflow was started' } });
		expect(call.items).toHaveLength(1);
		expect(call.items![0]).toMatchObject({ eventType: 'messageStatus', status: 'DELIVERED' });
	});

	test('an array of events gives one item per event', async () => {
		const call = await callWebhook({
			parameters: { event: 'templateStatus' },
			headers: keyHeader(),
			json: fixture('templateStatus', 'array'),
		});
		expect(call.items!.map((i) => i.templateName)).toEqual(['order_shipped', 'spring_sale']);
	});

	test('an event of another kind: 200, no run, a debug line saying why', async () => {
		logLines.length = 0;
		const call = await callWebhook({
			parameters: { event: 'incomingMessage' },
			headers: keyHeader(),
			json: status,
		});
		expect(answerOf(call)).toEqual({ status: 200, body: { message: expect.stringContaining('no event matched') } });
		expect(call.items).toBeUndefined();
		expect(logLines).toContainEqual(expect.stringContaining('(messageStatus) not emitted: otherKind'));
	});

	test('an event removed by a filter: 200, no run', async () => {
		const call = await callWebhook({
			parameters: { filters: { statuses: ['UNDELIVERED', 'FAILED'] } },
			headers: keyHeader(),
			json: status,
		});
		expect(answerOf(call).status).toBe(200);
		expect(call.items).toBeUndefined();
	});

	test('in an array, only the events that pass are emitted', async () => {
		const call = await callWebhook({
			parameters: { event: 'templateStatus', filters: { templateStatuses: ['REJECTED'] } },
			headers: keyHeader(),
			json: fixture('templateStatus', 'array'),
		});
		expect(call.items!.map((i) => i.id)).toEqual([5502]);
	});

	test('Any Event: an unrecognised object is emitted as "unknown"', async () => {
		const call = await callWebhook({
			parameters: { event: 'anyEvent' },
			headers: keyHeader(),
			json: { hello: 'edna', nested: { a: 1 } },
		});
		expect(call.items).toEqual([
			{ eventType: 'unknown', eventKey: expect.stringMatching(/^unknown:sha256:[0-9a-f]{32}$/), hello: 'edna', nested: { a: 1 } },
		]);
	});

	test('Any Event with kinds to keep: other kinds start nothing', async () => {
		const parameters = { event: 'anyEvent', anyEventTypes: ['incomingMessage'] };
		const skipped = await callWebhook({ parameters, headers: keyHeader(), json: status });
		expect(skipped.items).toBeUndefined();
		const kept = await callWebhook({ parameters, headers: keyHeader(), json: fixture('incomingMessage', 'text') });
		expect(kept.items).toHaveLength(1);
	});

	test('a single-kind trigger treats an unrecognised object as its kind, with validation issues', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: { requestId: 'r-1', status: 'READ' } });
		expect(call.items).toHaveLength(1);
		expect(call.items![0]).toMatchObject({
			eventType: 'messageStatus',
			requestId: 'r-1',
			validationIssues: expect.arrayContaining(['statusAt: Required', 'subject: Required']),
		});
	});

	test('ill-typed fields: emitted with validationIssues by default', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: { ...status, subjectId: true } });
		expect(call.items![0].validationIssues).toEqual(['subjectId: Expected a number or a string ID']);
	});

	test('ill-typed fields with Strict Validation: 400 naming the field, no run', async () => {
		const call = await callWebhook({
			parameters: { options: { strictValidation: true } },
			headers: keyHeader(),
			json: { ...status, statusAt: 1738235275 },
		});
		expect(answerOf(call)).toEqual({
			status: 400,
			body: { message: 'Event 0 is not a valid messageStatus event: statusAt: Expected string, received number' },
		});
		expect(call.items).toBeUndefined();
	});

	test('raw output: each item is the event exactly as sent', async () => {
		const body = fixture('incomingMessage', 'flow-array');
		const call = await callWebhook({
			parameters: { event: 'incomingMessage', output: 'raw' },
			headers: keyHeader(),
			json: body,
		});
		expect(call.items).toEqual(body);
	});

	test('test mode (listening for a test event) behaves the same', async () => {
		const call = await callWebhook({ mode: 'manual', headers: keyHeader(), json: status });
		expect(call.items).toHaveLength(1);
	});
});

describe('no state between requests', () => {
	test('interleaved requests with different settings and keys never mix', async () => {
		// Two workflows, each with its own credential (as in n8n: another key is another credential).
		const a = { workflowId: 'wf-a', credentialId: 'cred-a', parameters: { event: 'messageStatus', filters: { statuses: ['READ'] } }, credential: { webhookKey: 'example-key-a' } };
		const b = { workflowId: 'wf-b', credentialId: 'cred-b', parameters: { event: 'messageStatus', output: 'raw' }, credential: { webhookKey: 'example-key-b' } };
		const read = { ...status, status: 'READ' };
		const calls = await Promise.all([
			callWebhook({ ...a, headers: keyHeader('example-key-a'), json: status }),
			callWebhook({ ...b, headers: keyHeader('example-key-b'), json: status }),
			callWebhook({ ...a, headers: keyHeader('example-key-b'), json: read }),
			callWebhook({ ...b, headers: keyHeader('example-key-a'), json: read }),
			callWebhook({ ...a, headers: keyHeader('example-key-a'), json: read }),
			callWebhook({ ...b, headers: keyHeader('example-key-b'), json: read }),
		]);
		expect(calls.map((c) => answerOf(c).status)).toEqual([200, 200, 403, 403, 200, 200]);
		expect(calls[0].items).toBeUndefined(); // filtered by a's READ-only filter
		expect(calls[1].items).toEqual([status]); // b: raw, no filter
		expect(calls[4].items![0]).toMatchObject({ eventType: 'messageStatus', status: 'READ' });
		expect(calls[5].items).toEqual([read]);
	});

	test('the node keeps no fields that change between requests', async () => {
		const { EdnaPulseTrigger } = await import('../../../nodes/EdnaPulse/EdnaPulseTrigger.node');
		const node = new EdnaPulseTrigger();
		const before = JSON.stringify(node);
		await callWebhook({ headers: keyHeader(), json: status });
		expect(JSON.stringify(node)).toBe(before);
		expect(Object.keys(node).sort()).toEqual(['description', 'methods', 'webhookMethods']);
	});
});
