import { readBody } from '../../../nodes/EdnaPulse/trigger/body';

const json = (body: unknown) => ({
	headers: { 'content-type': 'application/json; charset=utf-8' },
	body,
	rawBody: Buffer.from(JSON.stringify(body)),
});

describe('readBody', () => {
	test('uses the body n8n parsed for application/json', () => {
		expect(readBody(json({ a: 1 }))).toEqual({ events: [{ a: 1 }] });
		expect(readBody(json([{ a: 1 }, { b: 2 }]))).toEqual({ events: [{ a: 1 }, { b: 2 }] });
	});

	test.each(['text/plain', 'application/vnd.edna+json', 'text/json', ''])(
		'parses JSON itself for content type "%s"',
		(type) => {
			const raw = Buffer.from('\ufeff{"a":1}');
			expect(readBody({ headers: type ? { 'content-type': type } : {}, body: {}, rawBody: raw })).toEqual({ events: [{ a: 1 }] });
		},
	);

	test('keeps "__proto__" as a plain field, never as a prototype', () => {
		const result = readBody({ headers: { 'content-type': 'text/plain' }, rawBody: Buffer.from('{"__proto__":{"polluted":1}}') });
		expect(result.events?.[0]).toHaveProperty(['__proto__', 'polluted'], 1);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test.each([
		[Buffer.from(''), 'The body is empty: send an edna event as JSON.'],
		[Buffer.from('nope'), 'The body is not valid JSON.'],
	])('400 for %s', (rawBody, error) => {
		expect(readBody({ headers: { 'content-type': 'text/plain' }, rawBody })).toEqual({ status: 400, error });
	});

	test('415 for form, multipart and XML bodies', () => {
		for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/xml', 'application/octet-stream']) {
			expect(readBody({ headers: { 'content-type': type }, body: {}, rawBody: Buffer.from('a') })).toMatchObject({ status: 415 });
		}
	});
});
