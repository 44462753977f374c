import type { IDataObject } from 'n8n-workflow';

/**
 * A Message Received item as the trigger outputs it (Simplified) on the seed's WhatsApp channel 101,
 * from customer `identifier`: message `id` with `text`, received at `receivedAt` (default: now).
 */
export function receivedItem(id: number, { text = 'hello', identifier = '35790000001', receivedAt = new Date().toISOString() }: { text?: string; identifier?: string; receivedAt?: string } = {}): IDataObject {
	return {
		eventType: 'incomingMessage',
		eventKey: `incomingMessage:101:${id}`,
		id,
		subjectId: 101,
		subject: 'sandbox_wa',
		subscriber: { id: 1, identifier },
		messageContent: { type: 'TEXT', text },
		receivedAt,
		chatInput: text,
		sessionId: `101:${identifier}`,
	};
}
