/**
 * The trigger with the credential the action node brought: a credential holding only an API key
 * refuses every request, and says the webhook key is missing.
 */
import { fixture } from '../../support/fixtures';
import { TEST_KEY, answerOf, callWebhook, keyHeader } from '../../support/webhook';

const status = fixture('messageStatus', 'delivered');
const apiKeyOnly = { apiKey: 'sandbox-master-api-key-example', baseUrl: 'https://app.edna.io/api' };

describe('edna Pulse Trigger with a credential without a webhook key', () => {
	test('a request with a key: 403, and the answer says the credential has no webhook key', async () => {
		const call = await callWebhook({ headers: keyHeader(), json: status, credential: apiKeyOnly });
		expect(answerOf(call)).toEqual({ status: 403, body: { message: expect.stringContaining('has no webhook key') } });
		expect(call.items).toBeUndefined();
	});

	test('a request without a key: 401 as before, same explanation', async () => {
		const call = await callWebhook({ headers: { 'content-type': 'application/json' }, json: status, credential: apiKeyOnly });
		expect(answerOf(call)).toEqual({ status: 401, body: { message: expect.stringContaining('has no webhook key') } });
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
