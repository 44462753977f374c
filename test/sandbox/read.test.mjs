// The lists and lookups: channel-profile, cascade/get-all, message-matchers/get-by-request,
// messages/history, in-message/change-status (docs/edna-api.md §3, §4.1, §5.3, §6).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureBody } from '../../sandbox/lib/webhook-shapes.mjs';
import { PHONE, api, sandbox, textSend } from './helpers.mjs';

const sb = await sandbox();

test('channel-profile lists every channel with the documented fields; ?types filters', async () => {
	const all = await api(sb, 'channel-profile');
	assert.equal(all.status, 200);
	const wa = all.body.find((c) => c.subject === 'sandbox_wa');
	assert.deepEqual(Object.keys(wa).sort(), [
		'active',
		'channelAttribute',
		'id',
		'instruction',
		'limit',
		'name',
		'qualityScore',
		'qualityStatus',
		'registrationStatus',
		'subject',
		'subjectId',
		'type',
	]);
	assert.equal(wa.subjectId, 101);
	assert.equal(wa.channelAttribute, '35790000001');
	const inactive = all.body.find((c) => !c.active);
	assert.equal('subjectId' in inactive, false, 'subjectId only for registered, active channels');
	const viber = await api(sb, 'channel-profile?types=VIBER,SMS');
	assert.deepEqual(
		viber.body.map((c) => c.subjectId),
		[102, 103],
	);
});

/** A cascade's stages in order: the first, then each one nested in the one before. */
const stageChain = (cascade) => {
	const chain = [];
	for (let s = cascade.stages[0]; s; s = s.stages?.[0]) chain.push(s);
	return chain;
};

test('cascade/get-all: ids, statuses, stages with subject.id = subjectId; offset/limit', async () => {
	const res = await api(sb, 'cascade/get-all', { offset: 0, limit: 0 });
	assert.deepEqual(
		res.body.map((c) => [c.id, c.status, stageChain(c).map((s) => s.subject.id)]),
		[
			[201, 'ACTIVE', [101]],
			[202, 'ACTIVE', [102]],
			[203, 'ACTIVE', [103]],
			[204, 'ACTIVE', [101, 103]],
			[205, 'DISABLED', [101]],
		],
	);
	const twoStage = res.body.find((c) => c.id === 204);
	assert.equal(twoStage.stagesCount, '2');
	assert.deepEqual(twoStage.stages[0].decision, { type: 'TTL', ttl: '00:00:40' });
	assert.equal(twoStage.stages[0].stages[0].decision, null);
	const page = await api(sb, 'cascade/get-all', { offset: 1, limit: 2 });
	assert.deepEqual(
		page.body.map((c) => c.id),
		[202, 203],
	);
});

test("message-matchers/get-by-request: templates of one channel, in the fixture's shape; matcherTypes filters", async () => {
	const missing = await api(sb, 'message-matchers/get-by-request', {});
	assert.equal(missing.status, 400);
	assert.equal(missing.body.title, 'subjectId-not-specified');
	const wa = await api(sb, 'message-matchers/get-by-request', {
		subjectId: 101,
		matcherTypes: ['OPERATOR', 'USER', 'CUSTOM'],
	});
	assert.deepEqual(
		wa.body.map((t) => t.id),
		[301, 302, 303, 304, 305, 306],
	);
	const shape = fixtureBody('templateStatus', 'array')[0];
	for (const t of wa.body) {
		assert.deepEqual(Object.keys(t), Object.keys(shape));
		assert.deepEqual(Object.keys(t.content), Object.keys(shape.content));
	}
	const byId = Object.fromEntries(wa.body.map((t) => [t.id, t]));
	assert.equal(byId[305].status, 'PENDING');
	assert.equal(byId[306].locked, true);
	assert.equal(byId[303].content.header.headerType, 'DOCUMENT');
	assert.equal(byId[304].content.header.headerType, 'IMAGE');
	assert.equal(byId[302].content.keyboard.rows[0].buttons[0].urlPostfix, '{{1}}');
	assert.equal(byId[301].content.keyboard.rows[0].buttons[0].buttonType, 'QUICK_REPLY');
	assert.equal(byId[301].content.footer.text, 'edna Pulse sandbox shop');
	const viber = await api(sb, 'message-matchers/get-by-request', {
		subjectId: 102,
		matcherTypes: 'USER',
	});
	assert.deepEqual(
		viber.body.map((t) => [t.id, t.channelType]),
		[[307, 'VIBER']],
	);
	const none = await api(sb, 'message-matchers/get-by-request', {
		subjectId: 101,
		matcherTypes: ['CUSTOM'],
	});
	assert.deepEqual(none.body, []);
});

test('messages/history: OUT and IN items, filters, paging', async () => {
	await sb.customer.send({ phone: PHONE, text: 'history hello' });
	await api(sb, 'cascade/schedule', textSend('history-1', 'first'));
	await api(sb, 'cascade/schedule', textSend('history-2', 'second'));
	await api(sb, 'cascade/schedule', {
		...textSend('history-sms', 'sms'),
		cascadeId: 203,
		subscriberFilter: { address: '35790000999', type: 'PHONE' },
		content: { smsContent: { text: 'sms' } },
	});
	const all = await api(sb, 'messages/history', {
		subscriberFilter: { address: PHONE, type: 'PHONE' },
	});
	assert.equal(all.status, 200);
	assert.equal(all.body.hasNext, false);
	assert.deepEqual(
		all.body.content.map((m) => m.direction),
		['IN', 'OUT', 'OUT'],
	);
	const out = all.body.content[1];
	for (const field of [
		'messageId',
		'requestId',
		'comment',
		'direction',
		'channelType',
		'subjectId',
		'cascadeId',
		'address',
		'content',
		'deliveryStatus',
		'createdAt',
		'statusAt',
	]) {
		assert.ok(field in out, field);
	}
	assert.deepEqual(
		[out.content.type, out.content.text, out.subjectId, out.cascadeId],
		['TEXT', 'first', 101, 201],
	);
	const byId = await api(sb, 'messages/history', { messageId: out.messageId });
	assert.deepEqual(
		byId.body.content.map((m) => m.requestId),
		['history-1'],
	);
	const sms = await api(sb, 'messages/history', { channelTypes: ['SMS'] });
	assert.deepEqual(
		sms.body.content.map((m) => m.requestId),
		['history-sms'],
	);
	const inbound = await api(sb, 'messages/history', { direction: 'IN' });
	assert.deepEqual(
		inbound.body.content.map((m) => m.content.text),
		['history hello'],
	);
	const paged = await api(sb, 'messages/history', {
		limit: 1,
		offset: 0,
		sort: [{ property: 'messageId', direction: 'DESC' }],
		direction: 'OUT',
	});
	assert.equal(paged.body.hasNext, true);
	assert.equal(paged.body.content[0].requestId, 'history-sms');
	const future = await api(sb, 'messages/history', { dateFrom: '2999-01-01T00:00:00Z' });
	assert.deepEqual(future.body.content, []);
	const bad = await api(sb, 'messages/history', { dateFrom: 'yesterday' });
	assert.equal(bad.status, 400);
});

test('in-message/change-status marks an incoming message READ; unknown id and other statuses are 400', async () => {
	const { message } = await sb.customer.send({ phone: PHONE, text: 'read me' });
	const ok = await api(sb, 'in-message/change-status', { id: message.id, status: 'READ' });
	assert.deepEqual(ok, { status: 200, body: { code: 'ok' } });
	assert.equal(sb.account.inMessages.find((m) => m.id === message.id).readByBusiness, true);
	const unknown = await api(sb, 'in-message/change-status', { id: 1, status: 'READ' });
	assert.equal(unknown.body.title, 'in-message-not-found');
	const wrong = await api(sb, 'in-message/change-status', { id: message.id, status: 'DELIVERED' });
	assert.equal(wrong.body.title, 'status-not-valid');
});
