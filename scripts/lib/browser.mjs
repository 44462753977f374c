// Chromium for the editor test: the distribution's package (Debian `chromium`), driven by
// playwright-core. No browser is ever downloaded; on a machine without it, the package manager
// installs it (as root, or with password-less sudo).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the networking switches Chromium keeps calling Google services, which on a closed
// network means a stream of failing connections.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Makes sure Chromium is installed: `apt-get install chromium` when it is missing. */
export function ensureChromium(log = () => {}) {
	if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM_PATH} does not exist`);
	const root = process.getuid?.() === 0;
	const sudo = root ? [] : ['sudo', '-n'];
	if (
		!existsSync('/usr/bin/apt-get') ||
		(!root && spawnSync('sudo', ['-n', 'true']).status !== 0)
	) {
		throw new Error(
			`${CHROMIUM_PATH} not found. Install your distribution's Chromium (Debian/Ubuntu: ` +
				'sudo apt-get install -y chromium) or set CHROMIUM_PATH.',
		);
	}
	log('Chromium is missing: apt-get update && apt-get install -y chromium');
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
		const [cmd, ...pre] = [...sudo, 'apt-get'];
		const res = spawnSync(cmd, [...pre, ...args], {
			stdio: 'inherit',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
	}
	if (!existsSync(CHROMIUM_PATH))
		throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing`);
	return CHROMIUM_PATH;
}

/**
 * Launches headless Chromium with a new, empty profile.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close: () => Promise<void>}>}
 */
export async function launchChromium({ baseURL, viewport = { width: 1440, height: 900 } } = {}) {
	const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'edna-ui-chromium-'));
	let context;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport,
			baseURL,
			locale: 'en-US',
			timezoneId: 'UTC',
			permissions: ['clipboard-read', 'clipboard-write'],
		});
	} catch (error) {
		await rm(userDataDir, { recursive: true, force: true });
		throw error;
	}
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		close: async () => {
			await context.close().catch(() => {});
			await rm(userDataDir, { recursive: true, force: true });
		},
	};
}
