// A campaign in a real n8n (the packed package installed as a community package) against the sandbox
// as edna, with edna's limits played: every API call answered 20 ms late, and sends above 60 a
// second refused with 429 and Retry-After. The sandbox is also told to accept a v1 messageId it has
// seen (edna does not document that it refuses one), so only the node's own history check stands
// between a re-run and a second message. 2,000 rows (some phones twice, a few not phones) go out
// through Send Template with a Campaign ID, Parallel Sends 10; then n8n is killed (SIGKILL) half-way
// through another campaign, started again, and the campaign run again. Every message is read back
// from the sandbox's account, every result from n8n's executions.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';

import { actionNode, publishActionWorkflow } from '../../scripts/lib/action-workflow.mjs';
import { killGroup, sleep, start } from '../../scripts/lib/n8n/index.mjs';
import { setUpSandboxSuite } from '../support/sandbox-suite.mjs';

const LIMITS = { latencyMs: 20, rateLimit: { perSecond: 60 } };
const CHANNEL = 101; // sandbox_wa, daily limit TIER_1K in the seed
const SPACING_S = 6;

// edna's time at the speed of the clock, so the spacing the sandbox sees is in real seconds.
const suite = setUpSandboxSuite({
	speed: 1,
	then: async ({ sandbox }) => {
		sandbox.setLimits({ ...LIMITS, v1MessageIdUnique: false });
	},
});

/** 2,000 rows: `distinct` phones once, `twice` of them a second time, and `bad` rows that are no phone. */
function rows(prefix, { distinct = 1980, twice = 15 } = {}) {
	const list = Array.from({ length: distinct }, (_, i) => ({ phone: `${prefix}${String(i).padStart(6, '0')}`, name: `C${i}`, order: `O-${prefix}-${i}` }));
	for (let i = 0; i < twice; i++) list.splice(100 * (i + 1), 0, { ...list[i * 7], order: `O-${prefix}-again-${i}` });
	const bad = ['12', 'call me', '', '+1 (555) 0100', '1234567890123456'];
	bad.forEach((phone, i) => list.splice(333 * (i + 1), 0, { phone, name: 'Bad', order: `O-bad-${i}` }));
	return list;
}

/** Webhook → Split Out the posted rows → edna Pulse Send Template as campaign `campaignId` (errors as items). */
async function publishCampaign(campaignId) {
	return await publishActionWorkflow(suite.n8n, {
		name: `campaign ${campaignId}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Rows',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [120, 0],
				parameters: { fieldToSplitOut: 'body.rows', options: {} },
			},
			actionNode({
				credential: suite.n8n.credential,
				typeVersion: 1.2,
				extra: { onError: 'continueRegularOutput' },
				parameters: {
					resource: 'message',
					operation: 'sendTemplate',
					channel: { __rl: true, mode: 'id', value: String(CHANNEL) },
					template: { __rl: true, mode: 'id', value: '301' },
					phone: '={{ $json.phone }}',
					variables: {
						mappingMode: 'defineBelow',
						value: { header_1: '={{ $json.order }}', body_1: '={{ $json.name }}', body_2: '={{ $json.order }}' },
					},
					options: { campaignId, concurrency: 10 },
				},
			}),
		],
	});
}

/** The sandbox's outgoing messages of a campaign (by the mark at the end of their comment), per phone. */
function messagesOf(campaignId) {
	const byPhone = new Map();
	for (const m of suite.sandbox.account.outMessages) {
		if (typeof m.comment !== 'string' || !m.comment.endsWith(`campaign:${campaignId}`)) continue;
		byPhone.set(m.address, [...(byPhone.get(m.address) ?? []), m]);
	}
	return byPhone;
}

/** How each valid phone of the list should end up: its number of rows. */
function expected(list) {
	const counts = new Map();
	for (const { phone } of list) if (/^\d{7,15}$/.test(phone)) counts.set(phone, (counts.get(phone) ?? 0) + 1);
	return counts;
}

/** Duplicates (messages beyond a phone's rows) and missing (rows without a message), as figures. */
function compare(list, campaignId) {
	const want = expected(list);
	const got = messagesOf(campaignId);
	let duplicates = 0;
	let missing = 0;
	for (const [phone, n] of want) {
		const have = got.get(phone)?.length ?? 0;
		if (have > n) duplicates += have - n;
		if (have < n) missing += n - have;
	}
	const strangers = [...got.keys()].filter((phone) => !want.has(phone));
	return { rows: list.length, valid: [...want.values()].reduce((a, b) => a + b, 0), messages: [...got.values()].flat().length, duplicates, missing, strangers };
}

describe('campaigns at edna’s pace', { concurrency: 1 }, () => {
	test('2,000 rows through a rate-limited edna: the channel check first, then one message per valid row, one phone’s messages ≥ 6 s apart, bad rows never reach edna, no item fails by a 429', async () => {
		const { sandbox } = suite;
		const list = rows('3571');
		const campaign = await publishCampaign('spring-sale');

		// TIER_1K: 1,980 distinct phones are over the channel's daily limit, and nothing is sent.
		const refused = await campaign.run({ rows: list });
		const [stopped] = refused.items;
		assert.match(String(stopped?.error), /^Nothing was sent: The batch has 1980 distinct recipients, more than channel .*daily limit of 1000 \(TIER_1K\)$/);
		assert.equal(messagesOf('spring-sale').size, 0);

		// edna raised the channel's tier: the same list goes out.
		sandbox.account.channels.find((c) => c.subjectId === CHANNEL).limit = 'TIER_10K';
		const before = sandbox.sendStats();
		const t0 = Date.now();
		const { items, execution } = await campaign.run({ rows: list });
		const seconds = (Date.now() - t0) / 1000;
		const after = sandbox.sendStats();

		const errors = items.filter((i) => i.error !== undefined);
		assert.deepEqual(
			errors.map((e) => e.error),
			[
				'The recipient phone "12" has 2 digits',
				'The recipient phone "call me" is not a phone number',
				'The recipient phone is empty',
				'The recipient phone "+1 (555) 0100" is not a phone number',
				'The recipient phone "1234567890123456" has 16 digits',
			],
		);
		assert.equal(items.filter((i) => i.outcome === 'sent').length, 1995);
		assert.equal(items.length, 2000, 'one output item per row');

		const figures = compare(list, 'spring-sale');
		console.log(`campaign of ${figures.rows} rows in ${seconds.toFixed(1)} s: ${JSON.stringify({ ...figures, strangers: figures.strangers.length })}; sandbox: ${after.accepted - before.accepted} accepted, ${after.refused429 - before.refused429} answered 429, peak ${after.peakPerSecond}/s`);
		assert.deepEqual({ duplicates: figures.duplicates, missing: figures.missing, strangers: figures.strangers }, { duplicates: 0, missing: 0, strangers: [] });
		assert.ok(after.refused429 > before.refused429, 'edna’s rate limit was reached (else nothing here tests the back-off)');

		for (const [phone, messages] of messagesOf('spring-sale')) {
			if (messages.length < 2) continue;
			const [a, b] = messages.map((m) => Date.parse(m.createdAt)).sort((x, y) => x - y);
			assert.ok(b - a >= SPACING_S * 1000, `${phone}: ${b - a} ms between its two messages`);
		}
		// The summary the editor shows on the node's output.
		const hints = execution.data.resultData.runData['edna Pulse'][0].hints ?? [];
		assert.match(hints.map((h) => h.message).join('\n'), /campaign "spring-sale": 2000 items: 1995 sent, 0 already sent, 0 skipped, 5 refused, 0 failed/);
	});

	test('n8n killed (SIGKILL) half-way, started again, the campaign run again: exactly one message per row — 0 duplicates, 0 missing', async () => {
		const { sandbox, n8n } = suite;
		const list = rows('3572');
		const campaign = await publishCampaign('autumn-reminders');
		const started = campaign.run({ rows: list }).catch((error) => error);

		// Kill n8n's main process (and its task runner) once about half the campaign is out.
		while ((messagesOf('autumn-reminders').size ?? 0) < 900) await sleep(50);
		const [main] = n8n.instance.processes;
		killGroup(main.pid, 'SIGKILL');
		await main.stop();
		await started;
		await sleep(500); // sends in flight when n8n died have had their answer by now
		const atKill = compare(list, 'autumn-reminders');

		await start(n8n.instance);
		const { items } = await campaign.run({ rows: list });
		const outcomes = {};
		for (const i of items) outcomes[i.outcome ?? 'error'] = (outcomes[i.outcome ?? 'error'] ?? 0) + 1;
		const resumed = compare(list, 'autumn-reminders');
		console.log(`killed with ${atKill.messages} of ${atKill.valid} messages out; the re-run: ${JSON.stringify(outcomes)}; in edna now: ${resumed.messages} messages, ${resumed.duplicates} duplicates, ${resumed.missing} missing`);

		assert.ok(atKill.messages > 0 && atKill.missing > 0, `the kill came half-way: ${JSON.stringify(atKill)}`);
		assert.deepEqual({ duplicates: resumed.duplicates, missing: resumed.missing, strangers: resumed.strangers }, { duplicates: 0, missing: 0, strangers: [] });
		assert.equal(outcomes.alreadySent, atKill.messages, 'what went out before the kill is alreadySent');
		assert.equal(outcomes.sent, atKill.missing, 'only what was missing is sent');
		assert.equal(outcomes.error, 5);
	});
});

