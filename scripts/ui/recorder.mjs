// `npm run test:ui -- --record`: the browser's pictures while the journeys run, made into the README's
// animated picture and the short film of the package at work. Chromium sends a frame whenever a page
// repaints (the DevTools protocol's screencast); each frame is kept as a JPEG with its time, and
// Debian's ffmpeg (`apt-get install ffmpeg`) makes a GIF or an MP4 of a run of frames. Only a run
// with --record needs ffmpeg.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { check, log } from './common.mjs';

/** ffmpeg on the PATH, or a clear message saying how to get it. */
export function ensureFfmpeg() {
	const probe = spawnSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' });
	check(
		probe.status === 0,
		'--record needs ffmpeg (Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y ffmpeg)',
	);
	return probe.stdout.split('\n')[0];
}

function ffmpeg(args) {
	return new Promise((resolve, reject) => {
		const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let errors = '';
		child.stderr.setEncoding('utf8').on('data', (chunk) => (errors += chunk));
		child.once('error', reject);
		child.once('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${errors.trim()}`)),
		);
	});
}

/**
 * Records pages: `start(page, name)` … `stop(page)` is one take, frames with their times. Takes are
 * then cut together by `animation()` and `film()`.
 */
export class Recorder {
	constructor() {
		this.takes = new Map();
		this.recording = new Map();
		this.count = 0;
	}

	async start(page, name) {
		this.dir ??= await mkdtemp(path.join(os.tmpdir(), 'edna-ui-record-'));
		const take = { name, frames: [], marks: [], writes: [] };
		const cdp = await page.context().newCDPSession(page);
		cdp.on('Page.screencastFrame', ({ data, metadata, sessionId }) => {
			const file = path.join(this.dir, `f${String(++this.count).padStart(6, '0')}.jpg`);
			take.frames.push({ file, t: metadata.timestamp });
			take.writes.push(writeFile(file, Buffer.from(data, 'base64')));
			cdp.send('Page.screencastFrameAck', { sessionId }).catch(() => {});
		});
		await cdp.send('Page.startScreencast', { format: 'jpeg', quality: 90, everyNthFrame: 1 });
		this.recording.set(page, { take, cdp });
		this.takes.set(name, take);
	}

	/** A point in the running take of `page`, by name, for cutting it later. */
	mark(page, label) {
		const current = this.recording.get(page);
		current?.take.marks.push({ label, t: Date.now() / 1000 });
	}

	async stop(page) {
		const current = this.recording.get(page);
		if (!current) return;
		this.recording.delete(page);
		await current.cdp.send('Page.stopScreencast').catch(() => {});
		await current.cdp.detach().catch(() => {});
		current.take.end = Date.now() / 1000;
		await Promise.all(current.take.writes);
	}

	async stopAll() {
		for (const page of [...this.recording.keys()]) await this.stop(page);
	}

	/** The frames of take `name` between its marks `from` and `to` (its start and end without them). */
	cut(name, { from, to } = {}) {
		const take = this.takes.get(name);
		check(take?.frames.length, `no frames recorded for "${name}"`);
		const at = (label, fallback) =>
			label ? (take.marks.find((m) => m.label === label)?.t ?? fallback) : fallback;
		const start = at(from, -Infinity);
		const end = at(to, take.end ?? Infinity);
		// The frame on screen when the cut starts, then every later one.
		const firstIndex = Math.max(
			0,
			take.frames.findLastIndex((f) => f.t <= start),
		);
		const frames = take.frames.slice(firstIndex).filter((f) => f.t <= end);
		return { frames, start: Math.max(start, frames[0].t), end: Math.min(end, take.end ?? end) };
	}

	/**
	 * The concat list of `cuts`: each frame shown until the next, a wait longer than `maxGap` seconds
	 * shortened to it, the last frame of each cut held `hold` seconds, and the whole scaled down to
	 * at most `total` seconds.
	 */
	async playlist(cuts, { maxGap, hold, total }) {
		const shots = [];
		for (const cut of cuts) {
			cut.frames.forEach((frame, i) => {
				const next = cut.frames[i + 1]?.t ?? cut.end;
				shots.push({ file: frame.file, seconds: Math.min(Math.max(next - frame.t, 0), maxGap) });
			});
			shots.at(-1).seconds += hold;
		}
		const length = shots.reduce((sum, s) => sum + s.seconds, 0);
		const factor = total && length > total ? total / length : 1;
		const lines = shots.flatMap((s) => [
			`file '${s.file}'`,
			`duration ${(s.seconds * factor).toFixed(4)}`,
		]);
		lines.push(`file '${shots.at(-1).file}'`); // the concat demuxer shows the last file's duration only so
		const list = path.join(this.dir, `list-${++this.count}.txt`);
		await writeFile(list, `${lines.join('\n')}\n`);
		return { list, seconds: length * factor };
	}

	/** A looping GIF with its own palette, `width` pixels wide. */
	async animation(cuts, out, { width = 720, fps = 12, maxGap = 0.35, hold = 1.5, total = 5 } = {}) {
		const { list, seconds } = await this.playlist(cuts, { maxGap, hold, total });
		await ffmpeg([
			...['-f', 'concat', '-safe', '0', '-i', list],
			'-vf',
			`fps=${fps},scale=${width}:-1:flags=lanczos,split[a][b];[a]palettegen=max_colors=128:stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle`,
			...['-loop', '0', out],
		]);
		return this.report(out, seconds);
	}

	/** An H.264 MP4 in a `width`×`height` frame (each page fitted in, on white), at most `total` s. */
	async film(
		cuts,
		out,
		{ width = 1280, height = 800, fps = 15, maxGap = 1.2, hold = 1.5, total = 175 } = {},
	) {
		const { list, seconds } = await this.playlist(cuts, { maxGap, hold, total });
		await ffmpeg([
			...['-f', 'concat', '-safe', '0', '-i', list],
			'-vf',
			`scale=${width}:${height}:force_original_aspect_ratio=decrease:flags=lanczos,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:white,fps=${fps},format=yuv420p`,
			...['-c:v', 'libx264', '-preset', 'slow', '-crf', '30', '-movflags', '+faststart', out],
		]);
		return this.report(out, seconds);
	}

	async report(out, seconds) {
		const { size } = await stat(out);
		log(
			`  ${path.relative(process.cwd(), out)}: ${seconds.toFixed(1)} s, ${(size / 1024).toFixed(0)} KB`,
		);
		return { seconds, size };
	}

	async dispose() {
		await this.stopAll();
		if (this.dir) await rm(this.dir, { recursive: true, force: true });
	}
}
