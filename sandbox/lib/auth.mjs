// X-API-KEY as edna checks it (docs/edna-api.md §1.1, §1.3): a master key reaches everything; an additional
// key only its method groups and its channels, and stops at its expiry date.
import { timingSafeEqual } from 'node:crypto';
import { METHOD_GROUPS, forbidden } from './choices.mjs';
import { ApiError, UNAUTHORIZED } from './errors.mjs';

const same = (a, b) => {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
};

/** The seed key for `header`, or a 401 ApiError. */
export function authenticate(state, header) {
	const value = typeof header === 'string' ? header : '';
	const key = value && state.apiKeys.find((k) => same(k.key, value));
	const expired = key && key.validUntil && Date.parse(key.validUntil) <= Date.now();
	if (!key || expired) throw Object.assign(new ApiError(401, '', ''), { body: UNAUTHORIZED });
	return key;
}

const isMaster = (key) => key.type === 'master';

/** 403 unless `key` may call `route` (a path relative to /api). */
export function authorizeGroup(key, route) {
	const group = METHOD_GROUPS[route];
	if (isMaster(key) || (key.groups ?? []).includes(group)) return;
	throw deny(`method group "${group}"`);
}

/** Whether `key` may use channel `subjectId`. */
export const mayUseChannel = (key, subjectId) =>
	isMaster(key) || (key.channels ?? []).includes(subjectId);

/** 403 unless `key` may use every channel in `subjectIds`. */
export function authorizeChannels(key, subjectIds) {
	const denied = subjectIds.filter((id) => !mayUseChannel(key, id));
	if (denied.length) throw deny(`channel ${denied.join(', ')}`);
}

export const isRestricted = (key) => !isMaster(key);

function deny(what) {
	const body = forbidden(what);
	return Object.assign(new ApiError(403, body.title, body.detail), { body });
}
