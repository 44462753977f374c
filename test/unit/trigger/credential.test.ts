/**
 * The trigger with the credential the action node brought: a credential holding only an API key
 * refuses every request. Callers get the answer of any refused request (the URL tells nobody how the
 * credential is set up); why it refused is written to n8n's log, for the user.
 */
import { fixture } from '../../support/fixtures';
import { TEST_KEY, answerOf, callWebhook, keyHeader, logLines } from '../../support/webhook';

const status = fixture('messageStatus', 'delivered');
const apiKeyOnly = { apiKey: 'sandbox-master-api-key-example', baseUrl: 'https://app.edna.io/api' };
const NO_KEY_LOG = 'error edna Pulse Trigger: request rejected: the Edna Pulse API credential has no webhook key';

describe('edna Pulse Trigger with a credential without a webhook key', () => {
	beforeEach(() => {
		logLines.length = 0;
	});

	test('a request with a key: 403 "Wrong webhook key.", as for any wrong key; the reason only in n8n\'s log', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: status, credential: apiKeyOnly });
		expect(answerOf(call)).toEqual({ status: 403, body: { message: 'Wrong webhook key.' } });
		expect(call.items).toBeUndefined();
		expect(logLines.map((line) => line.trim())).toEqual([NO_KEY_LOG]);
	});

	test('a request without a key: 401 "Missing webhook key", as for any trigger; the reason only in n8n\'s log', async () => {
		const call = await callWebhook({ headers: { 'content-type': 'application/json' }, json: status, credential: apiKeyOnly });
		expect(answerOf(call)).toEqual({ status: 401, body: { message: 'Missing webhook key: send it as "Authorization: Token <key>".' } });
		expect(logLines.map((line) => line.trim())).toEqual([NO_KEY_LOG]);
	});

	test('a caller cannot tell it from a trigger whose credential holds another key', async () => {
		const withKey = { ...apiKeyOnly, webhookKey: `${TEST_KEY}-other` };
		for (const headers of [keyHeader(), { 'content-type': 'application/json' }]) {
			const without = await callWebhook({ headers, json: status, credential: apiKeyOnly, credentialId: 'cred-no-key' });
			const other = await callWebhook({ headers, json: status, credential: withKey, credentialId: 'cred-other-key' });
			expect(answerOf(without)).toEqual(answerOf(other));
		}
		// Only n8n's log tells them apart.
		expect(logLines.filter((line) => line.includes('has no webhook key'))).toHaveLength(2);
		expect(logLines.filter((line) => /request rejected \((no|wrong) webhook key\)/.test(line))).toHaveLength(2);
	});

	test('the API key itself is never accepted as the webhook key', async () => {
		const call = await callWebhook({ headers: keyHeader(apiKeyOnly.apiKey), json: status, credential: apiKeyOnly });
		expect(answerOf(call).status).toBe(403);
	});

	test('a credential with both keys works as before', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: status, credential: { ...apiKeyOnly, webhookKey: TEST_KEY } });
		expect(call.items).toHaveLength(1);
	});
});
