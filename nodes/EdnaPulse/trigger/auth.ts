import { hash, timingSafeEqual } from 'crypto';

/**
 * The webhook key check. edna does not document the header; production traffic carries
 * `Authorization: Token <key>` (docs/edna-api.md §W2.3). Accepted forms:
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
 * What the check needs of the configured key: its digest and whether one is set. Holding this
 * instead of the key is what lets the trigger keep it between requests (webhookKeys.ts).
 */
export interface ExpectedKey {
	readonly digest: Buffer;
	readonly configured: boolean;
}

export function expectedKeyOf(configuredKey: string): ExpectedKey {
	const key = configuredKey.trim();
	return { digest: digest(key), configured: key !== '' };
}

/**
 * Pure: sees only header values and the configured key's digest, never the body. Every candidate
 * is compared, so the time taken does not depend on which one matched.
 */
export function checkPresentedKey(headers: Record<string, HeaderValue>, expected: ExpectedKey): AuthResult {
	const candidates = presentedKeys(headers);
	if (candidates.length === 0) return 'missing';
	let matched = false;
	for (const candidate of candidates) {
		matched = timingSafeEqual(digest(candidate), expected.digest) || matched;
	}
	return matched && expected.configured ? 'ok' : 'mismatch';
}

/** The same check against the configured key itself. */
export function checkWebhookKey(headers: Record<string, HeaderValue>, expectedKey: string): AuthResult {
	return checkPresentedKey(headers, expectedKeyOf(expectedKey));
}
