// What an n8n process costs while a bench loads it, read from Linux /proc: CPU time of its process
// group, its resident memory, and when it has finished the work it accepted. Used by bench/n8n.mjs
// and the sections it runs.
import { readFileSync, readdirSync } from 'node:fs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds used so far by a process and its children that have exited (Linux /proc). */
export function cpuSeconds(pid) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime, stime, cutime, cstime are fields 14-17 of stat; here offset by the two dropped.
		return fields.slice(11, 15).reduce((sum, v) => sum + Number(v), 0) / 100;
	} catch {
		return 0;
	}
}

/** Every process in n8n's process group (n8n and its task runner). */
export function groupPids(group) {
	const pids = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
			if (Number(fields[2]) === group) pids.push(Number(entry));
		} catch {
			// gone
		}
	}
	return pids;
}

/** CPU seconds used by n8n's process group (all threads: isolates are built off the main one). */
export const groupCpuSeconds = (handle) => groupPids(handle.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);

/**
 * Waits until n8n has finished the runs it accepted: its CPU use stays under 10% of a core for a
 * quarter of a second. Returns how long that took (the time n8n still spent on the run's work).
 */
export async function settle(handle, { timeoutMs = 60_000 } = {}) {
	const t0 = Date.now();
	const usage = () => groupCpuSeconds(handle);
	let last = usage();
	while (Date.now() - t0 < timeoutMs) {
		await sleep(250);
		const now = usage();
		if (now - last < 0.025) return (Date.now() - t0 - 250) / 1000;
		last = now;
	}
	return (Date.now() - t0) / 1000;
}

/** Resident memory of one process in MiB (VmRSS of /proc/<pid>/status); NaN once it is gone. */
export function rssMiB(pid) {
	try {
		const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb === undefined ? NaN : Number(kb) / 1024;
	} catch {
		return NaN;
	}
}

/**
 * Samples a process's resident memory every `everyMs` from now until stop(), which returns
 * `{beforeMiB, peakMiB, endMiB, samples}`: at the start, the highest sample, and at stop().
 */
export function sampleRss(pid, { everyMs = 200 } = {}) {
	const beforeMiB = rssMiB(pid);
	let peakMiB = beforeMiB;
	let samples = 1;
	const take = () => {
		const now = rssMiB(pid);
		samples++;
		if (now > peakMiB) peakMiB = now;
		return now;
	};
	const timer = setInterval(take, everyMs);
	return {
		stop() {
			clearInterval(timer);
			const endMiB = take();
			return { beforeMiB, peakMiB, endMiB, samples };
		},
	};
}
