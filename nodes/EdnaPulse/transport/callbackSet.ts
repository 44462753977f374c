import type { IDataObject } from 'n8n-workflow';

import { HINTS } from './errors';

/**
 * `POST callback/set` (docs/edna-api.md §5.1): which URL goes in which field, the checks edna
 * makes that can be made before the call, and what its `{code}` answers mean. Shared by Webhook →
 * Set URLs and the trigger's optional registration, so edna's rules live in one place.
 */

export const CALLBACK_SET_PATH = 'callback/set';

export type CallbackField =
	| 'statusCallbackUrl'
	| 'inMessageCallbackUrl'
	| 'messageMatcherCallbackUrl';

export interface CallbackFieldInfo {
	field: CallbackField;
	/** The user's words, for messages and the editor. */
	label: string;
}

/** The three URLs edna takes by API. Category changes and link clicks have no field (§5.1, §10.7). */
export const CALLBACK_FIELDS: readonly CallbackFieldInfo[] = [
	{ field: 'statusCallbackUrl', label: 'Message statuses' },
	{ field: 'inMessageCallbackUrl', label: 'Incoming messages' },
	{ field: 'messageMatcherCallbackUrl', label: 'Template events' },
];

export const labelOf = (field: CallbackField): string =>
	CALLBACK_FIELDS.find((f) => f.field === field)?.label ?? field;

/** "500 characters maximum" for each URL (§5.1). */
export const MAX_URL_LENGTH = 500;

export type CallbackUrls = Partial<Record<CallbackField, string>>;

export type CallbackSetBody =
	| { ok: true; body: IDataObject; urls: Array<{ field: CallbackField; url: string }> }
	| { ok: false; message: string };

/**
 * The body of `callback/set`. Without a channel edna sets the URLs for all channels of the account
 * (§5.1, INFERRED + CODE). Checks first what edna would refuse for sure: no URL at all
 * (`url-not-specified`), a URL over 500 characters (`error-callback-url-max-length`), and a value
 * that is not an absolute http(s) URL (edna's HEAD check could never pass).
 */
export function buildCallbackSetBody(urls: CallbackUrls, subjectId?: number): CallbackSetBody {
	const chosen: Array<{ field: CallbackField; url: string }> = [];
	for (const { field, label } of CALLBACK_FIELDS) {
		const url = (urls[field] ?? '').trim();
		if (url === '') continue;
		if (url.length > MAX_URL_LENGTH) {
			return {
				ok: false,
				message: `The ${label} URL is ${url.length} characters long; edna takes at most ${MAX_URL_LENGTH}.`,
			};
		}
		if (!isHttpUrl(url)) {
			return { ok: false, message: `The ${label} URL "${url}" is not an http(s) URL.` };
		}
		chosen.push({ field, url });
	}
	if (chosen.length === 0) {
		return { ok: false, message: 'No URL was given: fill at least one of the URLs to set.' };
	}
	const body: IDataObject = Object.fromEntries(chosen.map(({ field, url }) => [field, url]));
	if (subjectId !== undefined) body.subjectId = subjectId;
	return { ok: true, body, urls: chosen };
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

export type CallbackSetOutcome =
	| { ok: true }
	| { ok: false; code: string; message: string; hint: string };

/**
 * edna's answer: `{"code":"ok"}` on success; any other code, with HTTP 200 or 400, is a failure
 * (§5.2: "treat HTTP 200 with code != ok as an error"), with the hint of edna's error dictionary
 * (transport/errors.ts). An answer without a code is not taken as success either.
 */
export function callbackSetOutcome(response: unknown): CallbackSetOutcome {
	const code =
		typeof response === 'object' &&
		response !== null &&
		typeof (response as IDataObject).code === 'string'
			? ((response as IDataObject).code as string)
			: undefined;
	if (code === 'ok') return { ok: true };
	if (code === undefined) {
		return {
			ok: false,
			code: 'unexpected-answer',
			message: 'edna answered callback/set without a code',
			hint: 'edna answers {"code":"ok"} when the URLs are set; this answer has none, so they may not be.',
		};
	}
	return {
		ok: false,
		code,
		message: `edna refused the URLs: ${code}`,
		hint:
			HINTS[code] ??
			'edna gave a code this node does not know; its documentation of callback/set may say more.',
	};
}

/** What a HEAD check answered: a status code, or the error that stopped it. */
export type HeadResult = { status: number } | { error: string };

/**
 * The verdict on the HEAD check the node makes before edna is called, in the words of edna's
 * rule: "we will send a HEAD request, to which we expect to see a response with the status 200.
 * Otherwise, we will not be able to register your URL" (§5.1). Undefined when the URL passes.
 */
export function headCheckProblem(
	field: CallbackField,
	url: string,
	result: HeadResult,
): string | undefined {
	if ('status' in result && result.status === 200) return undefined;
	const answered =
		'status' in result
			? `answered HEAD with ${result.status}`
			: `did not answer HEAD (${result.error})`;
	return `The ${labelOf(field)} URL ${url} ${answered}; edna registers only a URL that answers HEAD with 200, so edna was not called.`;
}
