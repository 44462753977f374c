import { BuildError } from '../errors';

/**
 * Who and where a reply goes, read from a Message Received item of the edna Pulse Trigger
 * (incoming-message webhook: `subscriber.identifier`, `subjectId`, `subject`; docs/edna-api.md §W5, and
 * the trigger's events/incomingMessage.ts). Pure, so every kind of item can be tested.
 */

export interface ReplyTarget {
	phone: string;
	subjectId: number;
	subject: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export function replyTarget(item: unknown): ReplyTarget {
	const json = isObject(item) ? item : {};
	const subscriber = isObject(json.subscriber) ? json.subscriber : {};
	const identifier = subscriber.identifier ?? json.senderId;
	const rawSubjectId = json.subjectId;
	const missing: string[] = [];
	if (typeof identifier !== 'string' && typeof identifier !== 'number') missing.push('subscriber.identifier');
	const subjectId = typeof rawSubjectId === 'string' && /^\d+$/.test(rawSubjectId.trim()) ? Number(rawSubjectId) : rawSubjectId;
	if (typeof subjectId !== 'number' || !Number.isSafeInteger(subjectId)) missing.push('subjectId');
	if (missing.length > 0) {
		throw new BuildError(
			`This item is not a message received by the edna Pulse Trigger: it has no ${missing.map((m) => `"${m}"`).join(' and ')}`,
			'Connect Reply to an edna Pulse Trigger set to "Message Received" (output Simplified or Raw). To send to any phone, use Message → Send.',
		);
	}
	const given = String(identifier).trim();
	const phone = given.replace(/[\s-]/g, '').replace(/^\+/, '');
	if (!/^\d+$/.test(phone)) {
		// WhatsApp may identify a user by a business-scoped user ID instead of a phone (docs/edna-api.md §W5.5);
		// edna's sends address subscribers by phone only (subscriberFilter type PHONE, docs/edna-api.md §2.1).
		throw new BuildError(
			`This customer is known only by a WhatsApp user ID ("${given}"), not by a phone number, and edna Pulse sends only to phone numbers`,
			'edna\'s send API addresses customers by phone only, so no reply can be sent to this sender through the API. Answer in edna Pulse\'s own inbox, or ask the customer for a phone number. To skip such items, put an IF node before Reply (senderId contains only digits), or turn on "Continue On Fail".',
		);
	}
	return { phone, subjectId: subjectId as number, subject: typeof json.subject === 'string' ? json.subject : null };
}
