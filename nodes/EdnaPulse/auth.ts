import { hash, timingSafeEqual } from 'crypto';

/**
 * The webhook key check. edna does not document the header; production traffic carries
 * `Authorization: Token <key>` (wire-format doc, section 2.3). Accepted forms:
 * `Authorization: Token <key>` (any case of Token), `Authorization: Bearer <key>`,
 * `Authorization: <key>` and `X-API-KEY: <key>`.
 */
export type AuthResult = 'ok' | 'missing' | 'mismatch';

type HeaderValue = string | string[] | undefined;

const SCHEME = /^(?:token|bearer)[ \t]+/i;

// One-shot hashing to hex, then the 32 bytes: on Node 24 half the cost of hash()'s own 'buffer'
// output and a third of a createHash object, paid for every candidate of every request.
const digest = (value: string): Buffer => Buffer.from(hash('sha256', value), 'hex');

/** Constant time whatever the lengths: both sides are compared as fixed-size digests. */
export function sameKey(presented: string, expected: string): boolean {
	return timingSafeEqual(digest(presented), digest(expected));
}

const firstValue = (value: HeaderValue): string =>
	(Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();

/** Every way the request could be presenting the key, most specific first. */
export function presentedKeys(headers: Record<string, HeaderValue>): string[] {
	const candidates: string[] = [];
	const authorization = firstValue(headers.authorization);
	if (authorization !== '') {
		const withoutScheme = authorization.replace(SCHEME, '').trim();
		if (withoutScheme !== authorization && withoutScheme !== '') candidates.push(withoutScheme);
		candidates.push(authorization);
	}
	const apiKey = firstValue(headers['x-api-key']);
	if (apiKey !== '') candidates.push(apiKey);
	return candidates;
}

/**
 * Pure: sees only header values and the configured key, never the body. Every candidate is
 * compared, so the time taken does not depend on which one matched.
 */
export function checkWebhookKey(headers: Record<string, HeaderValue>, expectedKey: string): AuthResult {
	const candidates = presentedKeys(headers);
	if (candidates.length === 0) return 'missing';
	const expected = expectedKey.trim();
	const expectedDigest = digest(expected);
	let matched = false;
	for (const candidate of candidates) {
		matched = timingSafeEqual(digest(candidate), expectedDigest) || matched;
	}
	return matched && expected !== '' ? 'ok' : 'mismatch';
}
