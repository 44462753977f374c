// What most end-to-end files start: the sandbox as edna and a real n8n with this package and an edna
// credential pointing at the sandbox (API key, base URL, webhook key); and the helpers they read the
// sandbox's record with.
import { start as startSandbox } from '../../sandbox/index.mjs';
import { startEdnaN8n } from '../../scripts/lib/trigger-workflow.mjs';
import { setUpOnce } from './harness.mjs';

/**
 * Registers the file's set-up and returns the suite, filled in once it ran: `sandbox`, `n8n` (with
 * `n8n.credential`), then whatever `then(suite, own)` adds (`own` stops what it is given at the end).
 */
export function setUpSandboxSuite({ speed = 100, baseUrl = (sandbox) => `${sandbox.apiUrl}/`, then = async () => {} } = {}) {
	const suite = {};
	setUpOnce(async (own) => {
		suite.sandbox = await own(startSandbox({ port: 0, speed }));
		suite.n8n = await own(
			startEdnaN8n({
				key: suite.sandbox.keys.webhook,
				credentialData: { apiKey: suite.sandbox.keys.master, baseUrl: baseUrl(suite.sandbox) },
			}),
		);
		await then(suite, own);
	});
	return suite;
}

/** The sandbox's last record entry (its `seq`), to read what came after it. */
export const lastSeq = (sandbox) => sandbox.record.all().at(-1)?.seq ?? 0;

/** The API requests to `path` the sandbox recorded after entry `since`. */
export const requestsTo = (sandbox, path, since = 0) =>
	sandbox.record.all(since).filter((e) => e.type === 'request' && e.path === path);
