import type { IExecuteFunctions } from 'n8n-workflow';

import {
	buildCallbackSetBody,
	callbackSetOutcome,
	headCheckProblem,
} from '../../../nodes/EdnaPulse/transport/callbackSet';
import { headStatus } from '../../../nodes/EdnaPulse/transport/probe';
import { n8nHttpRequest, startTarget, type Target } from '../../support/http';

const STATUS_URL = 'https://n8n.example.com/webhook/abc/webhook';

describe('callback/set body', () => {
	test('one URL for all channels: no subjectId', () => {
		expect(buildCallbackSetBody({ statusCallbackUrl: STATUS_URL })).toEqual({
			ok: true,
			body: { statusCallbackUrl: STATUS_URL },
			urls: [{ field: 'statusCallbackUrl', url: STATUS_URL }],
		});
	});

	test('three URLs for one channel, trimmed; empty ones left out', () => {
		const built = buildCallbackSetBody(
			{
				statusCallbackUrl: ` ${STATUS_URL} `,
				inMessageCallbackUrl: 'https://n8n.example.com/webhook/in',
				messageMatcherCallbackUrl: '',
			},
			101,
		);
		expect(built).toMatchObject({
			ok: true,
			body: {
				statusCallbackUrl: STATUS_URL,
				inMessageCallbackUrl: 'https://n8n.example.com/webhook/in',
				subjectId: 101,
			},
		});
	});

	test('no URL, a long URL, a URL that is not http(s)', () => {
		expect(buildCallbackSetBody({ statusCallbackUrl: '  ' })).toEqual({
			ok: false,
			message: 'No URL was given: fill at least one of the URLs to set.',
		});
		const long = `https://n8n.example.com/${'a'.repeat(490)}`;
		expect(buildCallbackSetBody({ inMessageCallbackUrl: long })).toEqual({
			ok: false,
			message: `The Incoming messages URL is ${long.length} characters long; edna takes at most 500.`,
		});
		expect(buildCallbackSetBody({ messageMatcherCallbackUrl: 'ftp://x.example.com/a' })).toEqual({
			ok: false,
			message: 'The Template events URL "ftp://x.example.com/a" is not an http(s) URL.',
		});
		expect(buildCallbackSetBody({ statusCallbackUrl: '/webhook/abc' }).ok).toBe(false);
	});

	test('exactly 500 characters is allowed', () => {
		const url = `https://n8n.example.com/${'a'.repeat(500 - 'https://n8n.example.com/'.length)}`;
		expect(url).toHaveLength(500);
		expect(buildCallbackSetBody({ statusCallbackUrl: url }).ok).toBe(true);
	});
});

describe('callback/set answer codes', () => {
	test('ok is success', () => {
		expect(callbackSetOutcome({ code: 'ok' })).toEqual({ ok: true });
	});

	test.each([
		['error-callback-url-not-available', /HEAD request with 200/],
		['error-subject-unknown', /no channel with this ID/],
		['error-callback-url-max-length', /500 characters/],
		['error-callback-url-not-https', /https:\/\//],
		['url-not-specified', /No URL/],
	])('%s is a failure with its hint', (code, hint) => {
		const outcome = callbackSetOutcome({ code });
		expect(outcome).toMatchObject({ ok: false, code, message: `edna refused the URLs: ${code}` });
		expect(outcome.ok === false && outcome.hint).toMatch(hint);
	});

	test('an unknown code or no code is not success', () => {
		expect(callbackSetOutcome({ code: 'something-new' })).toMatchObject({
			ok: false,
			code: 'something-new',
		});
		expect(callbackSetOutcome({})).toMatchObject({ ok: false, code: 'unexpected-answer' });
		expect(callbackSetOutcome('ok')).toMatchObject({ ok: false });
	});
});

describe('HEAD pre-check against a real local server, through n8n’s httpRequest', () => {
	let target: Target;
	const context = { helpers: { httpRequest: n8nHttpRequest } } as unknown as IExecuteFunctions;

	beforeAll(async () => {
		target = await startTarget({
			'/ok': 200,
			'/created': 201,
			'/moved': { status: 301, location: '/ok' },
		});
	});
	afterAll(async () => await target.close());

	test('200 passes; the request is a HEAD', async () => {
		const result = await headStatus(context, `${target.origin}/ok`);
		expect(result).toEqual({ status: 200 });
		expect(headCheckProblem('statusCallbackUrl', `${target.origin}/ok`, result)).toBeUndefined();
		expect(target.requests).toContain('HEAD /ok');
	});

	test('404 fails, naming the URL and the answer', async () => {
		const url = `${target.origin}/missing`;
		const result = await headStatus(context, url);
		expect(result).toEqual({ status: 404 });
		expect(headCheckProblem('inMessageCallbackUrl', url, result)).toBe(
			`The Incoming messages URL ${url} answered HEAD with 404; edna registers only a URL that answers HEAD with 200, so edna was not called.`,
		);
	});

	test('any other 2xx fails too: edna wants 200', async () => {
		const result = await headStatus(context, `${target.origin}/created`);
		expect(headCheckProblem('statusCallbackUrl', 'u', result)).toMatch(/answered HEAD with 201/);
	});

	test('a redirect is not followed', async () => {
		expect(await headStatus(context, `${target.origin}/moved`)).toEqual({ status: 301 });
	});

	test('no server at all: the error code', async () => {
		const closed = await startTarget({});
		const origin = closed.origin;
		await closed.close();
		const result = await headStatus(context, `${origin}/ok`);
		expect(result).toEqual({ error: 'ECONNREFUSED' });
		expect(headCheckProblem('messageMatcherCallbackUrl', `${origin}/ok`, result)).toBe(
			`The Template events URL ${origin}/ok did not answer HEAD (ECONNREFUSED); edna registers only a URL that answers HEAD with 200, so edna was not called.`,
		);
	});
});
