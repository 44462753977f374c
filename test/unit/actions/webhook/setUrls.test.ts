import type { IDataObject } from 'n8n-workflow';

import { description, execute } from '../../../../nodes/EdnaPulse/actions/webhook/setUrls.operation';
import { retryPolicy } from '../../../../nodes/EdnaPulse/transport';
import { fakeContext, rl, type Answer, type EdnaCall } from '../../../support/fakeContext';
import { startTarget, type Target } from '../../../support/http';

const SET = 'callback/set';
let target: Target;

beforeAll(async () => {
	retryPolicy.delaysMs = [0, 0];
	target = await startTarget({ '/status': 200, '/incoming': 200, '/templates': 200, '/gone': 404 });
});
afterAll(async () => await target.close());

function run(
	parameters: IDataObject,
	answer: (call: EdnaCall) => Answer = () => ({ body: { code: 'ok' } }),
) {
	const fake = fakeContext({
		parameters: {
			scope: 'all',
			statusCallbackUrl: '',
			inMessageCallbackUrl: '',
			messageMatcherCallbackUrl: '',
			options: {},
			...parameters,
		},
		edna: (call) => (call.path === SET ? answer(call) : undefined),
	});
	return { fake, result: execute.call(fake.context, 0) };
}

describe('Webhook → Set URLs', () => {
	test('all channels: each URL answers HEAD 200 first, then callback/set without subjectId', async () => {
		const before = target.requests.length;
		const { fake, result } = run({
			statusCallbackUrl: `${target.origin}/status`,
			messageMatcherCallbackUrl: `${target.origin}/templates`,
		});
		const [item] = await result;
		expect(target.requests.slice(before)).toEqual(['HEAD /status', 'HEAD /templates']);
		expect(fake.to(SET)[0].body).toEqual({
			statusCallbackUrl: `${target.origin}/status`,
			messageMatcherCallbackUrl: `${target.origin}/templates`,
		});
		expect(item).toEqual({
			code: 'ok',
			scope: 'all',
			subjectId: null,
			subject: null,
			statusCallbackUrl: `${target.origin}/status`,
			messageMatcherCallbackUrl: `${target.origin}/templates`,
			headChecks: [
				{ field: 'statusCallbackUrl', url: `${target.origin}/status`, status: 200 },
				{ field: 'messageMatcherCallbackUrl', url: `${target.origin}/templates`, status: 200 },
			],
		});
	});

	test('one channel: its subjectId goes with the URLs', async () => {
		const { fake, result } = run({
			scope: 'channel',
			channel: rl('sandbox_viber', 'name'),
			inMessageCallbackUrl: `${target.origin}/incoming`,
		});
		const [item] = await result;
		expect(fake.to(SET)[0].body).toEqual({
			inMessageCallbackUrl: `${target.origin}/incoming`,
			subjectId: 102,
		});
		expect(item).toMatchObject({ scope: 'channel', subjectId: 102, subject: 'sandbox_viber' });
	});

	test('a URL that does not answer 200 is named with its answer, and edna is not called', async () => {
		const { fake, result } = run({
			statusCallbackUrl: `${target.origin}/status`,
			inMessageCallbackUrl: `${target.origin}/gone`,
		});
		await expect(result).rejects.toThrow(
			`The Incoming messages URL ${target.origin}/gone answered HEAD with 404; edna registers only a URL that answers HEAD with 200, so edna was not called.`,
		);
		expect(fake.to(SET)).toHaveLength(0);
	});

	test('the check can be turned off', async () => {
		const before = target.requests.length;
		const { fake, result } = run({
			statusCallbackUrl: `${target.origin}/gone`,
			options: { headCheck: false },
		});
		await result;
		expect(target.requests.length).toBe(before);
		expect(fake.to(SET)).toHaveLength(1);
	});

	test('no URL at all is refused before anything is called', async () => {
		const { fake, result } = run({});
		await expect(result).rejects.toThrow('No URL was given');
		expect(fake.calls).toHaveLength(0);
	});

	test.each([
		['error-callback-url-not-available', 'it must answer a HEAD request with 200'],
		['error-subject-unknown', 'edna knows no channel with this ID'],
		['error-callback-url-max-length', 'longer than 500 characters'],
		['error-callback-url-not-https', 'only https:// URLs'],
		['url-not-specified', 'No URL was given'],
	])('edna’s %s is a NodeApiError with its hint', async (code, hint) => {
		const { result } = run({ statusCallbackUrl: `${target.origin}/status` }, () => ({
			status: 400,
			body: { code },
		}));
		await expect(result).rejects.toMatchObject({
			name: 'NodeApiError',
			message: `edna Pulse: ${code}`,
			description: expect.stringContaining(hint),
		});
	});

	test('a 200 with an error code is a failure too; a 200 with no code is not taken as success', async () => {
		const with200 = run({ statusCallbackUrl: `${target.origin}/status` }, () => ({
			body: { code: 'error-subject-unknown' },
		}));
		await expect(with200.result).rejects.toMatchObject({
			message: 'edna Pulse: error-subject-unknown',
		});
		const noCode = run({ statusCallbackUrl: `${target.origin}/status` }, () => ({ body: {} }));
		await expect(noCode.result).rejects.toMatchObject({
			message: 'edna Pulse: edna answered callback/set without a code',
		});
	});

	test('the notice says the URL is replaced and cannot be read back', () => {
		const notice = description.find((p) => p.type === 'notice');
		expect(notice?.displayName).toMatch(/replaces the URL edna had/);
		expect(notice?.displayName).toMatch(/no way to read the old one back/);
		expect(notice?.displayName).toMatch(
			/category changes and link-button clicks cannot be set by API/,
		);
	});
});
