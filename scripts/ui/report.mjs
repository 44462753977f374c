// What a browser journey leaves behind: what the browser reported, the screenshots, and on failure
// a picture and the page's test-id elements.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PACKAGE, check, elapsed, log, started } from './common.mjs';

let screenshotDir = path.join(process.cwd(), 'docs', 'images');
/** Where `shoot` saves its pictures. */
export function screenshotsIn(dir) {
	screenshotDir = dir;
}

/**
 * Console errors and warnings, page errors, failed requests and HTTP errors. On n8n's editor an
 * entry concerns this package when it names it (package, node or credential, icon path) on the n8n
 * server, or is a request for the node's parameters (a picker's list, the template's fields);
 * on a page of ours (`ours: true`, the sandbox's) every entry from its server does. Requests to
 * other hosts are blocked here (a closed network) and only listed.
 */
export class BrowserReport {
	constructor(page, baseUrl, { name = 'editor', ours = false } = {}) {
		this.origin = new URL(baseUrl).origin;
		this.name = name;
		this.allOurs = ours;
		this.entries = [];
		// A picker's list or the template's fields come from /rest/dynamic-node-parameters/*: their
		// URL does not name the package, the request body does.
		const forUs = (req) =>
			(req.postData() ?? '').includes(PACKAGE) ? ` (${PACKAGE} parameters)` : '';
		page.on('console', (msg) => {
			if (msg.type() === 'error' || msg.type() === 'warning') {
				this.add(`console.${msg.type()}`, msg.text(), msg.location()?.url ?? '');
			}
		});
		page.on('pageerror', (error) => this.add('pageerror', error.stack || error.message, ''));
		page.on('requestfailed', (req) =>
			this.add('requestfailed', `${req.failure()?.errorText ?? ''}${forUs(req)}`, req.url()),
		);
		page.on('response', (res) => {
			if (res.status() >= 400)
				this.add(
					`http ${res.status()}`,
					`${res.request().method()}${forUs(res.request())}`,
					res.url(),
				);
		});
	}

	/** The journey is over: what the browser reports while it and n8n shut down is not about it. */
	stop() {
		this.stopped = true;
	}

	add(kind, text, url) {
		if (this.stopped) return;
		const external = /^https?:/.test(url) && !url.startsWith(this.origin);
		// navigation, or a newer request for the same list, cancelled it
		const aborted = kind === 'requestfailed' && text.startsWith('net::ERR_ABORTED');
		const aboutUs =
			!external &&
			!aborted &&
			(this.allOurs || /edna|n8n-nodes-edna-pulse/i.test(`${text} ${url}`));
		const warning = kind === 'console.warning';
		this.entries.push({
			kind,
			text: text.slice(0, 500),
			url,
			external,
			ours: aboutUs && !warning,
			warnsUs: aboutUs && warning,
			at: elapsed(),
		});
	}

	ours() {
		return this.entries.filter((e) => e.ours);
	}

	print() {
		if (this.entries.length === 0) log(`${this.name}: the browser reported nothing`);
		for (const e of this.entries.filter((x) => x.warnsUs))
			console.log(`    warning about ${PACKAGE} (${this.name}) at ${e.at}: ${e.text} ${e.url}`);
		const others = this.entries.filter((e) => !e.ours && !e.warnsUs);
		if (others.length) {
			log(
				`${this.name}: browser reported ${others.length} thing(s) not caused by ${PACKAGE} (info):`,
			);
			const seen = new Map();
			for (const e of others) {
				const text = e.text.split('\n')[0];
				const line = `${e.kind}${e.external ? ' (external host, blocked)' : ''}: ${text}${e.url ? ` ${e.url}` : ''}`;
				seen.set(line, (seen.get(line) ?? 0) + 1);
			}
			for (const [line, n] of seen) console.log(`    ${n > 1 ? `${n}× ` : ''}${line}`);
		}
		for (const e of this.ours())
			console.log(`    OURS (${this.name}) at ${e.at}: ${e.kind}: ${e.text} ${e.url}`);
	}
}

/** An element's edges on the page. */
export async function edges(locator) {
	const box = await locator.boundingBox();
	check(box, 'element to photograph is not on screen');
	return { left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height };
}

/** The edges around several elements, `pad` pixels further out. */
export async function around(locators, pad = 16) {
	const all = await Promise.all(locators.map(edges));
	return {
		left: Math.min(...all.map((e) => e.left)) - pad,
		top: Math.min(...all.map((e) => e.top)) - pad,
		right: Math.max(...all.map((e) => e.right)) + pad,
		bottom: Math.max(...all.map((e) => e.bottom)) + pad,
	};
}

/** Saves the part of the page between `edges` (clamped to the viewport) into the screenshot folder. */
export async function shoot(page, file, { left, top, right, bottom }) {
	const view = page.viewportSize();
	const x = Math.max(0, Math.round(left));
	const y = Math.max(0, Math.round(top));
	const width = Math.min(view.width, Math.round(right)) - x;
	const height = Math.min(view.height, Math.round(bottom)) - y;
	await page.mouse.move(view.width - 1, view.height - 1); // no hover effects in the picture
	const out = path.join(screenshotDir, file);
	await page.screenshot({
		path: out,
		clip: { x, y, width, height },
		animations: 'disabled',
		caret: 'hide',
	});
	log(`  screenshot ${path.relative(process.cwd(), out)} (${width}×${height})`);
}

/**
 * A screenshot and the visible test-id elements, for finding out what went wrong: n8n marks them
 * data-test-id, the sandbox's page data-testid.
 */
export async function saveDebug(page, error) {
	const dir = path.join(os.tmpdir(), `edna-ui-test-${started}`);
	await mkdir(dir, { recursive: true });
	await page.screenshot({ path: path.join(dir, 'failure.png') }).catch(() => {});
	const ids = await page
		.evaluate(() =>
			[...document.querySelectorAll('[data-test-id], [data-testid]')]
				.filter((e) => e.offsetParent !== null)
				.map(
					(e) =>
						`${e.getAttribute('data-test-id') ?? e.getAttribute('data-testid')} <${e.tagName.toLowerCase()}> ${(e.innerText || '').replace(/\s+/g, ' ').slice(0, 80)}`,
				)
				.join('\n'),
		)
		.catch(() => '');
	await writeFile(path.join(dir, 'test-ids.txt'), `${page.url()}\n${error.stack}\n\n${ids}\n`);
	await writeFile(path.join(dir, 'page.html'), await page.content().catch(() => ''));
	return dir;
}
