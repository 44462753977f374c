import type { IExecuteFunctions, IHookFunctions } from 'n8n-workflow';

import type { HeadResult } from './callbackSet';
import { noAnswerCode } from './index';

/** How long the HEAD check waits: edna's own check gives up quickly too (docs/edna-api.md §5.1). */
export const HEAD_TIMEOUT_MS = 10000;

/**
 * Asks a webhook URL what edna will ask it before `callback/set` accepts it: a HEAD request that
 * must answer 200 (docs/edna-api.md §5.1). The request goes to the user's URL, not to edna, so it carries
 * no credential; redirects are not followed, because edna is not known to follow them. Only the
 * status, or the error code when there is no answer, is kept.
 */
export async function headStatus(
	ctx: IExecuteFunctions | IHookFunctions,
	url: string,
): Promise<HeadResult> {
	try {
		const answer = (await ctx.helpers.httpRequest({
			method: 'HEAD',
			url,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: HEAD_TIMEOUT_MS,
		})) as { statusCode?: number };
		return { status: answer.statusCode ?? 0 };
	} catch (error) {
		return { error: noAnswerCode(error) };
	}
}
