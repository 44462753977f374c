// Small statistics and formatting helpers shared by the benches.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function quantile(values, q) {
	if (values.length === 0) return NaN;
	const sorted = Float64Array.from(values).sort();
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);

/** Load average and CPU count, to say how busy the machine was when a figure was taken. */
export function machineLoad() {
	const [one, five, fifteen] = os.loadavg();
	return { loadavg: [one, five, fifteen].map((v) => Number(v.toFixed(2))), cpus: os.cpus().length };
}

function osName() {
	try {
		return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? os.type();
	} catch {
		return os.type();
	}
}

export function machine() {
	return {
		cpu: os.cpus()[0]?.model ?? 'unknown CPU',
		cpus: os.cpus().length,
		memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
		os: osName(),
		kernel: os.release(),
		node: process.version,
	};
}

/** A plain-text table: rows are arrays of cells, the first row is the header. */
export function table(rows) {
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
	return rows
		.map((r, n) => {
			const line = r.map((c, i) => (typeof c === 'number' || /^[\d.×x%-]+$/.test(String(c)) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
			return n === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
		})
		.join('\n');
}

export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
