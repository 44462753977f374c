import { checkWebhookKey, presentedKeys, sameKey } from '../../../nodes/EdnaPulse/trigger/auth';

const KEY = 'example-key-7f3a';

describe('checkWebhookKey', () => {
	test.each([
		[{ authorization: `Token ${KEY}` }],
		[{ authorization: `tOkEn ${KEY}` }],
		[{ authorization: `Bearer ${KEY}` }],
		[{ authorization: `Token \t ${KEY}` }],
		[{ authorization: KEY }],
		[{ 'x-api-key': KEY }],
		[{ authorization: 'Token wrong', 'x-api-key': KEY }],
		[{ authorization: [`Token ${KEY}`, 'Token other'] }],
	])('accepts %j', (headers) => {
		expect(checkWebhookKey(headers, KEY)).toBe('ok');
	});

	test.each([[{}], [{ authorization: '' }], [{ authorization: '   ' }], [{ 'x-api-key': '' }]])(
		'%j is a missing key',
		(headers) => {
			expect(checkWebhookKey(headers, KEY)).toBe('missing');
		},
	);

	test.each([
		[{ authorization: `Basic ${KEY}` }],
		[{ authorization: `Token ${KEY} extra` }],
		[{ authorization: `Token ${KEY.toUpperCase()}` }],
		[{ authorization: 'Token' }],
		[{ authorization: 'Token ' }],
		[{ 'x-api-key': `${KEY}x` }],
	])('rejects %j', (headers) => {
		expect(checkWebhookKey(headers, KEY)).toBe('mismatch');
	});

	test('an empty configured key matches nothing', () => {
		expect(checkWebhookKey({ authorization: '' }, '')).toBe('missing');
		expect(checkWebhookKey({ authorization: 'Token x' }, '  ')).toBe('mismatch');
	});

	test('keys with unicode compare by their exact text', () => {
		expect(checkWebhookKey({ authorization: 'Token ключ-ü' }, 'ключ-ü')).toBe('ok');
		expect(checkWebhookKey({ authorization: 'Token ключ-u' }, 'ключ-ü')).toBe('mismatch');
	});
});

describe('sameKey', () => {
	test('compares values of any length without throwing', () => {
		expect(sameKey('a', 'a')).toBe(true);
		expect(sameKey('a', 'a'.repeat(10_000))).toBe(false);
		expect(sameKey('', 'a')).toBe(false);
	});
});

describe('presentedKeys', () => {
	test('the scheme-less value is tried after the scheme is removed', () => {
		expect(presentedKeys({ authorization: 'Token abc' })).toEqual(['abc', 'Token abc']);
		expect(presentedKeys({ authorization: 'abc', 'x-api-key': 'def' })).toEqual(['abc', 'def']);
	});
});
