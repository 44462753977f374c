#!/usr/bin/env node
// edna Pulse traffic simulator. Run `npm run simulate -- --help`.
import path from 'node:path';
import { parseCli } from './lib/cli.mjs';
import { EVENT_KINDS, FIXTURES_DIR } from '../sandbox/lib/webhook-shapes.mjs';
import { REPO_ROOT } from './lib/n8n/common.mjs';
import { loadFixtures, runTraffic } from './lib/simulator.mjs';

const HELP = `Send edna Pulse webhook traffic to a URL, the way edna does:
a HEAD request to verify the URL (must answer 200), then JSON POSTs with
"Authorization: Token <key>" and "content-type: application/json".

Usage: npm run simulate -- --url <webhook URL> [options]

Options:
  --url <url>            webhook URL (required)
  --key <key>            edna webhook key; omit to send no Authorization header
                         (edna with webhook authentication switched off)
  --event <kind|all>     ${EVENT_KINDS.join(', ')} or all (default: all)
  --variant <name|all>   fixture variant, a file name in test/fixtures/<kind>/ (default: all)
  --count <n>            events to send, cycling over the selected fixtures
                         (default: each selected fixture once)
  --concurrency <n>      requests in flight (default: 1)
  --retries <fraction>   share of events sent a second time with the identical body,
                         as edna redelivers (0..1, default: 0)
  --unique               vary each event's identity fields (ids, timestamps) so every
                         send is a distinct edna event
  --header <name:value>  extra or replacing header, repeatable ("name:" removes it)
  --no-verify            skip the HEAD check
  --fixtures <dir>       fixtures folder (default: test/fixtures)
  --list                 list the fixtures and exit
  --json                 print the summary as JSON
  --verbose              print one line per request
  -h, --help             show this help

Exit code: 0 when the HEAD check and every POST answered 200, 1 otherwise.

Examples:
  npm run simulate -- --url http://localhost:5678/webhook/<id>/webhook --key <key> --event messageStatus
  npm run simulate -- --url <url> --key <key> --event incomingMessage --count 500 --concurrency 10 --unique --retries 0.1`;

const { values, fail } = parseCli({
	name: 'simulate',
	help: HELP,
	options: {
		url: { type: 'string' },
		key: { type: 'string' },
		event: { type: 'string', default: 'all' },
		variant: { type: 'string', default: 'all' },
		count: { type: 'string' },
		concurrency: { type: 'string', default: '1' },
		retries: { type: 'string', default: '0' },
		unique: { type: 'boolean', default: false },
		header: { type: 'string', multiple: true, default: [] },
		'no-verify': { type: 'boolean', default: false },
		fixtures: { type: 'string', default: FIXTURES_DIR },
		list: { type: 'boolean', default: false },
		json: { type: 'boolean', default: false },
		verbose: { type: 'boolean', default: false },
	},
});

const fixtures = await loadFixtures({
	dir: path.resolve(values.fixtures),
	kind: values.event,
	variant: values.variant,
}).catch((error) => fail(error.message));

if (values.list) {
	for (const f of fixtures) console.log(`${f.kind}/${f.variant}\t${path.relative(REPO_ROOT, f.file)}`);
	process.exit(0);
}
if (!values.url) fail('--url is required');
if (fixtures.length === 0) fail(`no fixtures for --event ${values.event} --variant ${values.variant} in ${values.fixtures}`);

const int = (name, min) => {
	const n = Number(values[name]);
	if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}`);
	return n;
};
const retries = Number(values.retries);
if (!(retries >= 0 && retries <= 1)) fail('--retries must be a fraction between 0 and 1');

const headers = {};
for (const h of values.header) {
	const i = h.indexOf(':');
	if (i <= 0) fail(`--header "${h}" must look like name:value`);
	const value = h.slice(i + 1).trim();
	headers[h.slice(0, i).trim().toLowerCase()] = value === '' ? null : value;
}

const summary = await runTraffic({
	url: values.url,
	key: values.key,
	fixtures,
	count: values.count === undefined ? fixtures.length : int('count', 1),
	concurrency: int('concurrency', 1),
	retries,
	unique: values.unique,
	verify: !values['no-verify'],
	headers,
	onResult: values.verbose
		? ({ event, result, retry }) =>
				console.log(
					`${result.status || result.error}\t${Math.round(result.ms)} ms\t${event.kind}/${event.variant}#${event.index + 1}${retry ? ' (resent)' : ''}\t${result.text.slice(0, 120)}`,
				)
		: undefined,
});

const ok =
	(summary.head === null || summary.head === 200) &&
	summary.sent > 0 &&
	Object.keys(summary.byStatus).every((code) => code === '200');

if (values.json) {
	console.log(JSON.stringify({ ok, ...summary }, null, 2));
} else if (summary.head !== null && summary.head !== 200) {
	console.log(`HEAD ${values.url} -> ${summary.head || summary.headError}: edna would not accept this URL.`);
} else {
	const codes = Object.entries(summary.byStatus)
		.map(([code, n]) => `${code === '0' ? 'network error' : code}: ${n}`)
		.join(', ');
	const l = summary.latencyMs;
	console.log(`URL        ${values.url}`);
	if (summary.head !== null) console.log(`HEAD       ${summary.head}`);
	console.log(`sent       ${summary.sent} (${summary.events} events, ${summary.resent} resent)`);
	console.log(`by status  ${codes}`);
	if (Object.keys(summary.errors).length) console.log(`errors     ${JSON.stringify(summary.errors)}`);
	console.log(`duration   ${(summary.durationMs / 1000).toFixed(2)} s, ${summary.rps} req/s`);
	console.log(`latency    p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms`);
}
process.exit(ok ? 0 : 1);
