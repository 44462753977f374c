import { problemOf } from './errors';
import { apiUrl, noAnswerCode, parseBody, retryPolicy } from './index';

/** What the credential test shows: whether the key works, and why not in the user's words. */
export interface ApiKeyCheck {
	ok: boolean;
	message: string;
}

type LegacyRequest = (options: object) => Promise<unknown>;

/**
 * The credential test's call: `GET channel-profile` with the key (docs/edna-api.md §9: cheap, proves key
 * and region). Credential tests get only n8n's legacy request helper, so the header is set here.
 */
export async function checkApiKey(request: LegacyRequest, baseUrl: string, apiKey: string): Promise<ApiKeyCheck> {
	const url = apiUrl(baseUrl, 'channel-profile');
	if (!/^https?:\/\/[^/\s]+/i.test(url)) {
		return { ok: false, message: 'The Base URL is not a URL: use e.g. https://app.edna.io/api.' };
	}
	let answer: { statusCode?: number; body?: unknown };
	try {
		answer = (await request({
			method: 'GET',
			uri: url,
			headers: { 'X-API-KEY': apiKey, accept: 'application/json' },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: retryPolicy.timeoutMs,
		})) as { statusCode?: number; body?: unknown };
	} catch (error) {
		return {
			ok: false,
			message: `edna Pulse did not answer at ${new URL(url).origin} (${noAnswerCode(error)}). Check the Base URL.`,
		};
	}
	const status = answer.statusCode ?? 0;
	const body = parseBody(answer.body);
	if (status >= 200 && status < 300 && Array.isArray(body)) {
		return { ok: true, message: `The API key works: edna lists ${body.length} channel${body.length === 1 ? '' : 's'} for it.` };
	}
	if (status === 401) {
		return {
			ok: false,
			message:
				'edna refused the API key (401): it is wrong or expired, or it is the webhook key pasted by mistake. Copy the API key from edna Pulse: Integration → Settings → Main profile (master key) or the API Key tab (additional keys). Check that the Base URL is your region.',
		};
	}
	if (status === 403) {
		return {
			ok: false,
			message:
				'The API key is valid but may not list channels (403): it is an additional key without the "channels" method group. Add that group (and the channels you send on) to the key in edna Pulse (Integration → Settings → API Key), or use the master key.',
		};
	}
	if (status === 404 || status === 405 || (status >= 200 && status < 300)) {
		return { ok: false, message: `No edna Pulse API at ${apiUrl(baseUrl, '')} (HTTP ${status}). Check the Base URL, e.g. https://app.edna.io/api.` };
	}
	const problem = problemOf(status, body);
	return { ok: false, message: `edna Pulse answered ${status} (${problem.title}). Try again later.` };
}
