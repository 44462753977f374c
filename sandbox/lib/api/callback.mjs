// POST callback/set (http://docs-pulse.edna.io/docs/api/callback/callback-set, docs/edna-api.md §5.1): sets the
// webhook URLs of one channel (subjectId) or of all, after a HEAD check each URL must answer with 200.
// Answers `{"code": …}`, not problem details.
import { isRestricted, authorizeChannels } from '../auth.mjs';
import {
	API_CALLBACK_FIELDS,
	RESTRICTED_KEY_MAY_SET_ALL_CHANNEL_CALLBACKS,
	forbidden,
} from '../choices.mjs';
import { ApiError, CallbackError } from '../errors.mjs';
import { channelBySubjectId } from '../state.mjs';

const URL_MAX = 500;

export async function callbackSet({ state, key, body, webhooks, requireHttps }) {
	const hasSubject =
		body.subjectId !== undefined && body.subjectId !== null && body.subjectId !== '';
	const subjectId = hasSubject ? Number(body.subjectId) : null;
	if (hasSubject && !channelBySubjectId(state, subjectId))
		throw new CallbackError('error-subject-unknown');
	if (hasSubject) authorizeChannels(key, [subjectId]);
	else if (isRestricted(key) && !RESTRICTED_KEY_MAY_SET_ALL_CHANNEL_CALLBACKS) {
		const b = forbidden('all channels (set subjectId)');
		throw Object.assign(new ApiError(403, b.title, b.detail), { body: b });
	}

	// an empty string is "not specified": edna documents no way to clear a URL
	const given = API_CALLBACK_FIELDS.filter((f) => typeof body[f] === 'string' && body[f] !== '');
	if (!given.length) throw new CallbackError('url-not-specified');
	for (const f of given) {
		if (body[f].length > URL_MAX) throw new CallbackError('error-callback-url-max-length');
		if (requireHttps && !body[f].startsWith('https://'))
			throw new CallbackError('error-callback-url-not-https');
	}
	// all or nothing: one URL failing the check registers none
	const checks = await Promise.all(given.map((f) => webhooks.check(body[f])));
	if (checks.some((c) => c.status !== 200))
		throw new CallbackError('error-callback-url-not-available');
	for (const f of given) webhooks.register(f, body[f], subjectId);
	return { status: 200, body: { code: 'ok' } };
}
