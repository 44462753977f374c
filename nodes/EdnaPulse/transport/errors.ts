import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

/**
 * edna's error dictionary: what each code means in the user's words and what to do about it.
 * Codes and meanings: docs/edna-api.md §7.2 (cascade/schedule), the v1, template, history, read-receipt and
 * callback/set codes chosen where edna's docs are silent (sandbox/README.md, Choices), and edna's problem-details titles for HTTP errors.
 * "The list of errors can be extended" (edna, errorcodes page): unknown codes fall back to the HTTP status.
 */
export const HINTS: Readonly<Record<string, string>> = {
	// cascade/schedule (docs/edna-api.md §7.2)
	'requestId-is-not-unique':
		'This send ID was used before, so edna did not send the message again. To send it anyway, give the send a new ID under Options → Send ID.',
	'content-not-specified': 'The message has no content. Enter the text, the media URL or the location.',
	'contentType-not-specified': 'The message content has no type (text, image…). Choose a Content Type.',
	'text-not-specified': 'The message text is empty. Enter a text.',
	'caption-not-specified': 'The caption (signature text) is empty. Enter a caption.',
	'action-not-specified': 'A button has no action. Give every button a URL or action.',
	'attachmentName-not-specified': 'The media has no file name. Enter a Media Name.',
	'attachmentName-is-too-long': 'The media file name is longer than 70 characters. Shorten the Media Name.',
	'latitude-not-specified': 'The location has no latitude. Enter a Latitude.',
	'longitude-not-specified': 'The location has no longitude. Enter a Longitude.',
	'cascade-not-found':
		'No cascade with this ID. Pick the cascade from the list, or check its ID with Cascade → Get Many.',
	"request-doesn't-contain-content-for-all-cascade-stages":
		'The cascade has a stage the message has no content for. Pick the cascade from the list so the node builds content for each stage.',
	'matched-template-not-found':
		'The content does not match a registered template of this channel. Outside the 24-hour window WhatsApp needs a template: use Message → Send Template.',
	'cascade-scheduling-request-is-not-valid':
		"The content does not fit the cascade's stages (see edna's detail). Pick the cascade from the list so the node builds content for each stage.",
	'cascade-scheduling-request-not-valid':
		"The content does not fit the cascade's stages (see edna's detail). Pick the cascade from the list so the node builds content for each stage.",
	// v1 template sends (sandbox/README.md, Choices)
	'messageId-is-not-unique':
		'This send ID was used before, so edna did not send the message again. To send it anyway, give the send a new ID under Options → Send ID.',
	'sender-not-found': 'edna knows no channel (sender) by this name. Pick the channel from the list.',
	'template-not-found': 'No template with this ID on this channel. Pick the template from the list.',
	'template-not-approved':
		'The template is not approved or is locked. Only approved, unlocked templates can be sent; check it in edna Pulse.',
	'template-variables-mismatch':
		"The number of variables differs from the template's placeholders, or a value is empty. Fill in every variable of the template.",
	'phone-not-specified': 'The recipient phone is empty. Enter the phone in international format.',
	'attachment-required': 'This template has a media header: enter the media URL and name.',
	// templates, history, read receipts (sandbox/README.md, Choices)
	'subjectId-not-specified': 'No channel was given. Pick the channel.',
	'in-message-not-found':
		'edna knows no incoming message with this ID. Use the "id" of a Message Received item from the edna Pulse Trigger.',
	'status-not-valid': 'edna accepts only the status READ here.',
	// callback/set (docs/edna-api.md §5.1; sandbox/README.md, Choices)
	'error-callback-url-not-available':
		'edna could not reach the URL: it must answer a HEAD request with 200 from the public internet. An n8n Production URL answers while its workflow is published; n8n builds it from N8N_WEBHOOK_URL, which must be an address edna can reach.',
	'error-subject-unknown': 'edna knows no channel with this ID. Pick the channel from the list.',
	'error-callback-url-max-length': 'The URL is longer than 500 characters.',
	'error-callback-url-not-https': 'edna accepts only https:// URLs here.',
	'url-not-specified': 'No URL was given. Enter at least one URL.',
	// HTTP-level problems (docs/edna-api.md §7.2; sandbox/README.md, Choices)
	unauthorized:
		'edna refused the API key: it is wrong or expired, or the webhook key was pasted into the API Key field. Copy the API key from edna Pulse (Integration → Settings → Main profile, or the API Key tab for additional keys) into the credential, and check that the Base URL is your region.',
	forbidden:
		"The API key has no access to this. An additional API key works only for its chosen channels and method groups (messaging, read receipts, message history, templates, webhooks, channels, cascades): add the missing one to the key in edna Pulse (Integration → Settings → API Key), or use the master key.",
	'not-found':
		'Nothing answers at this address. Check the Base URL in the credential (for example https://app.edna.io/api).',
	'method-not-allowed': 'edna does not accept this method at this address. Check the Base URL in the credential.',
	'request-body-not-readable': 'edna could not read the request. Check the values given to the node.',
	'too-many-requests': 'edna is limiting the request rate. Wait a little and run again, or send fewer messages at once.',
	'system-error':
		'edna had an internal error. Try again later; if it persists, contact edna support (it can also happen when a request is incorrect).',
};

/** Titles for HTTP statuses edna answers without a problem-details body. */
const STATUS_TITLES: Readonly<Record<number, string>> = {
	400: 'bad-request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not-found',
	405: 'method-not-allowed',
	429: 'too-many-requests',
	500: 'system-error',
};

export interface EdnaProblem {
	status: number;
	title: string;
	detail: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * edna's problem-details (`{title, status, detail}`, docs/edna-api.md §7.1), or callback/set's `{code}` (§5.1),
 * read from an answer. Only these three strings are kept: nothing else of the answer or the request
 * travels into an error.
 */
export function problemOf(httpStatus: number, body: unknown): EdnaProblem {
	const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
	const title =
		text(object.title) ||
		text(object.code) ||
		STATUS_TITLES[httpStatus] ||
		(httpStatus >= 500 ? 'system-error' : `http-${httpStatus}`);
	const detail = text(object.detail) || text(object.message) || (typeof body === 'string' ? body.trim().slice(0, 500) : '');
	return { status: httpStatus, title, detail };
}

export function hintFor(problem: EdnaProblem, methodGroup?: string): string {
	const hint = HINTS[problem.title] ?? HINTS[STATUS_TITLES[problem.status] ?? ''];
	if (problem.status === 403 && methodGroup !== undefined) {
		return `${HINTS.forbidden} This call needs the "${methodGroup}" method group and access to the channel it uses.`;
	}
	if (hint !== undefined) return hint;
	if (problem.status >= 500) return HINTS['system-error'];
	return "See edna's detail above.";
}

/**
 * The one way an edna failure becomes an n8n error. Built only from our own strings and edna's
 * title/detail: never from the request (its headers carry the API key) or a caught error object.
 */
export function ednaApiError(
	node: INode,
	problem: EdnaProblem,
	options: { methodGroup?: string; itemIndex?: number; hint?: string } = {},
): NodeApiError {
	const hint = options.hint ?? hintFor(problem, options.methodGroup);
	const summary = problem.detail === '' ? problem.title : `${problem.title}: ${problem.detail}`;
	const error = new NodeApiError(node, { ...problem } as unknown as JsonObject, {
		message: `edna Pulse: ${summary}`,
		description: hint,
		httpCode: problem.status > 0 ? String(problem.status) : undefined,
		itemIndex: options.itemIndex,
	});
	error.context.edna = { ...problem };
	return error;
}

/** A failure with no answer from edna (connection refused, timeout…), described by its code only. */
export function unreachableError(
	node: INode,
	origin: string,
	code: string,
	options: { itemIndex?: number; hint: string },
): NodeApiError {
	const problem: EdnaProblem = { status: 0, title: 'no-answer', detail: code };
	const error = new NodeApiError(node, { ...problem } as unknown as JsonObject, {
		// The code stays out of the message: n8n would swap a message naming ECONNREFUSED & co. for its own.
		message: `edna Pulse did not answer at ${origin}`,
		description: `${options.hint} (${code})`,
		itemIndex: options.itemIndex,
	});
	error.context.edna = { ...problem };
	return error;
}
