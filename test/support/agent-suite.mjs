// What the end-to-end suites of AI agent workflows share: the sandbox as edna, a scripted
// OpenAI-compatible model (scripts/lib/scripted-model.mjs) and a real n8n with this package, its
// edna credential and an OpenAI credential whose Base URL is the scripted model; and the few
// helpers their tests read the model's requests and edna's record with.
import { start as startSandbox } from '../../sandbox/index.mjs';
import { createModelCredential } from '../../scripts/lib/agent-workflow.mjs';
import { startScriptedModel } from '../../scripts/lib/scripted-model.mjs';
import { startEdnaN8n } from '../../scripts/lib/trigger-workflow.mjs';
import { setUpOnce } from './harness.mjs';

/**
 * Registers the file's set-up: starts the sandbox, the model and n8n, creates the model's
 * credential, then runs `then(suite)` for the file's own workflows. `suite.script` is what the
 * model answers each request with (set it per test).
 */
export function setUpAgentSuite(then = async () => {}) {
	const suite = { script: () => ({ content: 'No script for this request.' }) };
	setUpOnce(async (own) => {
		suite.sandbox = await own(startSandbox({ port: 0, speed: 100 }));
		suite.model = await own(startScriptedModel({ reply: (request, index) => suite.script(request, index) }));
		suite.n8n = await own(
			startEdnaN8n({
				key: suite.sandbox.keys.webhook,
				credentialData: { apiKey: suite.sandbox.keys.master, baseUrl: suite.sandbox.apiUrl },
			}),
		);
		suite.modelCredential = await createModelCredential(suite.n8n.api, suite.model.url);
		await then(suite);
	});
	return suite;
}

export const toolName = (request) => request.tools?.[0]?.function?.name;
export const lastMessage = (request) => request.messages.at(-1);

/** A model that calls the first tool once per text, then, told the tools answered, closes. */
export const calling =
	(...texts) =>
	(request) =>
		lastMessage(request).role === 'tool'
			? { content: 'Done.' }
			: { toolCalls: texts.map((text) => ({ name: toolName(request), arguments: { text } })) };

/** The cascade sends the sandbox received after record entry `since`. */
export const sendsSince = (sandbox, since) =>
	sandbox.record.all(since).filter((e) => e.type === 'request' && e.path === 'cascade/schedule');
export const lastSeq = (sandbox) => sandbox.record.all().at(-1)?.seq ?? 0;
