// Another build of the node to measure against: a dist folder as it is, or a git commit of this
// repository compiled once into a folder under the system's temporary directory (kept, so a second
// run against the same commit starts at once). The commit's sources are compiled with this
// checkout's TypeScript and node_modules, so only the node's own code differs between the builds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TRIGGER = 'nodes/EdnaPulse/EdnaPulseTrigger.node.js';

const git = (repo, args, options = {}) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', ...options });

/**
 * The dist folder for `ref`: a folder holding the built trigger (a dist folder or a checkout with
 * one), or a commit, tag or branch of the repository at `repoRoot`. Returns the folder and what it is.
 */
export function resolveBuild(ref, repoRoot) {
	for (const candidate of [ref, path.join(ref, 'dist')]) {
		if (existsSync(path.join(candidate, TRIGGER))) return { dist: path.resolve(candidate), label: path.resolve(candidate) };
	}
	let commit;
	try {
		commit = git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
	} catch {
		throw new Error(`--against ${ref}: neither a folder holding ${TRIGGER} nor a commit of this repository`);
	}
	const home = path.join(os.tmpdir(), 'edna-bench-builds', commit);
	const dist = path.join(home, 'dist');
	if (!existsSync(path.join(dist, TRIGGER))) buildCommit(repoRoot, commit, home);
	return { dist, label: `${commit.slice(0, 7)} (${git(repoRoot, ['log', '-1', '--format=%cs', commit]).trim()})`, commit };
}

function buildCommit(repoRoot, commit, home) {
	process.stderr.write(`building ${commit.slice(0, 7)} into ${home}\n`);
	// Built beside its final place and moved there when complete, so an interrupted build is never used.
	const work = `${home}.${process.pid}`;
	rmSync(work, { recursive: true, force: true });
	mkdirSync(work, { recursive: true });
	const archive = execFileSync('git', ['-C', repoRoot, 'archive', '--format=tar', commit, 'tsconfig.json', 'package.json', 'nodes', 'credentials'], {
		maxBuffer: 1 << 28,
	});
	execFileSync('tar', ['-x', '-C', work], { input: archive });
	symlinkSync(path.join(repoRoot, 'node_modules'), path.join(work, 'node_modules'), 'dir');
	execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', path.join(work, 'tsconfig.json')], {
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	rmSync(home, { recursive: true, force: true });
	renameSync(work, home);
}
