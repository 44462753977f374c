/**
 * The webhook key held between requests: what is read when, how long an old key lives, and what a
 * flood of wrong keys or a failing read costs. The clock and the credential read are stand-ins.
 */
import { expectedKeyOf, type AuthResult, type ExpectedKey } from '../../../nodes/EdnaPulse/trigger/auth';
import { KEY_LIFETIME_MS, REREAD_INTERVAL_MS, WebhookKeyCache } from '../../../nodes/EdnaPulse/trigger/webhookKeys';

/** A request presenting `presented`, compared as the trigger compares it (by digest). */
const presenting =
	(presented: string) =>
	(key: ExpectedKey): AuthResult =>
		key.configured && key.digest.equals(expectedKeyOf(presented).digest) ? 'ok' : 'mismatch';
const presentingNothing = (): AuthResult => 'missing';

function setup() {
	let now = 5_000_000;
	const clock = {
		advance: (ms: number) => {
			now += ms;
		},
	};
	const cache = new WebhookKeyCache(() => now);
	let stored = 'key-one';
	let fails = false;
	let reads = 0;
	/** Reads resolve when released, so tests decide what is in flight. */
	const pending: Array<() => void> = [];
	let manual = false;
	const read = async (): Promise<ExpectedKey> => {
		reads++;
		const key = stored;
		const fail = fails;
		if (manual) await new Promise<void>((resolve) => pending.push(resolve));
		if (fail) throw new Error('Credential with ID "c" does not exist');
		return expectedKeyOf(key);
	};
	return {
		cache,
		clock,
		check: (presented: string | undefined, id = 'wf\u0000c') =>
			cache.check(id, read, presented === undefined ? presentingNothing : presenting(presented)).then((r) => r.auth),
		store: (key: string) => {
			stored = key;
		},
		fail: (value: boolean) => {
			fails = value;
		},
		reads: () => reads,
		holdReads: () => {
			manual = true;
		},
		release: () => {
			manual = false;
			pending.splice(0).forEach((resolve) => resolve());
		},
	};
}

test('the right key is checked against what is held: one read per KEY_LIFETIME_MS', async () => {
	const t = setup();
	for (let i = 0; i < 10; i++) expect(await t.check('key-one')).toBe('ok');
	expect(t.reads()).toBe(1);
	t.clock.advance(KEY_LIFETIME_MS - 1);
	expect(await t.check('key-one')).toBe('ok');
	expect(t.reads()).toBe(1);
	t.clock.advance(1);
	expect(await t.check('key-one')).toBe('ok');
	expect(t.reads()).toBe(2);
});

test('a new key is accepted on its first request: a key that does not match causes a read', async () => {
	const t = setup();
	expect(await t.check('key-one')).toBe('ok');
	t.store('key-two');
	t.clock.advance(1);
	expect(await t.check('key-two')).toBe('ok');
	expect(t.reads()).toBe(2);
	// What was read replaced what was held: the old key is refused from now on.
	expect(await t.check('key-one')).toBe('mismatch');
});

test('an old key that is the only one sent stops working KEY_LIFETIME_MS after the read that held it began', async () => {
	const t = setup();
	expect(await t.check('key-one')).toBe('ok');
	t.store('key-two');
	t.clock.advance(KEY_LIFETIME_MS - 1);
	expect(await t.check('key-one')).toBe('ok');
	t.clock.advance(1);
	expect(await t.check('key-one')).toBe('mismatch');
});

test('wrong keys: at most one read at a time, and one read per REREAD_INTERVAL_MS', async () => {
	const t = setup();
	expect(await t.check('key-one')).toBe('ok');
	t.holdReads();
	const flood = Array.from({ length: 100 }, (_, i) => t.check(`wrong-${i}`));
	t.release();
	expect(await Promise.all(flood)).toEqual(Array(100).fill('mismatch'));
	expect(t.reads()).toBe(2);
	for (let i = 0; i < 100; i++) {
		t.clock.advance(REREAD_INTERVAL_MS / 100 - 1);
		expect(await t.check(`wrong-again-${i}`)).toBe('mismatch');
	}
	// 100 × (interval/100 − 1) ms is just under one interval: still no new read.
	expect(t.reads()).toBe(2);
	t.clock.advance(100);
	expect(await t.check('wrong-later')).toBe('mismatch');
	expect(t.reads()).toBe(3);
});

test('no key presented: answered from what is held, without a read', async () => {
	const t = setup();
	expect(await t.check(undefined)).toBe('missing');
	expect(await t.check(undefined)).toBe('missing');
	expect(t.reads()).toBe(1);
});

test('requests while a read is in flight wait for that read, not for their own', async () => {
	const t = setup();
	t.holdReads();
	const calls = [t.check('key-one'), t.check('key-one'), t.check('nope')];
	await Promise.resolve();
	t.release();
	expect(await Promise.all(calls)).toEqual(['ok', 'ok', 'mismatch']);
	expect(t.reads()).toBe(1);
});

test('a failing read drops what was held and fails every request waiting on it', async () => {
	const t = setup();
	expect(await t.check('key-one')).toBe('ok');
	t.fail(true);
	t.holdReads();
	const calls = [t.check('wrong'), t.check('key-one')];
	t.clock.advance(KEY_LIFETIME_MS);
	const late = t.check('key-one');
	t.release();
	await expect(calls[0]).rejects.toThrow('does not exist');
	// The right key did not need the read (it matched what was held when it arrived).
	await expect(calls[1]).resolves.toBe('ok');
	await expect(late).rejects.toThrow('does not exist');
	// Nothing held any more: the next request reads again.
	t.fail(false);
	expect(await t.check('key-one')).toBe('ok');
	expect(t.reads()).toBe(2 + 1);
});

test('an empty key accepts nothing, and is read again like a wrong key, not on every request', async () => {
	const t = setup();
	t.store('   ');
	expect(await t.check('')).toBe('mismatch');
	for (let i = 0; i < 20; i++) expect(await t.check('anything')).toBe('mismatch');
	expect(t.reads()).toBe(2);
});

test('entries are per ID, and expired ones are dropped when another ID is added', async () => {
	const t = setup();
	expect(await t.check('key-one', 'wf-a\u0000c')).toBe('ok');
	t.store('key-two');
	expect(await t.check('key-two', 'wf-b\u0000c')).toBe('ok');
	expect(await t.check('key-one', 'wf-a\u0000c')).toBe('ok');
	expect(t.cache.size).toBe(2);
	t.clock.advance(KEY_LIFETIME_MS);
	expect(await t.check('key-two', 'wf-c\u0000c')).toBe('ok');
	expect(t.cache.size).toBe(1);
});

test('only digests are held, never the key', async () => {
	const t = setup();
	t.store('a-very-recognisable-key');
	expect(await t.check('a-very-recognisable-key')).toBe('ok');
	const held = JSON.stringify([...(t.cache as unknown as { slots: Map<string, unknown> }).slots]);
	expect(held).not.toContain('a-very-recognisable-key');
	expect(held).not.toContain(Buffer.from('a-very-recognisable-key').toString('hex'));
});
