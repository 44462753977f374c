/**
 * The hostile-input corpus (test/fixtures/hostile/corpus.json) at unit level: every row the node
 * itself answers, through the real webhook() in n8n-core's WebhookContext, with the request shaped
 * as Node.js's HTTP server and n8n's body parser hand it to the node. test/e2e/hostile.test.mjs
 * plays every row, n8n's and Node.js's answers included, against a real n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import { readBody } from '../../../nodes/EdnaPulse/trigger/body';
import { MAX_BODY_DEPTH, splitBody } from '../../../nodes/EdnaPulse/trigger/pipeline';
import { decodedBody, leaks, materialize, rows, type CorpusRow, type HostileRequest } from '../../fixtures/hostile/corpus';
import { answerOf, callWebhook, logLines, TEST_KEY, type CallOptions } from '../../support/webhook';

const TRIGGERS: Record<string, IDataObject> = {
	any: { event: 'anyEvent' },
	status: { event: 'messageStatus', filters: { statuses: ['DELIVERED'] } },
	strict: { event: 'messageStatus', options: { strictValidation: true } },
};

/** Node.js keeps the first of these when a request repeats them, and joins other repeats with ", ". */
const FIRST_WINS = new Set([
	'authorization',
	'content-type',
	'content-length',
	'user-agent',
	'referer',
	'host',
	'from',
	'proxy-authorization',
]);

/** Header values as Node.js's HTTP server gives them: repeats merged, surrounding whitespace gone. */
function asNodeReads(headers: HostileRequest['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const values = (Array.isArray(value) ? value : [value]).map((v) => v.replace(/^[ \t]+|[ \t]+$/g, ''));
		out[name] = FIRST_WINS.has(name) ? values[0] : values.join(', ');
	}
	return out;
}

/** The call n8n makes for this request: application/json arrives parsed, anything else as text. */
function asN8nCalls(row: CorpusRow, request: HostileRequest): CallOptions {
	const headers = asNodeReads(request.headers);
	const text = decodedBody(request).toString('utf8');
	const n8nType = (headers['content-type'] ?? '').split(';')[0].toLowerCase();
	const options: CallOptions = {
		method: request.method as CallOptions['method'],
		headers,
		parameters: TRIGGERS[row.trigger ?? 'any'],
		credential: { webhookKey: TEST_KEY },
	};
	if (n8nType === 'application/json' && text !== '') {
		options.json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
		options.raw = text;
	} else {
		options.raw = text;
	}
	return options;
}

/**
 * n8n parses only an exact `application/json`: with a space before `;` it hands the node no parsed
 * body, which the harness cannot express (it always has one), so that row is checked on readBody below.
 */
const HARNESS_CANNOT_SHAPE = (row: CorpusRow) => /space before the semicolon/.test(row.name);

const nodeRows = rows.filter((row) => row.expect.by === 'node' && !HARNESS_CANNOT_SHAPE(row));

const valueAt = (value: unknown, dotted: string): unknown =>
	dotted.split('.').reduce<unknown>((v, part) => (v == null ? undefined : (v as Record<string, unknown>)[part]), value);

describe('hostile corpus, answered by the node', () => {
	test('covers most of the corpus', () => {
		expect(nodeRows.length).toBeGreaterThanOrEqual(60);
	});

	test.each(nodeRows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
		const request = materialize(row, TEST_KEY);
		const call = await callWebhook(asN8nCalls(row, request));
		const answer = answerOf(call);

		expect(answer.status).toBe(row.expect.status);
		const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
		expect(leaks(text, TEST_KEY)).toBe(false);
		if (row.expect.message) expect(text).toContain(row.expect.message);
		expect(call.items === undefined ? 0 : 1).toBe(row.expect.runs);
		if (answer.status === 401 || answer.status === 403) expect(call.bodyRead).toBe(false);

		if (call.items !== undefined) {
			expect(call.items.length).toBeGreaterThanOrEqual(1);
			if (row.expect.eventType) {
				for (const item of call.items) expect(item.eventType).toBe(row.expect.eventType);
			}
			if (row.expect.issues) {
				expect(call.items.some((item) => ((item.validationIssues as string[]) ?? []).length > 0)).toBe(true);
			}
			if (row.expect.intact) {
				const sent = valueAt(JSON.parse(request.body.toString('utf8')), row.expect.intact);
				expect(valueAt(call.items[0], row.expect.intact)).toEqual(sent);
			}
		}
	});

	test('no row reached Object.prototype', () => {
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'status')).toBe(false);
	});

	test('the key never reached n8n’s log', () => {
		expect(logLines.length).toBeGreaterThan(0);
		expect(logLines.some((line) => line.includes(TEST_KEY))).toBe(false);
	});
});

describe('bodies n8n leaves unparsed', () => {
	const event = JSON.stringify({ requestId: 'r-1', status: 'DELIVERED', statusAt: '2025-01-30T11:07:55Z' });

	test('a JSON event sent as "application/json ; charset=utf-8" is still read, not refused', () => {
		const result = readBody({
			headers: { 'content-type': 'application/json ; charset=utf-8' },
			body: undefined,
			rawBody: Buffer.from(event),
		});
		expect(result.error).toBeUndefined();
		expect(result.events).toEqual([JSON.parse(event)]);
	});

	test('invalid JSON there is the node’s 400, not a run', () => {
		const result = readBody({
			headers: { 'content-type': 'application/json ; charset=utf-8' },
			body: undefined,
			rawBody: Buffer.from('{"requestId":'),
		});
		expect(result).toMatchObject({ status: 400, error: 'The body is not valid JSON.' });
	});
});

describe('nesting depth', () => {
	const nested = (depth: number): unknown => {
		let value: unknown = 1;
		for (let i = 0; i < depth; i++) value = { a: value };
		return value;
	};

	test(`an event nested ${MAX_BODY_DEPTH} levels deep is accepted`, () => {
		expect(Array.isArray(splitBody(nested(MAX_BODY_DEPTH)))).toBe(true);
	});

	test(`one level more is refused with a reason, in an object or inside an array`, () => {
		expect(splitBody(nested(MAX_BODY_DEPTH + 1))).toContain('nested more than');
		expect(splitBody([{ ok: true }, nested(MAX_BODY_DEPTH)])).toContain('nested more than');
	});

	test('a body a million levels deep is refused without exhausting the stack', () => {
		expect(splitBody(nested(1_000_000))).toContain('nested more than');
	});
});
