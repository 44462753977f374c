// The conversation page: polls GET /sandbox/state and draws the chat of one phone as its customer
// sees it; the controls call the /sandbox/customer/* and /sandbox/templates/* endpoints.
const $ = (id) => document.getElementById(id);
let state = null;
let phone = new URLSearchParams(location.search).get('phone');
const extraPhones = new Set();

const TICKS = {
	SENT: '✓',
	DELIVERED: '✓✓',
	READ: '✓✓',
	UNDELIVERED: '!',
	FAILED: '!',
	CANCELLED: '×',
};

function el(tag, attrs = {}, ...children) {
	const node = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs))
		if (v !== null && v !== undefined) node.setAttribute(k, v);
	for (const c of children) if (c !== null && c !== undefined) node.append(c);
	return node;
}

async function post(path, body) {
	const res = await fetch(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const data = await res.json();
	const note = res.ok
		? data.webhook
			? `webhook answered ${data.webhook.status || data.webhook.error}`
			: 'no webhook URL registered for this event'
		: data.error;
	$('notice').textContent = note;
	await refresh(true);
	return data;
}

function describe(content) {
	if (content.type === 'LOCATION' && content.location)
		return `Location: ${content.location.address ?? ''} (${content.location.latitude}, ${content.location.longitude})`;
	if (content.attachment)
		return `${content.type[0]}${content.type.slice(1).toLowerCase()}: ${content.attachment.name ?? content.attachment.url}${content.caption ? `\n${content.caption}` : ''}${content.text ? `\n${content.text}` : ''}`;
	if (content.type === 'LIST_PICKER' && content.items)
		return `Chose: ${content.items.map((i) => i.title).join(', ')}`;
	if (content.type === 'FLOW' && content.flowId)
		return `${content.text ?? ''}\n[${content.caption ?? 'Open'}]`;
	if (content.type === 'FLOW') return `Flow answers: ${content.text}`;
	if (content.type === 'BUTTON' && content.payload) return `${content.text ?? content.payload}`;
	return content.text ?? '';
}

function messageNode(m) {
	const c = m.content;
	const node = el('div', {
		class: 'message',
		'data-testid': 'message',
		'data-direction': m.direction,
		'data-status': m.status ?? (m.direction === 'in' ? (m.read ? 'READ' : 'RECEIVED') : 'ACCEPTED'),
		'data-type': c.type,
		'data-request-id': m.requestId,
		'data-sender': m.api === 'chat-centre' ? 'operator' : m.direction === 'out' ? 'api' : 'customer',
	});
	if (c.header?.text) node.append(el('div', { class: 'head' }, c.header.text));
	node.append(el('div', { 'data-testid': 'message-text' }, describe(c)));
	if (c.footer) node.append(el('div', { class: 'footer' }, c.footer));
	if (m.direction === 'out' && c.buttons?.length) {
		const row = el('div', { class: 'buttons' });
		for (const b of c.buttons) {
			const button = el(
				'button',
				{
					type: 'button',
					'data-testid': b.type === 'QUICK_REPLY' ? 'quick-reply' : 'link-button',
					'data-payload': b.payload,
					'data-url': b.url,
				},
				b.type === 'URL' ? `↗ ${b.text}` : b.text,
			);
			if (b.type === 'QUICK_REPLY')
				button.onclick = () =>
					post('/sandbox/customer/button', { outMessageId: m.messageId, payload: b.payload });
			else if (b.type === 'URL')
				button.onclick = () =>
					post('/sandbox/customer/link-click', { outMessageId: m.messageId, button: b.text });
			row.append(button);
		}
		node.append(row);
	}
	const time = new Date(m.at).toLocaleTimeString();
	const who = m.api === 'chat-centre' ? 'operator · ' : '';
	const meta = el('div', { class: 'meta' }, `${who}${m.channelType.toLowerCase()} · ${time} `);
	if (m.direction === 'out')
		meta.append(
			el(
				'span',
				{
					class: 'ticks',
					'data-testid': 'ticks',
					'data-status': m.status ?? 'ACCEPTED',
					title: m.status ?? 'accepted',
				},
				TICKS[m.status] ?? '…',
			),
		);
	node.append(meta);
	return node;
}

function conversations() {
	const list = state.conversations.map((c) => c.phone);
	for (const p of extraPhones) if (!list.includes(p)) list.push(p);
	return list;
}

function render() {
	const phones = conversations();
	if (!phone) phone = phones[0];
	$('phones').replaceChildren(
		...phones.map((p) => {
			const conv = state.conversations.find((c) => c.phone === p);
			const b = el(
				'button',
				{
					class: 'phone',
					type: 'button',
					'data-testid': 'phone-item',
					'data-phone': p,
					'aria-current': String(p === phone),
				},
				`${conv?.userName ? `${conv.userName} · ` : ''}+${p}`,
			);
			b.onclick = () => {
				phone = p;
				render();
			};
			return b;
		}),
	);
	const conv = state.conversations.find((c) => c.phone === phone);
	$('title').textContent = phone ? `+${phone}` : '—';
	$('subtitle').textContent = conv?.userName ?? '';
	const messages = conv?.messages ?? [];
	const chat = $('chat');
	const atBottom = chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 20;
	chat.replaceChildren(
		...(messages.length
			? messages.map(messageNode)
			: [el('p', { class: 'empty' }, 'No messages yet. Write as the customer below.')]),
	);
	if (atBottom) chat.scrollTop = chat.scrollHeight;

	const channel = $('channel');
	if (!channel.options.length) {
		for (const c of state.channels.filter((x) => x.type !== 'SMS'))
			channel.append(
				el('option', { value: c.subjectId }, `${c.type.toLowerCase()} · ${c.subject}`),
			);
	}
	const template = $('template');
	const chosen = template.value;
	template.replaceChildren(
		...state.templates.map((t) =>
			el('option', { value: t.id }, `${t.id} ${t.name} (${t.status}${t.locked ? ', locked' : ''})`),
		),
	);
	if (chosen) template.value = chosen;
	$('webhooks').replaceChildren(
		...(state.webhooks.length
			? state.webhooks.map((w) =>
					el('div', {}, `${w.kind}${w.subjectId ? ` (${w.subjectId})` : ''}: ${w.url}`),
				)
			: ['No webhook URLs yet: register them with callback/set.']),
	);
}

let version = -1;
async function refresh(force = false) {
	const res = await fetch('/sandbox/state');
	const next = await res.json();
	if (!force && next.version === version) return;
	version = next.version;
	state = next;
	render();
}

const customer = (body) =>
	post('/sandbox/customer/message', { phone, subjectId: Number($('channel').value), ...body });

$('composer').addEventListener('submit', (e) => {
	e.preventDefault();
	const text = $('text').value.trim();
	if (!text || !phone) return;
	$('text').value = '';
	customer({ type: 'TEXT', text });
});
$('operator-form').addEventListener('submit', (e) => {
	e.preventDefault();
	const text = $('operator-text').value.trim();
	if (!text || !phone) return;
	$('operator-text').value = '';
	post('/sandbox/operator/message', { phone, subjectId: Number($('channel').value), text });
});
$('new-phone-form').addEventListener('submit', (e) => {
	e.preventDefault();
	const p = $('new-phone').value.replace(/^\+/, '').trim();
	if (!/^\d{6,15}$/.test(p)) return;
	extraPhones.add(p);
	phone = p;
	$('new-phone').value = '';
	render();
});
$('share-location').onclick = () =>
	customer({
		type: 'LOCATION',
		location: { latitude: 34.6786, longitude: 33.0413, address: 'Limassol, Cyprus' },
	});
$('send-media').onclick = () =>
	customer({ type: $('media-type').value, caption: `My ${$('media-type').value.toLowerCase()}` });
$('pick-list-item').onclick = () =>
	customer({
		type: 'LIST_PICKER',
		items: [{ identifier: '01', title: 'Delivery', subtitle: null }],
	});
$('submit-flow').onclick = () =>
	customer({
		type: 'FLOW',
		response: { delivery_day: 'tomorrow', flow_token: 'sandbox-flow-token' },
	});
$('template-status-apply').onclick = () =>
	post('/sandbox/templates/status', {
		id: Number($('template').value),
		status: $('template-status').value,
	});
$('template-category-apply').onclick = () =>
	post('/sandbox/templates/category', {
		id: Number($('template').value),
		category: $('template-category').value,
	});

refresh();
setInterval(refresh, 700);
