#!/usr/bin/env node
// `npm run sandbox`: a local edna Pulse until Ctrl-C. Run `npm run sandbox -- --help`.
import path from 'node:path';
import { parseCli } from './lib/cli.mjs';
import { start } from '../sandbox/index.mjs';

const HELP = `Run the edna Pulse sandbox: a local edna for tests, demos and people without an edna account.
It answers edna's API under /api, sends edna's webhooks to the URLs you register, and shows
each customer's conversation at its address (write as the customer there).

Usage: npm run sandbox [-- options]

Options:
  --port <n>             port to listen on (default: 8025; 0 = any free port)
  --host <address>       address to listen on (default: 127.0.0.1)
  --speed <x>            edna time runs x times faster: statuses, retries (4/128/2048 s),
                         the 20-minute duplicate window, the 24 h window (default: 1)
  --failure-rate <r>     share of messages that end UNDELIVERED or FAILED, 0..1 (default: 0)
  --seed <file>          account data (default: sandbox/seed.json)
  --webhooks <file>      webhook URLs to use from the start (JSON, see sandbox/README.md)
  --webhook-key <key>    key sent as "Authorization: Token <key>" (default: the seed's; "" = none)
  --require-https        callback/set refuses http:// URLs, as edna does
  --no-session-window    send free-form WhatsApp messages without a customer message in the last 24 h
  --latency-ms <n>       answer every API call n real milliseconds after it arrived (default: 0)
  --rate-limit <n>       at most n sends a second (cascade/schedule, v1 template sends); over it
                         429 with Retry-After (default: no limit)
  --rate-burst <n>       sends allowed at once before the rate applies (default: the rate)
  --v1-message-id-not-unique
                         accept a v1 messageId used before as a new message (default: refused)
  --quiet                do not print one line per webhook
  -h, --help             show this help

See sandbox/README.md for the endpoints, the seed and what the sandbox imitates.`;

const { values, fail } = parseCli({
	name: 'sandbox',
	help: HELP,
	options: {
		port: { type: 'string', default: '8025' },
		host: { type: 'string', default: '127.0.0.1' },
		speed: { type: 'string', default: '1' },
		'failure-rate': { type: 'string', default: '0' },
		seed: { type: 'string' },
		webhooks: { type: 'string' },
		'webhook-key': { type: 'string' },
		'require-https': { type: 'boolean', default: false },
		'no-session-window': { type: 'boolean', default: false },
		'latency-ms': { type: 'string', default: '0' },
		'rate-limit': { type: 'string' },
		'rate-burst': { type: 'string' },
		'v1-message-id-not-unique': { type: 'boolean', default: false },
		quiet: { type: 'boolean', default: false },
	},
});

const port = Number(values.port);
const speed = Number(values.speed);
const failureRate = Number(values['failure-rate']);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be an integer 0..65535');
if (!(speed > 0)) fail('--speed must be a number > 0');
if (!(failureRate >= 0 && failureRate <= 1)) fail('--failure-rate must be between 0 and 1');
const latencyMs = Number(values['latency-ms']);
if (!(latencyMs >= 0 && Number.isFinite(latencyMs))) fail('--latency-ms must be a number >= 0');
let rateLimit = null;
if (values['rate-limit'] !== undefined) {
	const perSecond = Number(values['rate-limit']);
	if (!(perSecond > 0 && Number.isFinite(perSecond))) fail('--rate-limit must be a number > 0');
	rateLimit = { perSecond };
	if (values['rate-burst'] !== undefined) {
		rateLimit.burst = Number(values['rate-burst']);
		if (!(rateLimit.burst >= 1 && Number.isFinite(rateLimit.burst)))
			fail('--rate-burst must be a number >= 1');
	}
} else if (values['rate-burst'] !== undefined) fail('--rate-burst needs --rate-limit');

let sandbox;
try {
	sandbox = await start({
		port,
		host: values.host,
		speed,
		failureRate,
		seedFile: values.seed && path.resolve(values.seed),
		webhooks: values.webhooks && path.resolve(values.webhooks),
		webhookKey: values['webhook-key'],
		requireHttps: values['require-https'],
		sessionWindow: !values['no-session-window'],
		latencyMs,
		rateLimit,
		v1MessageIdUnique: !values['v1-message-id-not-unique'],
		log: values.quiet ? () => {} : (line) => console.log(line),
	});
} catch (error) {
	fail(
		error.code === 'EADDRINUSE'
			? `port ${port} is taken; choose another with --port (0 = any free port)`
			: error.message,
	);
}

const k = sandbox.keys;
const limits = sandbox.limits();
const limitsLine = [
	limits.latencyMs && `latency ${limits.latencyMs} ms`,
	limits.rateLimit &&
		`${limits.rateLimit.perSecond} sends/s (burst ${limits.rateLimit.burst}), then 429`,
	!limits.v1MessageIdUnique && 'v1 messageId may repeat',
]
	.filter(Boolean)
	.join('; ');
console.log(`edna Pulse sandbox is running${speed !== 1 ? ` (speed ×${speed})` : ''}

  conversation page  ${sandbox.url}/
  API base URL       ${sandbox.apiUrl}
  master API key     ${k.master}
${k.additional.map((a) => `  additional key     ${a.key}  (channels ${a.channels.join(', ')}; ${a.groups.join(', ')}${a.validUntil ? `; valid until ${a.validUntil}` : ''})`).join('\n')}
  webhook key        ${k.webhook || '(none: webhooks carry no Authorization header)'}
  webhook URLs       ${
		sandbox.webhooks.list().length
			? sandbox.webhooks
					.list()
					.map((w) => `${w.field}${w.subjectId ? `[${w.subjectId}]` : ''} ${w.url}`)
					.join('\n                     ')
			: 'none yet: POST /api/callback/set or --webhooks <file>'
	}${limitsLine ? `\n  limits             ${limitsLine}` : ''}

Try: curl -s -H 'X-API-KEY: ${k.master}' ${sandbox.apiUrl}/channel-profile
Ctrl-C stops the sandbox.`);

const shutdown = async () => {
	await sandbox.stop();
	process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
