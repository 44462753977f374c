// POST messages/history (http://docs-pulse.edna.io/docs/api/messages/history, docs/edna-api.md §6). edna
// documents the request; the answer shape follows third-party code against the live API (docs/edna-api.md §6).
import { isRestricted, mayUseChannel } from '../auth.mjs';
import { CODES, HISTORY_IN_DELIVERY_STATUS, HISTORY_LIMIT } from '../choices.mjs';
import { invalid } from '../errors.mjs';
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
	const all = [...state.outMessages, ...state.inMessages].map((m) => item(state, m));
	let list = all.filter(
		(m) =>
			(body.messageId == null || String(m.messageId) === String(body.messageId)) &&
			(!address || m.address === address) &&
			(!body.direction || m.direction === body.direction) &&
			(!types.length || types.includes(m.channelType)) &&
			(from === null || Date.parse(m.createdAt) >= from) &&
			(to === null || Date.parse(m.createdAt) <= to) &&
			(body.subjectId == null || m.subjectId === Number(body.subjectId)) &&
			(!isRestricted(key) || mayUseChannel(key, m.subjectId)),
	);
	const sort =
		Array.isArray(body.sort) && body.sort[0]
			? body.sort[0]
			: { property: 'createdAt', direction: 'ASC' };
	const prop = sort.property === 'messageId' ? 'messageId' : 'createdAt';
	const sign = String(sort.direction).toUpperCase() === 'DESC' ? -1 : 1;
	list = list.sort(
		(a, b) =>
			sign *
			(prop === 'messageId'
				? a.messageId - b.messageId
				: Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.messageId - b.messageId),
	);
	const offset = Number.isInteger(body.offset) && body.offset > 0 ? body.offset : 0;
	const limit = Math.min(
		Number.isInteger(body.limit) && body.limit > 0 ? body.limit : HISTORY_LIMIT.default,
		HISTORY_LIMIT.max,
	);
	return {
		status: 200,
		body: { hasNext: offset + limit < list.length, content: list.slice(offset, offset + limit) },
	};
}
