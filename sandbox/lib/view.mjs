// The account as the conversation page and GET /sandbox/state show it: per customer phone, the
// chat in time order, with each business message's delivery status.

const outView = (m) => ({
	direction: 'out',
	messageId: m.messageId,
	requestId: m.requestId,
	api: m.api,
	channelType: m.channelType,
	subject: m.subject,
	subjectId: m.subjectId,
	cascadeId: m.cascadeId,
	templateId: m.templateId,
	content: m.content,
	status: m.deliveryStatus,
	statuses: m.statuses,
	clicks: m.clicks ?? [],
	at: m.createdAt,
});

const inView = (m) => ({
	direction: 'in',
	id: m.id,
	channelType: m.channelType,
	subject: m.subject,
	subjectId: m.subjectId,
	replyOutMessageId: m.replyOutMessageId,
	content: m.content,
	read: m.readByBusiness,
	at: m.receivedAt,
});

export function snapshot(state, webhooks) {
	const phones = new Map(state.customers.map((c) => [c.phone, []]));
	for (const m of state.outMessages)
		(phones.get(m.address) ?? phones.set(m.address, []).get(m.address)).push(outView(m));
	for (const m of state.inMessages)
		(phones.get(m.address) ?? phones.set(m.address, []).get(m.address)).push(inView(m));
	const order = (a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
	return {
		version: state.version,
		channels: state.channels
			.filter((c) => c.active)
			.map((c) => ({ subjectId: c.subjectId, subject: c.subject, name: c.name, type: c.type })),
		templates: state.templates.map((t) => ({
			id: t.id,
			name: t.name,
			channelType: t.channelType,
			status: t.status,
			category: t.category,
			locked: t.locked,
		})),
		webhooks: webhooks.list(),
		conversations: [...phones].map(([phone, messages]) => ({
			phone,
			userName: state.customers.find((c) => c.phone === phone)?.userName ?? null,
			messages: messages.sort(order),
		})),
	};
}
