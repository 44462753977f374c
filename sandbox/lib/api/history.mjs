// POST messages/history (http://docs-pulse.edna.io/docs/api/messages/history, docs/edna-api.md §6). edna
// documents the request; the answer shape follows third-party code against the live API (docs/edna-api.md §6).
import { isRestricted, mayUseChannel } from '../auth.mjs';
import { CODES, HISTORY_IN_DELIVERY_STATUS, HISTORY_LIMIT } from '../choices.mjs';
import { invalid } from '../errors.mjs';
import { outMessagesTo } from '../messages.mjs';
import { channelBySubjectId } from '../state.mjs';

// The content fields history shows, the same for sent and received messages.
const historyContent = (c) => ({
	type: c.type,
	text: c.text,
	caption: c.caption,
	attachment: c.attachment,
	location: c.location,
});

const item = (state, m) =>
	m.direction === 'OUT'
		? {
				messageId: m.messageId,
				requestId: m.requestId, // a sandbox extra: the node must not need it
				comment: m.comment,
				direction: 'OUT',
				channelType: m.channelType,
				subjectId: m.subjectId,
				cascadeId: m.cascadeId,
				address: m.address,
				content: historyContent(m.content),
				deliveryStatus: m.deliveryStatus,
				createdAt: m.createdAt,
				statusAt: m.statusAt,
			}
		: {
				messageId: m.id,
				requestId: null,
				comment: null,
				direction: 'IN',
				channelType: channelBySubjectId(state, m.subjectId)?.type ?? null,
				subjectId: m.subjectId,
				cascadeId: null,
				address: m.address,
				content: historyContent(m.content),
				deliveryStatus: HISTORY_IN_DELIVERY_STATUS,
				createdAt: m.receivedAt,
				statusAt: m.receivedAt,
			};

// A message's time never changes: read once, not on every page of every history call.
const times = new WeakMap();
const timeOf = (m, iso) => {
	let t = times.get(m);
	if (t === undefined) times.set(m, (t = Date.parse(iso)));
	return t;
};

function date(body, field) {
	if (body[field] === undefined || body[field] === null) return null;
	const t = Date.parse(body[field]);
	if (Number.isNaN(t))
		throw invalid(CODES.dateNotValid, `${field} ${body[field]} is not an ISO-8601 date.`);
	return t;
}

export function history({ state, key, body }) {
	const from = date(body, 'dateFrom');
	const to = date(body, 'dateTo');
	const types = Array.isArray(body.channelTypes)
		? body.channelTypes.map((t) => String(t).toUpperCase())
		: [];
	const address = body.subscriberFilter?.address
		? String(body.subscriberFilter.address).replace(/^\+/, '')
		: null;
	const subjectId = body.subjectId == null ? null : Number(body.subjectId);
	// Only the messages that can match are looked at (a phone's own, one direction), each is checked
	// on its own fields, and only the page is turned into items: a history of many thousands of
	// messages stays cheap to page through.
	const out =
		body.direction && body.direction !== 'OUT'
			? []
			: address
				? outMessagesTo(state, address)
				: state.outMessages;
	const inbound = body.direction && body.direction !== 'IN' ? [] : state.inMessages;
	const matches = [];
	const consider = (m, id, channelType, time) => {
		if (
			(body.messageId == null || String(id) === String(body.messageId)) &&
			(!address || m.address === address) &&
			(!types.length || types.includes(channelType)) &&
			(from === null || time >= from) &&
			(to === null || time <= to) &&
			(subjectId === null || m.subjectId === subjectId) &&
			(!isRestricted(key) || mayUseChannel(key, m.subjectId))
		)
			matches.push({ m, id, time });
	};
	for (const m of out) consider(m, m.messageId, m.channelType, timeOf(m, m.createdAt));
	for (const m of inbound)
		consider(
			m,
			m.id,
			channelBySubjectId(state, m.subjectId)?.type ?? null,
			timeOf(m, m.receivedAt),
		);
	const sort =
		Array.isArray(body.sort) && body.sort[0]
			? body.sort[0]
			: { property: 'createdAt', direction: 'ASC' };
	const byId = sort.property === 'messageId';
	const sign = String(sort.direction).toUpperCase() === 'DESC' ? -1 : 1;
	matches.sort((a, b) => sign * (byId ? a.id - b.id : a.time - b.time || a.id - b.id));
	const offset = Number.isInteger(body.offset) && body.offset > 0 ? body.offset : 0;
	const limit = Math.min(
		Number.isInteger(body.limit) && body.limit > 0 ? body.limit : HISTORY_LIMIT.default,
		HISTORY_LIMIT.max,
	);
	return {
		status: 200,
		body: {
			hasNext: offset + limit < matches.length,
			content: matches.slice(offset, offset + limit).map(({ m }) => item(state, m)),
		},
	};
}
