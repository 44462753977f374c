/**
 * The unit tests' edna fake (test/support/action/fakeEdna.ts) against the sandbox itself: both start
 * from sandbox/seed.json, and this checks that the fake also lists channels, cascades and templates the
 * way the sandbox answers them, for the master key and for the WhatsApp-only key, so the unit tests and
 * the end-to-end tests meet the same edna.
 */
import { BASE_URL, FakeEdna, MASTER_KEY, WA_ONLY_KEY } from '../support/action/fakeEdna';
import { sandboxAnswers, type SandboxRequest } from '../support/sandbox';

const REQUESTS: SandboxRequest[] = [
	{ method: 'GET', path: 'channel-profile' },
	{ method: 'POST', path: 'cascade/get-all', body: { offset: 0, limit: 0 } },
	{ method: 'POST', path: 'message-matchers/get-by-request', body: { subjectId: 101 } },
];

async function fakeAnswers(key: string): Promise<unknown[]> {
	const edna = new FakeEdna();
	const out = [];
	for (const r of REQUESTS) {
		const answer = await edna.request({ method: r.method, url: `${BASE_URL}${r.path}`, headers: { 'X-API-KEY': key }, body: r.body as never });
		out.push({ status: answer.statusCode, body: answer.body });
	}
	return out;
}

describe('the unit tests’ edna fake answers as the sandbox does', () => {
	test.each([
		['the master key', MASTER_KEY],
		['the WhatsApp-only key', WA_ONLY_KEY],
	])('channels, cascades and templates with %s', async (_name, key) => {
		const [channels, cascades, templates] = sandboxAnswers(key, REQUESTS) as Array<{ status: number; body: Array<Record<string, unknown>> }>;
		const [fakeChannels, fakeCascades, fakeTemplates] = (await fakeAnswers(key)) as typeof channels[];
		expect(fakeChannels).toEqual(channels);
		expect(fakeCascades).toEqual(cascades);
		// The sandbox fills every template field edna has (nulls included); the fake gives the seed's.
		expect(fakeTemplates.status).toBe(templates.status);
		expect(fakeTemplates.body.map((t) => [t.id, t.name, t.status])).toEqual(templates.body.map((t) => [t.id, t.name, t.status]));
	});
});
