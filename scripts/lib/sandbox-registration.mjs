// Which published trigger gets which of edna's webhook URLs in the sandbox, registered the way edna's
// callback/set registers them (or, for the fields only edna's UI sets, in the sandbox's config).

/**
 * edna keeps one URL per webhook field, so one trigger per field is registered: the example that
 * shows the most first (the auto-reply for incoming messages), else the first published trigger.
 */
export const REGISTER = [
	{
		event: 'incomingMessage',
		field: 'inMessageCallbackUrl',
		prefer: ['auto-reply-whatsapp.json', 'incomingMessage-trigger.json'],
	},
	{
		event: 'messageStatus',
		field: 'statusCallbackUrl',
		prefer: ['messageStatus-trigger.json', 'alert-on-undelivered.json'],
	},
	{
		event: 'templateStatus',
		field: 'messageMatcherCallbackUrl',
		prefer: ['templateStatus-trigger.json', 'log-template-status.json'],
	},
	// No callback/set field exists for these two (docs/edna-api.md §5.1): edna's UI sets them.
	{
		event: 'templateCategory',
		field: 'templateCategoryCallbackUrl',
		prefer: ['templateCategory-trigger.json'],
		ui: true,
	},
	{
		event: 'linkClick',
		field: 'linkClickCallbackUrl',
		prefer: ['linkClick-trigger.json'],
		ui: true,
	},
];

/** Registers one trigger URL per edna field in `sandbox`; returns what was registered or why not. */
export async function registerInSandbox(sandbox, triggers, fileOf) {
	const done = [];
	for (const { event, field, prefer, ui } of REGISTER) {
		const candidates = triggers.filter(
			(t) => !t.problem && (t.node.parameters?.event ?? 'messageStatus') === event,
		);
		const rank = (t) => {
			const i = prefer.indexOf(fileOf.get(t.workflow.name));
			return i < 0 ? prefer.length : i;
		};
		const [chosen] = candidates.sort((a, b) => rank(a) - rank(b));
		if (!chosen) continue;
		if (ui) {
			sandbox.webhooks.register({ field, url: chosen.url });
			done.push({ field, trigger: chosen, how: "sandbox config (edna's UI field)" });
			continue;
		}
		const res = await fetch(`${sandbox.apiUrl}/callback/set`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': sandbox.keys.master },
			body: JSON.stringify({ [field]: chosen.url }),
		});
		const answer = await res.json().catch(() => ({}));
		done.push({
			field,
			trigger: chosen,
			how: 'callback/set',
			problem: answer.code === 'ok' ? undefined : `${res.status} ${JSON.stringify(answer)}`,
		});
	}
	return done;
}
