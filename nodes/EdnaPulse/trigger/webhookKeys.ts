import type { AuthResult, ExpectedKey } from './auth';

/**
 * How long a key read from n8n's credential is trusted: an old key keeps working for at most this
 * long after it was replaced (SECURITY.md, "Rotating the key"), counted from when the read began.
 */
export const KEY_LIFETIME_MS = 10_000;

/**
 * A key that does not match what is held may be a new one, so it causes a fresh read, but a
 * credential is read again at most once per this interval (and once at a time): a flood of wrong
 * keys costs fewer reads than it did when every request read the credential.
 */
export const REREAD_INTERVAL_MS = 1_000;

interface Read {
	readonly key: ExpectedKey;
	readonly startedAt: number;
}

interface Slot {
	known?: Read;
	reading?: Promise<Read>;
	/** When a key that did not match last caused a read. */
	lastRereadAt: number;
}

export interface KeyCheck {
	auth: AuthResult;
	/** The key the request was checked against (its digest and whether one is configured). */
	key: ExpectedKey;
}

/**
 * The webhook key's digest per credential, for a bounded time. Why: n8n holds its one expression
 * isolate for the whole webhook phase of a community trigger, so a credential read on every request
 * (a database read and a decryption) made every other request wait (BENCHMARKS.md).
 *
 * The one kind of module state that stays correct with several webhook processes (queue mode,
 * docs/queue-mode.md): every entry is keyed by what it depends on and expires within
 * KEY_LIFETIME_MS; each process holds its own, and each gives the same answer within that bound.
 * Only digests are held, never a key. Expiry is by Date.now(), checked on use: nothing is scheduled.
 */
export class WebhookKeyCache {
	private readonly slots = new Map<string, Slot>();

	constructor(private readonly now: () => number = () => Date.now()) {}

	/**
	 * Checks a request against the key held for `id`, reading it (`read`) when none is held, when it
	 * has expired, or when the request's key does not match (bounded as above). A refused request
	 * waits for at most one read, as it did when every request read the credential. A read that fails
	 * drops what was held and rejects: the credential is gone or unreadable.
	 */
	async check(
		id: string,
		read: () => Promise<ExpectedKey>,
		compare: (key: ExpectedKey) => AuthResult,
	): Promise<KeyCheck> {
		const now = this.now();
		const slot = this.slotOf(id, now);
		const known = slot.known;
		if (known !== undefined && now - known.startedAt < KEY_LIFETIME_MS) {
			const auth = compare(known.key);
			// The held key (trusted for KEY_LIFETIME_MS, the documented bound), or no key at all, which
			// no read can make acceptable.
			if (auth !== 'mismatch') return { auth, key: known.key };
			// Another key: perhaps the credential's new one, so read again unless that was just done.
			if (slot.reading === undefined) {
				if (now - slot.lastRereadAt < REREAD_INTERVAL_MS) return { auth, key: known.key };
				slot.lastRereadAt = now;
			}
		}
		const fresh = await this.read(slot, read);
		return { auth: compare(fresh.key), key: fresh.key };
	}

	/** Forgets every key (tests; a process that wants every credential read again). */
	clear(): void {
		this.slots.clear();
	}

	/** How many credentials are held: for tests, to see that expired entries are dropped. */
	get size(): number {
		return this.slots.size;
	}

	private slotOf(id: string, now: number): Slot {
		let slot = this.slots.get(id);
		if (slot === undefined) {
			// New entries are rare (one per workflow and credential), so this is where expired ones go.
			for (const [other, s] of this.slots) {
				const stale = s.known === undefined || now - s.known.startedAt >= KEY_LIFETIME_MS;
				if (stale && s.reading === undefined) this.slots.delete(other);
			}
			slot = { lastRereadAt: -Infinity };
			this.slots.set(id, slot);
		}
		return slot;
	}

	/** One read at a time per credential: requests arriving meanwhile wait for the same one. */
	private read(slot: Slot, read: () => Promise<ExpectedKey>): Promise<Read> {
		if (slot.reading !== undefined) return slot.reading;
		const startedAt = this.now();
		// Started in a microtask so `slot.reading` is set before either callback can clear it.
		const reading = Promise.resolve()
			.then(read)
			.then(
				(key) => {
					slot.reading = undefined;
					const result: Read = { key, startedAt };
					slot.known = result;
					return result;
				},
				(error: unknown) => {
					slot.reading = undefined;
					slot.known = undefined;
					throw error;
				},
			);
		slot.reading = reading;
		return reading;
	}
}

/** The trigger's cache: one per process, as n8n keeps one node object per process. */
export const webhookKeys = new WebhookKeyCache();
