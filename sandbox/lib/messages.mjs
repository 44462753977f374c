// Outgoing and incoming messages as the account keeps them: what messages/history answers, what the
// conversation page shows and what status and reply webhooks refer to.

/** Adds an accepted outgoing message and returns it. */
export function addOutMessage(state, fields) {
	const message = {
		direction: 'OUT',
		messageId: state.nextId.outMessage++,
		requestId: null,
		comment: null,
		cascadeId: null,
		stageUuid: null,
		stages: null,
		stageIndex: 0,
		templateId: null,
		templateCategory: null,
		isTemplate: false,
		deliveryStatus: null,
		statuses: [],
		createdAt: new Date().toISOString(),
		statusAt: null,
		...fields,
	};
	message.contentKey = [
		message.channelType,
		message.address,
		message.content.text ?? '',
		message.content.attachment?.url ?? '',
	].join('|');
	state.outMessages.push(message);
	indexed(state.outByAddress, message.address).push(message);
	indexed(state.outByContentKey, message.contentKey).push(message);
	state.version++;
	return message;
}

const indexed = (map, key) => map.get(key) ?? map.set(key, []).get(key);

/** Outgoing messages to `phone`, oldest first. */
export const outMessagesTo = (state, phone) => state.outByAddress.get(phone) ?? [];

/** Outgoing messages with the duplicate key `contentKey` (channel, phone, text, attachment URL). */
export const outMessagesLike = (state, contentKey) => state.outByContentKey.get(contentKey) ?? [];

/** The last outgoing message to `phone` on channel `subjectId` (what a reply refers to). */
export const lastOutMessage = (state, phone, subjectId) =>
	outMessagesTo(state, phone).findLast((m) => subjectId === undefined || m.subjectId === subjectId);

export const findOutMessage = (state, { requestId, outMessageId }) =>
	state.outMessages.find(
		(m) =>
			(requestId != null && m.requestId === requestId) ||
			(outMessageId != null && m.messageId === Number(outMessageId)),
	);
