import { z } from 'zod';

import { channelMatches, enumMatches } from './filters';
import { joinKey, objectAt, orNull } from '../../shared/json';
import type { EdnaEventDefinition } from './types';
import { ednaId, issuesOf, looseObject, optionalId, optionalText, timestamp } from './validation';

/** https://docs-pulse.edna.io/docs/api/callback/get-status — one object per status change. */
const schema = looseObject({
	requestId: z.string().nullable(),
	messageId: optionalId,
	cascadeId: optionalId,
	cascadeStageUUID: optionalText,
	subject: z.string(),
	subjectId: ednaId,
	status: z.string(),
	statusAt: timestamp,
	error: optionalText,
	comment: optionalText,
	paymentData: looseObject({
		conversationId: optionalText,
		conversationType: optionalText,
		chargeable: z.boolean().nullish(),
		type: optionalText,
	}).nullish(),
});

export const messageStatus: EdnaEventDefinition = {
	kind: 'messageStatus',
	displayName: 'Message Status Changed',
	description: 'A sent message changed status: sent, delivered, read, undelivered, failed…',
	ednaSetting: 'Integration → Settings → Main profile → Webhook URL for statuses',
	callbackField: 'statusCallbackUrl',

	recognise: (event) => 'status' in event && 'statusAt' in event,

	filters: ['statuses', 'otherStatuses', 'subjects', 'subjectIds'],
	keep: (event, filters) =>
		enumMatches(filters.statuses, event.status) &&
		channelMatches(filters, { name: event.subject, ids: [event.subjectId] }),

	validate: (event) => issuesOf(schema, event),

	// Retries repeat the same body; requestId is the sender's own ID, messageId edna's (docs/edna-api.md §W1.4).
	identity: (event) =>
		event.requestId == null && event.messageId == null
			? undefined
			: joinKey(event.requestId ?? '', event.messageId ?? '', event.status, event.statusAt),

	simplify: (event) => {
		const payment = objectAt(event, 'paymentData');
		return {
			conversationId: orNull(payment.conversationId),
			conversationType: orNull(payment.conversationType),
			chargeable: orNull(payment.chargeable),
		};
	},
};
