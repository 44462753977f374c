#!/usr/bin/env node
// npm run bench — the node's own cost, in process, against the built dist/ (run `npm run build` first;
// the npm script does).
//
// Per event kind and output mode: median and p99 microseconds of one webhook() call (auth + body +
// recognise + filter + validate + shape), measured
//   - inside n8n-core's real WebhookContext (so n8n's getNodeParameter/getCredentials are included),
//   - with a plain stub context (the node's pipeline alone),
// beside a same-run baseline: JSON.parse of the same body and wrapping it into items, which is what
// any trigger that passes the body through costs. The three are interleaved in rounds.
// Then large template-status bodies (1,000 to 20,000 templates): time and memory, each measured in
// a fresh process. With --against, this build and the other one run in alternating fresh processes,
// round after round, and each round gives a ratio of their CPU times: a ratio taken minutes apart,
// or from one process each, says more about the machine than about the node on a shared machine.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { parseCli } from '../scripts/lib/cli.mjs';
import { REPO_ROOT } from '../scripts/lib/n8n/common.mjs';
import { resolveBuild } from './lib/builds.mjs';
import { loadTrigger, n8nContextFactory, request, stubContextFactory } from './lib/contexts.mjs';
import { fixed, machine, machineLoad, median, quantile, table } from './lib/stats.mjs';

const HELP = `Usage: node bench/in-process.mjs [options]   (npm run bench -- [options])

  --samples N       timed calls per variant and case (default 20000, split over the rounds)
  --rounds N        rounds; each runs every case (default 10)
  --sizes LIST      template counts for the large body (default 1000,10000,20000)
  --repeats N       timed calls per large-body size and process (default 7)
  --large-rounds N  fresh processes per build, size and output (default 5 with --against, else 1)
  --only-large      skip the per-kind table
  --against REF     also measure another build of the node in the same run and report this
                    build's time relative to it: a commit of this repository (built once into
                    the temporary directory with this checkout's node_modules) or a dist folder
  --json FILE       also write every figure as JSON (default bench/results/in-process.json)
  -h, --help
`;

const fixture = (kind, variant) => readFileSync(path.join(REPO_ROOT, 'test/fixtures', kind, `${variant}.json`), 'utf8');

/** What is measured: one representative body per kind, each output mode, and an event the user's filter drops. */
const CASES = [
	{ kind: 'messageStatus', variant: 'delivered', output: 'simplified' },
	{ kind: 'messageStatus', variant: 'delivered', output: 'raw' },
	{ kind: 'messageStatus', variant: 'delivered', output: 'filtered out', filters: { statuses: ['UNDELIVERED'] } },
	{ kind: 'incomingMessage', variant: 'text', output: 'simplified' },
	{ kind: 'incomingMessage', variant: 'text', output: 'raw' },
	{ kind: 'incomingMessage', variant: 'text', output: 'filtered out', filters: { contentTypes: ['IMAGE'] } },
	{ kind: 'templateStatus', variant: 'array', output: 'simplified' },
	{ kind: 'templateStatus', variant: 'array', output: 'raw' },
	{ kind: 'templateCategory', variant: 'current', output: 'simplified' },
	{ kind: 'templateCategory', variant: 'current', output: 'raw' },
	{ kind: 'linkClick', variant: 'current', output: 'simplified' },
	{ kind: 'linkClick', variant: 'current', output: 'raw' },
];

const parametersOf = (c) => ({
	event: c.kind,
	output: c.output === 'raw' ? 'raw' : 'simplified',
	...(c.filters ? { filters: c.filters } : {}),
});

const elapsedMicros = (start) => Number(process.hrtime.bigint() - start) / 1000;

/**
 * A clock: wall time, or this thread's CPU time (user + system), which a busy machine inflates far
 * less when a call is long enough to be preempted (the large bodies).
 */
const CLOCKS = {
	wall: { now: () => process.hrtime.bigint(), micros: (start) => elapsedMicros(start) },
	cpu: {
		now: () => process.threadCpuUsage(),
		micros: (start) => {
			const d = process.threadCpuUsage(start);
			return d.user + d.system;
		},
	},
};

/** The baseline: what passing the body through costs (n8n's parse plus one item per event). */
function baseline(text) {
	const value = JSON.parse(text);
	return (Array.isArray(value) ? value : [value]).map((json) => ({ json }));
}

/** One timed call of webhook(); the body is parsed and the context built outside the timing, as n8n does both. */
async function timeWebhook(trigger, makeContext, text, clock = CLOCKS.wall) {
	const context = makeContext(request(text, JSON.parse(text)));
	const start = clock.now();
	const result = await trigger.webhook.call(context);
	const micros = clock.micros(start);
	if (result.workflowData === undefined && result.webhookResponse === undefined) {
		throw new Error(`unexpected answer ${JSON.stringify(result)}`);
	}
	return micros;
}

function timeBaseline(text, clock = CLOCKS.wall) {
	const start = clock.now();
	baseline(text);
	return clock.micros(start);
}

/**
 * Every case in every round, so a change in the machine's load during the run touches all cases
 * alike; within a case the baseline, the two contexts and --against alternate.
 */
async function perKind(trigger, { samples, rounds, against }) {
	const perRound = Math.max(1, Math.floor(samples / rounds));
	const cases = CASES.map((c) => ({
		c,
		text: fixture(c.kind, c.variant),
		inN8n: n8nContextFactory(trigger, parametersOf(c)),
		stub: stubContextFactory(trigger, parametersOf(c)),
		other: against && n8nContextFactory(against, parametersOf(c)),
		t: { n8n: [], stub: [], base: [], against: [] },
	}));
	// Warm-up: let V8 optimise every path before anything counts.
	for (const { text, inN8n, stub, other } of cases) {
		for (let i = 0; i < 2000; i++) {
			await timeWebhook(trigger, inN8n, text);
			await timeWebhook(trigger, stub, text);
			if (other) await timeWebhook(against, other, text);
			timeBaseline(text);
		}
	}
	for (let r = 0; r < rounds; r++) {
		for (const { text, inN8n, stub, other, t } of cases) {
			for (let i = 0; i < perRound; i++) t.base.push(timeBaseline(text));
			for (let i = 0; i < perRound; i++) t.n8n.push(await timeWebhook(trigger, inN8n, text));
			for (let i = 0; i < perRound; i++) t.stub.push(await timeWebhook(trigger, stub, text));
			if (other) for (let i = 0; i < perRound; i++) t.against.push(await timeWebhook(against, other, text));
		}
		process.stderr.write('.');
	}
	process.stderr.write('\n');
	const figures = (values) => ({ median: median(values), p99: quantile(values, 0.99) });
	return cases.map(({ c, text, other, t }) => ({
		kind: c.kind,
		fixture: `${c.kind}/${c.variant}.json`,
		output: c.output,
		bodyBytes: Buffer.byteLength(text),
		samples: t.n8n.length,
		n8nContext: figures(t.n8n),
		stubContext: figures(t.stub),
		baseline: figures(t.base),
		...(other ? { against: figures(t.against) } : {}),
	}));
}

// ---------------------------------------------------------------------------
// The large template-status body, one size per fresh process.

/** `count` templates in edna's current array format, cycling the fixture's templates with unique IDs. */
function largeBody(count) {
	const templates = JSON.parse(fixture('templateStatus', 'array'));
	const body = [];
	for (let i = 0; i < count; i++) {
		const t = structuredClone(templates[i % templates.length]);
		t.id = 100000 + i;
		t.name = `${t.name}_${i}`;
		t.updatedAt = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
		body.push(t);
	}
	return JSON.stringify(body);
}

async function largeChild(count, repeats, output, dist) {
	const trigger = loadTrigger(dist);
	const parameters = { event: 'templateStatus', output };
	const inN8n = n8nContextFactory(trigger, parameters);
	const text = largeBody(count);

	// Memory first, on a quiet heap. The young generation is made larger than the call's allocations
	// (see the parent's flags), so no collection runs during the call and the heap growth across it is
	// every byte the call allocated: an upper bound of its peak. A collection, if one ran, is reported.
	const { PerformanceObserver } = await import('node:perf_hooks');
	let collections = 0;
	const observer = new PerformanceObserver((list) => {
		collections += list.getEntries().length;
	});
	const context = inN8n(request(text, JSON.parse(text)));
	globalThis.gc();
	globalThis.gc();
	const before = process.memoryUsage().heapUsed;
	observer.observe({ entryTypes: ['gc'] });
	const result = await trigger.webhook.call(context);
	const after = process.memoryUsage().heapUsed;
	await new Promise((resolve) => setTimeout(resolve, 50));
	observer.disconnect();
	globalThis.gc();
	const retained = process.memoryUsage().heapUsed - before;
	const items = result.workflowData?.[0]?.length ?? 0;
	if (items !== count) throw new Error(`expected ${count} items, got ${items}`);

	const times = { wall: [], cpu: [], baseWall: [], baseCpu: [] };
	for (let i = 0; i < repeats; i++) {
		times.baseWall.push(timeBaseline(text));
		times.wall.push(await timeWebhook(trigger, inN8n, text));
		times.baseCpu.push(timeBaseline(text, CLOCKS.cpu));
		times.cpu.push(await timeWebhook(trigger, inN8n, text, CLOCKS.cpu));
	}
	return {
		templates: count,
		output,
		bodyBytes: Buffer.byteLength(text),
		webhookMs: { median: median(times.wall) / 1000, max: Math.max(...times.wall) / 1000 },
		webhookCpuMs: { median: median(times.cpu) / 1000 },
		baselineMs: { median: median(times.baseWall) / 1000 },
		baselineCpuMs: { median: median(times.baseCpu) / 1000 },
		allocatedBytes: after - before,
		collectionsDuringCall: collections,
		retainedBytes: retained,
	};
}

function runLargeSize(count, repeats, output, dist) {
	const child = spawnSync(
		process.execPath,
		['--expose-gc', '--max-semi-space-size=512', '--min-semi-space-size=512', path.join(REPO_ROOT, 'bench/in-process.mjs'), '--large-child', String(count), '--repeats', String(repeats), '--output', output, ...(dist ? ['--dist', dist] : [])],
		{ encoding: 'utf8', maxBuffer: 1 << 20 },
	);
	if (child.status !== 0) throw new Error(`large-body child failed:\n${child.stderr}`);
	return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

/** Each figure of a size's fresh-process runs as its median over them (one run: that run). */
function medianRun(runs) {
	const pick = (get) => median(runs.map(get));
	const first = runs[0];
	return {
		...first,
		processes: runs.length,
		webhookMs: { median: pick((r) => r.webhookMs.median), max: Math.max(...runs.map((r) => r.webhookMs.max)) },
		webhookCpuMs: { median: pick((r) => r.webhookCpuMs.median) },
		baselineMs: { median: pick((r) => r.baselineMs.median) },
		baselineCpuMs: { median: pick((r) => r.baselineCpuMs.median) },
		allocatedBytes: pick((r) => r.allocatedBytes),
		collectionsDuringCall: Math.max(...runs.map((r) => r.collectionsDuringCall)),
		retainedBytes: pick((r) => r.retainedBytes),
	};
}

/**
 * This build against the other, from runs in alternating fresh processes. Per round: the ratio of
 * their CPU medians, and the same ratio with each build's time first divided by its own process's
 * baseline (JSON.parse + wrap of the same body, timed in between its calls). A process that ran
 * slower throughout (another load on the machine, a slower core) is slower at both, so the second
 * ratio varies less from round to round.
 */
function abOf(templates, output, runs) {
	const cpu = (r) => r.webhookCpuMs.median;
	const overBaseline = (r) => r.webhookCpuMs.median / r.baselineCpuMs.median;
	const spread = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
	const ratios = runs.this.map((r, i) => cpu(r) / cpu(runs.against[i]));
	const normalised = runs.this.map((r, i) => overBaseline(r) / overBaseline(runs.against[i]));
	return {
		templates,
		output,
		rounds: ratios.length,
		thisCpuMs: runs.this.map(cpu),
		againstCpuMs: runs.against.map(cpu),
		ratios,
		ratio: spread(ratios),
		normalisedRatios: normalised,
		normalisedRatio: spread(normalised),
		thisOverBaseline: median(runs.this.map(overBaseline)),
		againstOverBaseline: median(runs.against.map(overBaseline)),
	};
}

// ---------------------------------------------------------------------------

function report(rows, large, ab = []) {
	const lines = [];
	if (rows.length > 0) {
		const withAgainst = rows[0].against !== undefined;
		lines.push('webhook() per request, microseconds (median / p99); baseline = JSON.parse + wrap into items');
		lines.push(
			table([
				[
					'event kind',
					'output',
					'n8n ctx median',
					'n8n ctx p99',
					'stub median',
					'stub p99',
					'baseline median',
					'baseline p99',
					...(withAgainst ? ['--against median', 'this/against'] : []),
				],
				...rows.map((r) => [
					r.kind,
					r.output,
					fixed(r.n8nContext.median),
					fixed(r.n8nContext.p99),
					fixed(r.stubContext.median),
					fixed(r.stubContext.p99),
					fixed(r.baseline.median),
					fixed(r.baseline.p99),
					...(withAgainst ? [fixed(r.against.median), `${fixed(r.n8nContext.median / r.against.median, 2)}×`] : []),
				]),
			]),
		);
		lines.push('');
	}
	if (large.length > 0) {
		const processes = large[0].processes ?? 1;
		lines.push(
			`Large template-status body (n8n context; each size in a fresh process${processes > 1 ? `, medians over ${processes} processes per build` : ''}; medians; baseline = JSON.parse + wrap)`,
		);
		lines.push(
			table([
				['build', 'templates', 'output', 'body MB', 'webhook ms', 'webhook CPU ms', 'baseline ms', 'baseline CPU ms', 'allocated MB', 'alloc/body', 'retained MB', 'GCs in call'],
				...large.map((l) => [
					l.build ? '--against' : 'this',
					l.templates,
					l.output,
					fixed(l.bodyBytes / 1e6, 2),
					fixed(l.webhookMs.median),
					fixed(l.webhookCpuMs.median),
					fixed(l.baselineMs.median),
					fixed(l.baselineCpuMs.median),
					fixed(l.allocatedBytes / 1e6, 1),
					`${fixed(l.allocatedBytes / l.bodyBytes, 2)}×`,
					fixed(l.retainedBytes / 1e6, 1),
					l.collectionsDuringCall,
				]),
			]),
		);
	}
	if (ab.length > 0) {
		lines.push('');
		lines.push(
			`This build against --against, CPU ms of one webhook() call, ${ab[0].rounds} rounds of one fresh process per build (alternating order). ratio: this / against per round; ` +
				'over baseline: the same with each time divided by its own process\'s baseline; median [min–max] over the rounds',
		);
		const range = (r) => `${fixed(r.median, 2)}× [${fixed(r.min, 2)}–${fixed(r.max, 2)}]`;
		lines.push(
			table([
				['templates', 'output', 'this CPU ms', 'against CPU ms', 'this / baseline', 'against / baseline', 'ratio', 'ratio over baseline'],
				...ab.map((a) => [
					a.templates,
					a.output,
					fixed(median(a.thisCpuMs)),
					fixed(median(a.againstCpuMs)),
					`${fixed(a.thisOverBaseline, 2)}×`,
					`${fixed(a.againstOverBaseline, 2)}×`,
					range(a.ratio),
					range(a.normalisedRatio),
				]),
			]),
		);
	}
	return lines.join('\n');
}

async function main() {
	const { values } = parseCli({
		name: 'bench',
		help: HELP.trimEnd(),
		options: {
			samples: { type: 'string', default: '20000' },
			rounds: { type: 'string', default: '10' },
			sizes: { type: 'string', default: '1000,10000,20000' },
			repeats: { type: 'string', default: '7' },
			'large-rounds': { type: 'string' },
			'only-large': { type: 'boolean', default: false },
			json: { type: 'string', default: path.join(REPO_ROOT, 'bench/results/in-process.json') },
			'large-child': { type: 'string' },
			dist: { type: 'string' },
			against: { type: 'string' },
			output: { type: 'string', default: 'simplified' },
		},
	});
	if (values['large-child'] !== undefined) {
		const result = await largeChild(Number(values['large-child']), Number(values.repeats), values.output, values.dist);
		process.stdout.write(`\n${JSON.stringify(result)}\n`);
		return;
	}

	const started = { at: new Date().toISOString(), ...machineLoad() };
	process.stderr.write(`loadavg before: ${started.loadavg.join(' ')} (${started.cpus} CPUs)\n`);
	const trigger = loadTrigger();
	const otherBuild = values.against ? resolveBuild(values.against, REPO_ROOT) : undefined;
	const against = otherBuild ? loadTrigger(otherBuild.dist) : undefined;
	const rows = values['only-large']
		? []
		: await perKind(trigger, { samples: Number(values.samples), rounds: Number(values.rounds), against });
	const largeRounds = Number(values['large-rounds'] ?? (otherBuild ? 5 : 1));
	const large = [];
	const ab = [];
	for (const size of values.sizes.split(',').map(Number)) {
		for (const output of ['simplified', 'raw']) {
			const runs = { this: [], against: [] };
			for (let round = 0; round < largeRounds; round++) {
				// Alternating order, so neither build always runs first (or right after the other's body).
				const order = otherBuild && round % 2 === 1 ? ['against', 'this'] : ['this', 'against'];
				for (const build of order) {
					if (build === 'against' && !otherBuild) continue;
					runs[build].push(runLargeSize(size, Number(values.repeats), output, build === 'against' ? otherBuild.dist : undefined));
				}
				process.stderr.write('.');
			}
			large.push(medianRun(runs.this));
			if (otherBuild) {
				large.push({ ...medianRun(runs.against), build: otherBuild.label });
				ab.push(abOf(size, output, runs));
			}
		}
	}
	process.stderr.write('\n');
	const finished = { at: new Date().toISOString(), ...machineLoad() };

	const head = otherBuild ? `this build: ${REPO_ROOT}; --against: ${otherBuild.label}, ${otherBuild.dist}\n\n` : '';
	process.stdout.write(`${head}${report(rows, large, ab)}\n\nloadavg before ${started.loadavg.join(' ')}, after ${finished.loadavg.join(' ')}\n`);
	mkdirSync(path.dirname(values.json), { recursive: true });
	writeFileSync(
		values.json,
		`${JSON.stringify({ machine: machine(), started, finished, against: otherBuild, perKind: rows, large, largeAgainst: ab }, null, 2)}\n`,
	);
	process.stderr.write(`figures written to ${path.relative(process.cwd(), values.json)}\n`);
}

await main();
