/**
 * A memo that lives as long as one node run: n8n gives each run (and each picker call) its own
 * context object, so keying on it forgets everything when the run ends. The first call for a
 * context and key starts the work; later calls share its promise. A failure is not kept, so the
 * next call tries again.
 */
export function perRun<T>(): (ctx: object, key: string, load: () => Promise<T>) => Promise<T> {
	const runs = new WeakMap<object, Map<string, Promise<T>>>();
	return (ctx, key, load) => {
		let byKey = runs.get(ctx);
		if (byKey === undefined) runs.set(ctx, (byKey = new Map()));
		let pending = byKey.get(key);
		if (pending === undefined) {
			pending = load();
			const memo = byKey;
			pending.catch(() => memo.delete(key));
			byKey.set(key, pending);
		}
		return pending;
	};
}
