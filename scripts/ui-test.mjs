#!/usr/bin/env node
// `npm run test:ui`: a user's first journeys with the package, in a real Chromium. Four parts, one
// browser: the edna Pulse Trigger in n8n's editor (the test's own n8n with this package installed);
// the edna Pulse action node in the same editor, its pickers and template fields loaded from an
// edna sandbox started beside that n8n; the AI assistant example imported from its file and answering
// a customer on the sandbox's page; then the real `npm start`, whose sandbox conversation page is used
// as a newcomer uses it (write "hello", the auto-reply example answers). Run with --help.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

import { start as startSandbox } from '../sandbox/index.mjs';
import { ensureChromium, launchChromium } from './lib/browser.mjs';
import { parseCli } from './lib/cli.mjs';
import {
	DEFAULT_N8N_VERSION,
	REPO_ROOT,
	createInstance,
	packPackage,
	setupOwnerAndApiKey,
	start,
	stopInstance,
} from './lib/n8n/index.mjs';
import { createModelCredential } from './lib/agent-workflow.mjs';
import { startScriptedModel } from './lib/scripted-model.mjs';
import { SANDBOX_SPEED, actionJourney } from './ui/action-journey.mjs';
import { approvalJourney } from './ui/approval-journey.mjs';
import {
	MODEL_CREDENTIAL,
	aiAssistantJourney,
	answerThroughTool,
} from './ui/ai-assistant-journey.mjs';
import { CREDENTIAL_TYPE, PACKAGE, SANDBOX_CREDENTIAL, check, elapsed, log } from './ui/common.mjs';
import { conversation } from './ui/conversation-journey.mjs';
import { runNpmStart } from './ui/npm-start.mjs';
import { Recorder, ensureFfmpeg } from './ui/recorder.mjs';
import { BrowserReport, saveDebug, screenshotsIn } from './ui/report.mjs';
import { triggerJourney } from './ui/trigger-journey.mjs';

const HELP = `Drives n8n's editor and the edna sandbox's page in headless Chromium the way a new user meets
the edna Pulse Trigger, the edna Pulse node and the sandbox.

Usage: npm run test:ui [-- options]

1. The trigger. Starts its own n8n ${DEFAULT_N8N_VERSION} with the editor and this package installed, creates
   the owner, then in the browser: searches "edna" in the node panel, adds the trigger, selects
   every event and checks its filters and notice, creates the Edna Pulse API credential, copies
   the Production URL, saves and publishes the workflow. Then HEAD on that URL must answer 200, a
   simulated edna event must start an execution, and the execution must show the simplified item
   in the editor.
2. The action node, against an edna sandbox started beside that n8n (sandbox/README.md). A
   credential with the sandbox's API key, base URL and webhook key is created over the public API;
   in the browser: a new workflow, "edna" in the node panel, the action Send a template message
   (Message → Send Template), the sandbox credential selected and opened (n8n's test of it must
   succeed by asking the sandbox for the channels). The Channel list must show the
   sandbox's active channels and the Template list the WhatsApp channel's approved, unlocked
   templates as "name · language · category" (not its pending or locked ones); the template
   track_parcel must get its variable fields (Body {{1}}, the link button's URL {{1}}) with their
   names, short enough for the editor to show whole. Filled in with a recipient and run with "Execute step", the sandbox must have received
   one v1/out-messages/whatsapp/template request with those values and the node's output in the
   editor must say outcome "sent". The node's icons must load.
3. The AI assistant example (examples/ai-assistant-whatsapp.json), with a scripted OpenAI-compatible
   model (scripts/lib/scripted-model.mjs) behind an OpenAI credential's Base URL: imported with
   ⋯ → Import → From file; every node's name on the canvas, the OpenAI Chat Model and the edna
   Pulse tool connected to the AI Agent, the tool's Message → Reply, description and $fromAI() text;
   the credentials chosen node by node, saved and published. On the sandbox's page a customer
   writes; the agent's answer must appear there and reach "read", and the execution must show
   every node succeeded in the editor.
   Then Message → Send and Wait for Response: a workflow with the node opened in the editor (its
   Operation and the approval parameters), a run that asks the approver through the sandbox, and
   the Approve link of the sandbox's message opened in the browser: the page must say "Approved"
   and the execution go on with data.approved true.
4. npm start, as a newcomer runs it (--no-build, a throw-away user folder, free ports), after the
   test's n8n has stopped. On the sandbox's conversation page it prints: write "hello" as the
   customer; the auto-reply example's answer must appear as a business message and its ticks
   must reach "read".
Fails on any browser console error, page error or failed request that concerns this package in the
editor (others are listed as info), and on any of them on the sandbox's page (it is ours).

Screenshots (docs/images/): node-search.png, node-parameters.png, credential.png, execution.png,
action-template.png, ai-assistant.png, send-and-wait.png, approval-page.png, sandbox-conversation.png.

With --record (needs Debian's ffmpeg: apt-get install ffmpeg) it also writes the animated picture
docs/images/sandbox-conversation.gif (part 4: "hello", the auto-reply, its ticks to read, in five
seconds) and the film <media>/verification.mp4 (under three minutes: "edna" in the node panel, the
credential's test and a send from the edna Pulse node, the AI assistant imported and published, a
customer's message starting the trigger and the answer, the execution).

Options:
  --no-build          use the current dist/ instead of running "npm run build"
  --tgz <file>        test this package tarball (npm pack output) instead of the working tree in
                      parts 1 and 2 (npm start in part 3 always packs the current dist/)
  --screenshots <dir> where to write the screenshots (default: docs/images)
  --record            also record the animated picture and the film (see above)
  --media <dir>       where --record writes verification.mp4 (default: docs/media)
  -h, --help          show this help

Chromium: /usr/bin/chromium (Debian package "chromium", installed with apt-get when missing and
running as root or with password-less sudo), or CHROMIUM_PATH. No browser is downloaded.
On failure, a screenshot and the page's data-test-id (data-testid on the sandbox's page) elements
are saved and their folder printed.`;

const { values: args } = parseCli({
	name: 'ui-test',
	help: HELP,
	options: {
		'no-build': { type: 'boolean', default: false },
		record: { type: 'boolean', default: false },
		media: { type: 'string', default: path.join(REPO_ROOT, 'docs', 'media') },
		tgz: { type: 'string' },
		screenshots: { type: 'string', default: path.join(REPO_ROOT, 'docs', 'images') },
	},
});

const RUN_LIMIT_MS = 20 * 60_000;

/**
 * --record: the README's animated picture of the sandbox's conversation page, and a film of the
 * package at work for n8n's verification: the installed package found in the node panel, the credential's test,
 * a send from the edna Pulse node, the customer's answer starting the trigger.
 */
async function makeMedia(recorder) {
	log('--record: the animated picture and the film');
	await mkdir(args.media, { recursive: true });
	await recorder.animation(
		[recorder.cut('conversation', { from: 'typing', to: 'read' })],
		path.join(args.screenshots, 'sandbox-conversation.gif'),
	);
	await recorder.film(
		[
			recorder.cut('editor', { from: 'search', to: 'search-done' }),
			recorder.cut('editor', { from: 'action', to: 'action-done' }),
			recorder.cut('editor', { from: 'ai', to: 'ai-published' }),
			recorder.cut('ai-assistant-chat'),
			recorder.cut('editor', { from: 'executions', to: 'executions-done' }),
		],
		path.join(args.media, 'verification.mp4'),
	);
}

async function main() {
	const watchdog = setTimeout(() => {
		console.error(`ui-test: still running after ${RUN_LIMIT_MS / 60_000} min; giving up`);
		process.exit(1);
	}, RUN_LIMIT_MS);
	watchdog.unref();

	ensureChromium(log);
	const recorder = args.record ? new Recorder() : undefined;
	if (recorder) log(`--record: ${ensureFfmpeg()}`);
	await mkdir(args.screenshots, { recursive: true });
	screenshotsIn(args.screenshots);
	let tgz = args.tgz && path.resolve(args.tgz);
	if (!tgz) {
		log(args['no-build'] ? 'packing the current dist/' : 'building and packing the package');
		tgz = await packPackage({ build: !args['no-build'], log: false });
	}
	const instance = await createInstance({ tgz, ui: true, log: (m) => log(m) });
	// Installed into the instance: the tarball this run packed is of no further use.
	if (!args.tgz) await rm(path.dirname(tgz), { recursive: true, force: true });
	let browser;
	let sandbox;
	let model;
	let npmStart;
	const reports = [];
	let failure;
	/** Runs a part on a page; on failure its screenshot and elements are saved for the report. */
	const onPage = async (page, part) => {
		try {
			await part();
		} catch (error) {
			const dir = await saveDebug(page, error);
			error.message += `\n(screenshot and page elements in ${dir})`;
			throw error;
		}
	};
	try {
		await start(instance);
		const api = await setupOwnerAndApiKey(instance);
		log(`n8n editor on ${instance.baseUrl}; owner created over REST`);

		browser = await launchChromium({ baseURL: instance.baseUrl });
		const { context, page } = browser;
		page.setDefaultTimeout(30_000);
		await recorder?.start(page, 'editor');
		const editorReport = new BrowserReport(page, instance.baseUrl);
		reports.push(editorReport);
		// n8n looks community packages up on registry.npmjs.org and loads a few external assets;
		// this test does not depend on the internet. Only n8n and, later, the sandbox are reachable.
		const reachable = new Set([new URL(instance.baseUrl).origin]);
		await context.route(
			(url) => !reachable.has(url.origin),
			(route) => route.abort('blockedbyclient'),
		);

		await onPage(page, () => triggerJourney(page, api, instance, recorder));

		log('the edna Pulse node, against the sandbox');
		sandbox = await startSandbox({ port: 0, speed: SANDBOX_SPEED });
		const credential = await api.createCredential({
			name: SANDBOX_CREDENTIAL,
			type: CREDENTIAL_TYPE,
			data: {
				apiKey: sandbox.keys.master,
				baseUrl: sandbox.apiUrl,
				webhookKey: sandbox.keys.webhook,
			},
		});
		log(
			`  sandbox on ${sandbox.url}; credential "${SANDBOX_CREDENTIAL}" created over the public API`,
		);
		recorder?.mark(page, 'action');
		await onPage(page, () => actionJourney(page, sandbox, credential));
		recorder?.mark(page, 'action-done');

		log('the AI assistant example, the sandbox as edna and a scripted model as OpenAI');
		model = await startScriptedModel({ reply: answerThroughTool });
		const modelCredential = await createModelCredential(api, model.url);
		check(modelCredential.name === MODEL_CREDENTIAL, `model credential "${modelCredential.name}"`);
		log(
			`  scripted model on ${model.url}; credential "${MODEL_CREDENTIAL}" (OpenAI, its Base URL)`,
		);
		reachable.add(new URL(sandbox.url).origin);
		await onPage(page, () => aiAssistantJourney(page, { api, instance, sandbox, model, recorder }));

		log('Message → Send and Wait for Response: the node in the editor, the approver\'s page');
		await onPage(page, () =>
			approvalJourney(page, { api, instance, sandbox, credential, allow: (origin) => reachable.add(origin) }),
		);

		// One n8n at a time: the test's goes before npm start brings its own.
		editorReport.stop();
		await recorder?.stop(page);
		await page.close();
		await sandbox.stop();
		sandbox = undefined;
		await model.stop();
		model = undefined;
		await stopInstance(instance, { removeUserFolder: true });

		log('npm start, then the conversation page of its sandbox');
		npmStart = await runNpmStart({ args: ['--no-build'], log: (m) => log(`  ${m}`) });
		log(`  n8n on ${npmStart.editorUrl}, the sandbox's page on ${npmStart.sandboxUrl}/`);
		reachable.add(new URL(npmStart.sandboxUrl).origin);
		const sandboxPage = await context.newPage();
		sandboxPage.setDefaultTimeout(30_000);
		reports.push(
			new BrowserReport(sandboxPage, npmStart.sandboxUrl, { name: 'sandbox page', ours: true }),
		);
		await onPage(sandboxPage, () => conversation(sandboxPage, npmStart, recorder));
		if (recorder) await makeMedia(recorder);
	} catch (error) {
		failure = error;
	} finally {
		for (const report of reports) report.stop();
		await recorder?.dispose();
		await browser?.close();
		await sandbox?.stop();
		await model?.stop();
		await npmStart?.stop();
		await stopInstance(instance, { removeUserFolder: true });
	}

	const ours = [];
	for (const report of reports) {
		report.print();
		ours.push(...report.ours());
	}
	if (!failure && ours.length)
		failure = new Error(`${ours.length} browser error(s) caused by ${PACKAGE} (listed above)`);
	if (failure) {
		console.error(`\nui-test FAILED after ${elapsed()}: ${failure.message}`);
		process.exit(1);
	}
	log(`ui-test passed; screenshots in ${path.relative(process.cwd(), args.screenshots) || '.'}`);
}

await main();
