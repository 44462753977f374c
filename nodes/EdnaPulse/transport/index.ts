import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
} from 'n8n-workflow';

import { perRun } from '../shared/perRun';
import { TOO_MANY_PAUSE_MS, limiterOf } from './limiter';
import { HINTS, ednaApiError, problemOf, unreachableError, type EdnaProblem } from './errors';

export { HINTS, ednaApiError, hintFor, problemOf, type EdnaProblem } from './errors';

/**
 * The one place that speaks edna's HTTP API: builds URLs from the credential's base URL, lets
 * n8n add the `X-API-KEY` header (the credential's `authenticate`), retries what is safe to retry
 * and turns every failure into a NodeApiError with edna's title/detail and a hint. Beside it, for
 * both nodes: `lists.ts` (channels and cascades), `callbackSet.ts` (edna's webhook URL rules),
 * `credentialCheck.ts` (the credential test's call), `probe.ts` (the HEAD check of a webhook URL).
 */

export const CREDENTIAL = 'ednaPulseApi';
export const DEFAULT_BASE_URL = 'https://app.edna.io/api';

/** Every n8n context that can call edna: node runs, lifecycle hooks (trigger URL registration), pickers. */
export type EdnaContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

/**
 * `read`: safe to repeat (look-ups, and writes that set a state, such as marking a message read or
 * setting URLs): retried on 429, 5xx and no answer.
 * `send`: sends a message: never repeated unless `retrySafe` (see `ednaSend`).
 */
export type RequestKind = 'read' | 'send';

export interface EdnaRequest {
	method: IHttpRequestMethods;
	/** Relative to the base URL: `cascade/schedule`, `channel-profile`… */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	kind: RequestKind;
	/** A send whose ID edna refuses to reuse, so repeating it cannot send twice (docs/edna-api.md §7.3). */
	retrySafe?: boolean;
	/**
	 * A send that is not retrySafe, after a 429: whether it went out after all, checked some other
	 * way (a campaign's history check). A result: that answer; undefined: not sent, send again. Without
	 * it such a send is not repeated after a 429.
	 */
	checkAfterTooMany?: () => Promise<SendResult | undefined>;
	itemIndex?: number;
}

/**
 * Additional keys are limited to method groups (docs/edna-api.md §1.3; which path is in which group is undocumented: sandbox/README.md, Choices).
 * Named in 403 hints so the user knows what to add to the key.
 */
const METHOD_GROUPS: ReadonlyArray<[RegExp, string]> = [
	[/^cascade\/schedule/, 'messaging'],
	[/^v1\/out-messages\//, 'messaging'],
	[/^in-message\//, 'read receipts'],
	[/^messages\/history/, 'message history'],
	[/^message-matchers/, 'templates'],
	[/^callback\//, 'webhooks'],
	[/^channel-profile/, 'channels'],
	[/^cascade\/get-all/, 'cascades'],
];

export function methodGroupOf(path: string): string | undefined {
	const clean = path.replace(/^\/+/, '');
	return METHOD_GROUPS.find(([pattern]) => pattern.test(clean))?.[1];
}

/** `<baseUrl>/<path>`, whatever slashes either side carries. */
export function apiUrl(baseUrl: string, path: string): string {
	const base = (baseUrl.trim() === '' ? DEFAULT_BASE_URL : baseUrl.trim()).replace(/\/+$/, '');
	return `${base}/${path.replace(/^\/+/, '')}`;
}

/**
 * Waits between attempts of a retried request; tests shorten them. A `429` is not counted as an
 * attempt: the whole run pauses (transport/limiter.ts) and the request is made again, up to
 * `tooManyRetries` times for one request.
 */
export const retryPolicy = { delaysMs: [1000, 3000], maxRetryAfterMs: 10000, timeoutMs: 30000, tooManyRetries: 20 };

interface CredentialData {
	apiKey?: string;
	baseUrl?: string;
}

/** What one node run (context) read from its credential: the base URL, and the credential for n8n. */
interface Connection {
	baseUrl: string;
	credential: ICredentialsDecrypted;
}

// One credential read per node run (context), not one per request: handed to n8n's request helper,
// which otherwise reads and decrypts the credential again for every request (bench:n8n, template sends).
const connections = perRun<Connection>();

async function readConnection(ctx: EdnaContext): Promise<Connection> {
	const data = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL);
	const credential = data as CredentialData;
	if (typeof credential.apiKey !== 'string' || credential.apiKey.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), 'The Edna Pulse API credential has no API key', {
			description:
				'Add the API key from edna Pulse (Integration → Settings → Main profile, or the API Key tab) to the credential. The webhook key is only for the edna Pulse Trigger.',
		});
	}
	const baseUrl = typeof credential.baseUrl === 'string' ? credential.baseUrl : '';
	const url = apiUrl(baseUrl, '');
	if (!/^https?:\/\/[^/\s]+/i.test(url)) {
		throw new NodeOperationError(ctx.getNode(), 'The Base URL in the Edna Pulse API credential is not a URL', {
			description: 'Use https://app.edna.io/api, https://app.edna.ru/api, https://app.edna.by/api or your sandbox URL.',
		});
	}
	const saved = ctx.getNode().credentials?.[CREDENTIAL];
	return {
		baseUrl: url.replace(/\/+$/, ''),
		credential: { id: saved?.id ?? '', name: saved?.name ?? '', type: CREDENTIAL, data },
	};
}

function connectionOf(ctx: EdnaContext): Promise<Connection> {
	return connections(ctx, '', () => readConnection(ctx));
}

export async function baseUrlOf(ctx: EdnaContext): Promise<string> {
	return (await connectionOf(ctx)).baseUrl;
}

interface Answer {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

/** edna's answer body as JSON when it is JSON text, as given otherwise. */
export const parseBody = (body: unknown): unknown => {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
};

/** The error code of a request that got no answer; nothing else of the error object is kept. */
export function noAnswerCode(error: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (typeof current === 'object' && current !== null && !seen.has(current)) {
		seen.add(current);
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,40}$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return 'no answer';
}

const CANCELLED = new Set(['ERR_CANCELED', 'ABORT_ERR']);

/** One HTTP exchange. Resolves with the answer whatever its status; rejects only when there is none. */
async function exchange(ctx: EdnaContext, connection: Connection, request: EdnaRequest): Promise<Answer> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: apiUrl(connection.baseUrl, request.path),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: retryPolicy.timeoutMs,
		headers: { accept: 'application/json' },
	};
	if (request.qs !== undefined) options.qs = request.qs;
	if (request.body !== undefined) options.body = request.body;
	const answer = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL, options, {
		credentialsDecrypted: connection.credential,
	})) as {
		statusCode?: number;
		body?: unknown;
		headers?: Record<string, unknown>;
	};
	return { statusCode: answer.statusCode ?? 200, body: parseBody(answer.body), headers: answer.headers ?? {} };
}

const retryable = (status: number) => status === 429 || status >= 500;

function retryAfterMs(headers: Record<string, unknown>): number | undefined {
	const value = headers['retry-after'];
	const seconds = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
	return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, retryPolicy.maxRetryAfterMs) : undefined;
}

/** How long the run pauses after the n-th 429 in a row of one request: Retry-After, or 1 s doubling. */
function tooManyPauseMs(headers: Record<string, unknown>, inARow: number): number {
	return retryAfterMs(headers) ?? Math.min(TOO_MANY_PAUSE_MS.first * 2 ** (inARow - 1), TOO_MANY_PAUSE_MS.max);
}

/** A 2xx answer that still reports a failure: callback/set's `{"code":"<error>"}` (docs/edna-api.md §5.1). */
function failedWithOk(body: unknown): boolean {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
	const code = (body as { code?: unknown }).code;
	return typeof code === 'string' && code.toLowerCase() !== 'ok';
}

export interface SendResult {
	/** `alreadySent`: edna refused the ID as used before, so this message went out earlier. */
	outcome: 'sent' | 'alreadySent';
	/** edna's answer: the 200 body, or the problem-details of the duplicate. */
	response: unknown;
	attempts: number;
}

const NOT_SENT_TWICE =
	'The message may or may not have been accepted; it was not sent again, so that it cannot arrive twice. Check it with Message → Get Status (or wait for its status webhook) before running again.';

/**
 * The request loop shared by reads and sends. `duplicateTitle` is edna's "ID already used" code
 * for the send: that answer resolves as `alreadySent` instead of failing.
 */
async function run(ctx: EdnaContext, request: EdnaRequest, duplicateTitle?: string): Promise<SendResult> {
	const node: INode = ctx.getNode();
	const connection = await connectionOf(ctx);
	const group = methodGroupOf(request.path);
	const mayRepeat = request.kind === 'read' || request.retrySafe === true;
	const attempts = mayRepeat ? retryPolicy.delaysMs.length + 1 : 1;
	const limiter = limiterOf(ctx);
	let tooMany = 0;
	let last: EdnaProblem | undefined;
	let lastNoAnswer: string | undefined;
	for (let attempt = 1; attempt <= attempts; attempt++) {
		let answer: Answer;
		try {
			await limiter.wait();
			answer = await exchange(ctx, connection, request);
		} catch (error) {
			// n8n's request helpers put the request (its headers: the API key) on the errors they
			// throw: only the error code is kept.
			const code = noAnswerCode(error);
			if (CANCELLED.has(code)) {
				throw new NodeOperationError(node, 'The execution was cancelled', { itemIndex: request.itemIndex });
			}
			lastNoAnswer = code;
			last = undefined;
			if (attempt < attempts) {
				await sleep(retryPolicy.delaysMs[attempt - 1]);
				continue;
			}
			break;
		}
		const { statusCode, body } = answer;
		if (statusCode < 300 && !failedWithOk(body)) return { outcome: 'sent', response: body, attempts: attempt };
		const problem = problemOf(statusCode, body);
		if (duplicateTitle !== undefined && problem.title === duplicateTitle) {
			return { outcome: 'alreadySent', response: { ...problem }, attempts: attempt };
		}
		last = problem;
		lastNoAnswer = undefined;
		// Every 429 slows the whole run down; the request itself is repeated when that is safe.
		if (statusCode === 429) limiter.tooMany(tooManyPauseMs(answer.headers, tooMany + 1));
		if (statusCode === 429 && tooMany < retryPolicy.tooManyRetries && (mayRepeat || request.checkAfterTooMany !== undefined)) {
			tooMany++;
			// The check's own request, and the repeat at the top of the loop, wait for the pause.
			const checked = mayRepeat ? undefined : await request.checkAfterTooMany?.();
			if (checked !== undefined) return { ...checked, attempts: attempt };
			attempt--;
			continue;
		}
		if (retryable(statusCode) && attempt < attempts) {
			await sleep(retryAfterMs(answer.headers) ?? retryPolicy.delaysMs[attempt - 1]);
			continue;
		}
		break;
	}
	const uncertainSend = request.kind === 'send' && request.retrySafe !== true;
	if (lastNoAnswer !== undefined) {
		const hint = uncertainSend
			? NOT_SENT_TWICE
			: `Check the Base URL in the credential and that edna Pulse can be reached from n8n (tried ${attempts} times).${request.kind === 'send' ? ' Running the node again is safe: edna never accepts the same send ID twice.' : ''}`;
		throw unreachableError(node, new URL(connection.baseUrl).origin, lastNoAnswer, { itemIndex: request.itemIndex, hint });
	}
	const problem = last as EdnaProblem;
	const hint = !retryable(problem.status)
		? undefined
		: uncertainSend
			? NOT_SENT_TWICE
			: request.kind === 'send'
				? `${HINTS[problem.status === 429 ? 'too-many-requests' : 'system-error']} Running the node again is safe: edna never accepts the same send ID twice.`
				: undefined;
	throw ednaApiError(node, problem, { methodGroup: group, itemIndex: request.itemIndex, hint });
}

/** A read (or state-setting write): edna's answer body, or a NodeApiError. */
export async function ednaRequest<T = unknown>(ctx: EdnaContext, request: EdnaRequest): Promise<T> {
	return (await run(ctx, request)).response as T;
}

/**
 * A send. With `retrySafe` (cascade/schedule: edna documents that a `requestId` is never accepted
 * twice, docs/edna-api.md §7.2–7.3) a 429/5xx/no answer is retried with the same body; a duplicate answer on
 * any attempt is `alreadySent` (on a retry: the first attempt got through). Without it (v1 sends,
 * whose `messageId` uniqueness is only inferred) nothing is repeated.
 */
export async function ednaSend(
	ctx: EdnaContext,
	request: Omit<EdnaRequest, 'kind'> & { duplicateTitle: string },
): Promise<SendResult> {
	const { duplicateTitle, ...rest } = request;
	return await run(ctx, { ...rest, kind: 'send' }, duplicateTitle);
}
