#!/usr/bin/env node
// `npm run test:ui`: a user's first journeys with the package, in a real Chromium. Three parts, one
// browser: the edna Pulse Trigger in n8n's editor (the test's own n8n with this package installed);
// the edna Pulse action node in the same editor, its pickers and template fields loaded from an
// edna sandbox started beside that n8n; then the real `npm start`, whose sandbox conversation page
// is used as a newcomer uses it (write "hello", the auto-reply example answers). Run with --help.
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
import { SANDBOX_SPEED, actionJourney } from './ui/action-journey.mjs';
import { CREDENTIAL_TYPE, PACKAGE, SANDBOX_CREDENTIAL, elapsed, log } from './ui/common.mjs';
import { conversation } from './ui/conversation-journey.mjs';
import { runNpmStart } from './ui/npm-start.mjs';
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
   (Message → Send Template), the sandbox credential selected. The Channel list must show the
   sandbox's active channels and the Template list the WhatsApp channel's approved, unlocked
   templates as "name · language · category" (not its pending or locked ones); the template
   track_parcel must get its variable fields (Body {{1}}, the link button's URL {{1}}) with their
   names, short enough for the editor to show whole. Filled in with a recipient and run with "Execute step", the sandbox must have received
   one v1/out-messages/whatsapp/template request with those values and the node's output in the
   editor must say outcome "sent". The node's icons must load.
3. npm start, as a newcomer runs it (--no-build, a throw-away user folder, free ports), after the
   test's n8n has stopped. On the sandbox's conversation page it prints: write "hello" as the
   customer; the auto-reply example's answer must appear as a business message and its ticks
   must reach "read".
Fails on any browser console error, page error or failed request that concerns this package in the
editor (others are listed as info), and on any of them on the sandbox's page (it is ours).

Screenshots (docs/images/): node-search.png, node-parameters.png, credential.png, execution.png,
action-template.png, sandbox-conversation.png.

Options:
  --no-build          use the current dist/ instead of running "npm run build"
  --tgz <file>        test this package tarball (npm pack output) instead of the working tree in
                      parts 1 and 2 (npm start in part 3 always packs the current dist/)
  --screenshots <dir> where to write the screenshots (default: docs/images)
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
		tgz: { type: 'string' },
		screenshots: { type: 'string', default: path.join(REPO_ROOT, 'docs', 'images') },
	},
});

const RUN_LIMIT_MS = 12 * 60_000;

async function main() {
	const watchdog = setTimeout(() => {
		console.error(`ui-test: still running after ${RUN_LIMIT_MS / 60_000} min; giving up`);
		process.exit(1);
	}, RUN_LIMIT_MS);
	watchdog.unref();

	ensureChromium(log);
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
		const editorReport = new BrowserReport(page, instance.baseUrl);
		reports.push(editorReport);
		// n8n looks community packages up on registry.npmjs.org and loads a few external assets;
		// this test does not depend on the internet. Only n8n and, later, the sandbox are reachable.
		const reachable = new Set([new URL(instance.baseUrl).origin]);
		await context.route(
			(url) => !reachable.has(url.origin),
			(route) => route.abort('blockedbyclient'),
		);

		await onPage(page, () => triggerJourney(page, api, instance));

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
		await onPage(page, () => actionJourney(page, sandbox, credential));

		// One n8n at a time: the test's goes before npm start brings its own.
		editorReport.stop();
		await page.close();
		await sandbox.stop();
		sandbox = undefined;
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
		await onPage(sandboxPage, () => conversation(sandboxPage, npmStart));
	} catch (error) {
		failure = error;
	} finally {
		for (const report of reports) report.stop();
		await browser?.close();
		await sandbox?.stop();
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
