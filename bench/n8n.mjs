#!/usr/bin/env node
// npm run bench:n8n — the edna Pulse Trigger inside a real n8n (scripts/lib/n8n/index.mjs), beside
// the floor trigger and n8n's own Webhook node + Filter node, under n8n settings an operator can
// change (bench/triggers.mjs). Then, at n8n's defaults, template sends (bench/sends.mjs), one
// AI-agent turn (bench/agent-turn.mjs) and a campaign (bench/campaign.mjs). One throwaway n8n for all
// of them; each section measures its ratios within interleaved rounds of one run. Nothing here is a
// timed test: it prints figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { parseCli } from '../scripts/lib/cli.mjs';
import { REPO_ROOT, createInstance, packPackage, setupOwnerAndApiKey, start, stopInstance } from '../scripts/lib/n8n/index.mjs';
import { agentReport, benchAgentTurn } from './agent-turn.mjs';
import { benchCampaign, campaignReport } from './campaign.mjs';
import { machine, machineLoad } from './lib/stats.mjs';
import { benchSends, sendsReport } from './sends.mjs';
import { DEFAULT_SETTINGS, FLOOR_DIR, SETTINGS, benchTriggers, selectTargets, triggersReport } from './triggers.mjs';

const HELP = `Usage: node bench/n8n.mjs [options]   (npm run bench:n8n -- [options])

  --settings LIST   n8n settings to compare, in order (default ${DEFAULT_SETTINGS}):
                      defaults    n8n as installed
                      pool2       N8N_EXPRESSION_ENGINE_POOL_SIZE=2 (pool4: 4)
                      lazy        N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true
                      nosave      EXECUTIONS_DATA_SAVE_ON_SUCCESS=none
                      tuned       lazy + nosave (tunedPool2: and pool size 2)
  --rounds N        rounds per setting (default 3)
  --duration S      seconds per run (default 4)
  --max-requests N  requests per run at most (default 1500)
  --warmup S        seconds of warm-up per target after each start (default 2)
  --connections N   concurrent connections (default 10)
  --no-build        use dist/ as it is (default: npm run build first)
  --keep            keep n8n's user folder (its path is printed)
  --sends N         then, at n8n defaults: N WhatsApp template sends to the edna sandbox through
                    the edna Pulse node and through n8n's HTTP Request node, in one execution each,
                    interleaved rounds (default 1000; 0 skips)
  --sends-rounds N  rounds of those sends (default 3)
  --agent-turns N   then, at n8n defaults: what the package adds to one AI-agent turn, the example
                    ai-assistant-whatsapp.json without its Wait against the agent alone (chatInput
                    from the trigger), the sandbox as edna and a scripted model answering at once;
                    N turns per workflow per round (default 10; 0 skips)
  --agent-rounds N  interleaved rounds of those turns (default 5)
  --campaign-sends N  then, at n8n defaults: a campaign of N WhatsApp template sends per run, the
                    sandbox answering every call 50 ms late: the edna Pulse node (version 1.2, a
                    Campaign ID, Parallel Sends 10) against HTTP Request (Batching: 10 items per
                    batch, interval 0) and a plain client posting to the sandbox 10 at once, with
                    n8n's memory sampled (default 10000; 0 skips; about 7 minutes)
  --campaign-rounds N  interleaved rounds of those runs (default 2)
  --only WHAT       triggers | sends | agent | campaign: run only that part (with --only campaign,
                    --sends N and --rounds N size the campaign, e.g. for a quick check)
  --targets LIST    trigger targets to load, by name (default: all of TARGETS in bench/triggers.mjs), e.g.
                    floor@1.1,edna@1.1,edna-filter@1.1,webhook+filter; ratios need both of theirs
  --json FILE       also write every figure as JSON (default bench/results/n8n.json)
  -h, --help

The default run takes about 22 minutes on 2 cores (--only agent: about 5, --only campaign: about 7).
Longer, tighter trigger runs: --rounds 5 --duration 8 (about 10 minutes more); every setting:
--settings defaults,pool2,pool4,lazy,nosave,tuned,tunedPool2.
`;

async function main() {
	const { values } = parseCli({
		name: 'bench:n8n',
		help: HELP.trimEnd(),
		options: {
			settings: { type: 'string', default: DEFAULT_SETTINGS },
			rounds: { type: 'string' },
			duration: { type: 'string', default: '4' },
			'max-requests': { type: 'string', default: '1500' },
			warmup: { type: 'string', default: '2' },
			connections: { type: 'string', default: '10' },
			sends: { type: 'string' },
			'sends-rounds': { type: 'string', default: '3' },
			'agent-turns': { type: 'string', default: '10' },
			'agent-rounds': { type: 'string', default: '5' },
			'campaign-sends': { type: 'string', default: '10000' },
			'campaign-rounds': { type: 'string', default: '2' },
			only: { type: 'string' },
			targets: { type: 'string' },
			'no-build': { type: 'boolean', default: false },
			keep: { type: 'boolean', default: false },
			json: { type: 'string', default: path.join(REPO_ROOT, 'bench/results/n8n.json') },
		},
	});
	if (values.only !== undefined && !['triggers', 'sends', 'agent', 'campaign'].includes(values.only)) {
		throw new Error(`--only ${values.only}: expected triggers, sends, agent or campaign`);
	}
	const only = (part) => values.only === undefined || values.only === part;
	const sendCount = only('sends') ? Number(values.sends ?? 1000) : 0;
	const agentTurns = only('agent') ? Number(values['agent-turns']) : 0;
	// --only campaign: --sends and --rounds size the campaign (quick checks); otherwise its own options.
	const campaignOnly = values.only === 'campaign';
	const campaignSends = only('campaign') ? Number((campaignOnly ? values.sends : undefined) ?? values['campaign-sends']) : 0;
	const campaignRounds = Number((campaignOnly ? values.rounds : undefined) ?? values['campaign-rounds']);
	const settings = (only('triggers') ? values.settings : '').split(',').filter(Boolean).map((name) => {
		if (!SETTINGS[name]) throw new Error(`unknown setting "${name}"; known: ${Object.keys(SETTINGS).join(', ')}`);
		return { name, ...SETTINGS[name] };
	});
	if (values.targets !== undefined) selectTargets(values.targets);
	const rounds = Number(values.rounds ?? 3);
	const options = {
		duration: Number(values.duration),
		maxRequests: Number(values['max-requests']),
		connections: Number(values.connections),
	};
	const log = (message) => process.stderr.write(`[bench] ${message}\n`);
	const began = { at: new Date().toISOString(), ...machineLoad() };
	log(`loadavg ${began.loadavg.join(' ')} on ${began.cpus} CPUs`);

	const tgz = await packPackage({ build: !values['no-build'], log });
	const instance = await createInstance({ tgz, extraPackages: [FLOOR_DIR], env: { NODE_ENV: 'production' }, log });
	let api;
	const ensureApi = async () => (api ??= await setupOwnerAndApiKey(instance));
	let results = [];
	let sends = null;
	let agent = null;
	let campaign = null;
	try {
		if (settings.length > 0) {
			results = await benchTriggers({ instance, settings, rounds, options, warmup: Number(values.warmup), ensureApi, log });
		}
		if (sendCount > 0) {
			const handle = await start(instance);
			sends = await benchSends({ instance, api: await ensureApi(), count: sendCount, rounds: Number(values['sends-rounds']), log });
			await handle.stop();
		}
		if (agentTurns > 0) {
			const loadavgAtStart = machineLoad().loadavg;
			const handle = await start(instance);
			agent = await benchAgentTurn({ instance, api: await ensureApi(), turns: agentTurns, rounds: Number(values['agent-rounds']), log });
			agent.loadavgAtStart = loadavgAtStart;
			agent.loadavgAtEnd = machineLoad().loadavg;
			await handle.stop();
		}
		if (campaignSends > 0) {
			const handle = await start(instance);
			campaign = await benchCampaign({ instance, api: await ensureApi(), handle, count: campaignSends, rounds: campaignRounds, log });
			await handle.stop();
		}
	} finally {
		await stopInstance(instance, { removeUserFolder: !values.keep });
		if (values.keep) log(`n8n user folder kept: ${instance.userFolder}`);
	}

	const finished = { at: new Date().toISOString(), ...machineLoad() };
	process.stdout.write(
		`${results.length ? triggersReport(results) : ''}${sends ? sendsReport(sends) : ''}${agent ? agentReport(agent) : ''}${campaign ? campaignReport(campaign) : ''}\n\nloadavg before ${began.loadavg.join(' ')}, after ${finished.loadavg.join(' ')} (${os.cpus().length} CPUs)\n`,
	);
	mkdirSync(path.dirname(values.json), { recursive: true });
	writeFileSync(
		values.json,
		`${JSON.stringify({ machine: machine(), n8n: instance.version ?? '2.41.1', options: { rounds, ...options, warmup: Number(values.warmup) }, began, finished, results, sends, agent, campaign }, null, 2)}\n`,
	);
	log(`figures written to ${path.relative(process.cwd(), values.json)}`);
}

await main();
