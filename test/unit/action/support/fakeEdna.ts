/**
 * A small in-test edna Pulse, answering as edna's docs and the sandbox's choices (sandbox/README.md) say: the seed
 * channels and cascades, API keys with method groups, problem-details errors, and faults on demand.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

export const MASTER_KEY = 'sandbox-master-api-key-example';
export const WA_ONLY_KEY = 'sandbox-wa-only-api-key-example';
export const WEBHOOK_KEY = 'sandbox-webhook-key-example';
export const BASE_URL = 'http://127.0.0.1:9999/api/';

export const CHANNELS: IDataObject[] = [
	{ id: 1, name: 'Sandbox WhatsApp', subjectId: 101, channelAttribute: '35790000001', subject: 'sandbox_wa', active: true, registrationStatus: 'DONE_BUSINESS_VERIFICATION', type: 'WHATSAPP', limit: '1000', qualityScore: 'HIGH', qualityStatus: 'CONNECTED', instruction: 'The channel is operating correctly and is ready for use.' },
	{ id: 2, name: 'Sandbox Viber', subjectId: 102, subject: 'sandbox_viber', active: true, registrationStatus: 'DONE', type: 'VIBER' },
	{ id: 3, name: 'Sandbox SMS', subjectId: 103, subject: 'sandbox_sms', active: true, registrationStatus: 'DONE', type: 'SMS' },
	{ id: 4, name: 'Inactive WhatsApp', subject: 'sandbox_wa_new', active: false, registrationStatus: 'NEED_VERIFY', type: 'WHATSAPP', instruction: 'Verify the business.' },
];

const subject = (id: number) => {
	const c = CHANNELS.find((ch) => ch.subjectId === id) as IDataObject;
	return { id, name: c.name, subject: c.subject, type: c.type, locked: false };
};
const stage = (order: number, id: number) => ({ order, uuid: `stage-${order}-${id}`, decision: order === 0 ? null : { type: 'TTL', ttl: '00:00:40' }, subject: subject(id) });

export const CASCADES: IDataObject[] = [
	{ id: 201, name: 'WhatsApp only', status: 'ACTIVE', stagesCount: 1, stages: [stage(0, 101)] },
	{ id: 202, name: 'Viber only', status: 'ACTIVE', stagesCount: 1, stages: [stage(0, 102)] },
	{ id: 203, name: 'SMS only', status: 'ACTIVE', stagesCount: 1, stages: [stage(0, 103)] },
	{ id: 204, name: 'WhatsApp then SMS', status: 'ACTIVE', stagesCount: 2, stages: [stage(0, 101), stage(1, 103)] },
	{ id: 205, name: 'WhatsApp disabled', status: 'DISABLED', stagesCount: 1, stages: [stage(0, 101)] },
];

const GROUPS: Array<[RegExp, string]> = [
	[/^cascade\/schedule$/, 'messaging'],
	[/^v1\/out-messages\//, 'messaging'],
	[/^in-message\//, 'read receipts'],
	[/^messages\/history$/, 'message history'],
	[/^message-matchers/, 'templates'],
	[/^callback\//, 'webhooks'],
	[/^channel-profile$/, 'channels'],
	[/^cascade\/get-all$/, 'cascades'],
];

export interface Fault {
	status: number;
	title?: string;
	/** Answer with the fault only after accepting the send (the message went out). */
	afterAccept?: boolean;
	/** No answer at all: the helper throws as n8n's does, with the request on the error. */
	noAnswer?: string;
	headers?: Record<string, string>;
}

export interface Recorded {
	method: string;
	path: string;
	body: IDataObject | undefined;
	qs: IDataObject | undefined;
	apiKey: string | undefined;
}

export interface Answer {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
}

const problem = (status: number, title: string, detail: string): Answer => ({
	statusCode: status,
	body: { title, status, detail },
	headers: { 'content-type': 'application/json' },
});
const ok = (body: unknown): Answer => ({ statusCode: 200, body, headers: { 'content-type': 'application/json' } });

/** An error shaped like the one n8n's request helper throws when nothing answers. */
export function noAnswerError(code: string, options: IHttpRequestOptions): Error {
	const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:9999`), {
		code,
		config: { url: options.url, method: options.method, headers: options.headers, data: JSON.stringify(options.body ?? {}) },
		request: { _header: `POST ${options.url}\r\nX-API-KEY: ${String((options.headers ?? {})['X-API-KEY'])}\r\n` },
	});
	return Object.assign(new Error(cause.message), { cause, options, code });
}

export class FakeEdna {
	readonly requests: Recorded[] = [];
	readonly accepted: IDataObject[] = [];
	readonly usedRequestIds = new Set<string>();
	readonly read = new Set<number>();
	readonly incoming = new Set<number>([101, 102]);
	history: IDataObject[] = [];
	private faults = new Map<string, Fault[]>();

	/** The next requests to `path` answer with these faults, one each. */
	fail(path: string, ...faults: Fault[]): void {
		this.faults.set(path, [...(this.faults.get(path) ?? []), ...faults]);
	}

	/** What n8n's httpRequestWithAuthentication would resolve with (returnFullResponse, ignoreHttpStatusErrors). */
	async request(options: IHttpRequestOptions): Promise<Answer> {
		const url = new URL(options.url);
		const path = url.pathname.replace(/^\/api\//, '');
		const headers = (options.headers ?? {}) as Record<string, string>;
		const apiKey = headers['X-API-KEY'];
		this.requests.push({ method: String(options.method), path, body: options.body as IDataObject, qs: options.qs, apiKey });
		const fault = this.faults.get(path)?.shift();
		if (fault?.noAnswer !== undefined && !fault.afterAccept) throw noAnswerError(fault.noAnswer, options);
		if (fault !== undefined && !fault.afterAccept) return { ...problem(fault.status, fault.title ?? 'system-error', 'Injected fault'), headers: fault.headers ?? {} };
		const answer = this.route(path, String(options.method), options.body as IDataObject, options.qs, apiKey);
		if (fault?.noAnswer !== undefined) throw noAnswerError(fault.noAnswer, options);
		if (fault !== undefined) return problem(fault.status, fault.title ?? 'system-error', 'Injected fault after accepting');
		return answer;
	}

	private route(path: string, method: string, body: IDataObject | undefined, qs: IDataObject | undefined, apiKey?: string): Answer {
		const group = GROUPS.find(([p]) => p.test(path))?.[1];
		if (group === undefined) return problem(404, 'not-found', 'Not found requested URL.');
		if (apiKey !== MASTER_KEY && apiKey !== WA_ONLY_KEY) {
			return problem(401, 'unauthorized', 'Check the spelling and the expiration date of the API key');
		}
		const restricted = apiKey === WA_ONLY_KEY;
		if (restricted && !['messaging', 'templates', 'channels', 'cascades'].includes(group)) {
			return problem(403, 'forbidden', `The API key has no access to ${group}`);
		}
		const channels = restricted ? CHANNELS.filter((c) => c.subjectId === 101) : CHANNELS;
		const cascades = restricted
			? CASCADES.filter((c) => (c.stages as IDataObject[]).every((s) => (s.subject as IDataObject).id === 101))
			: CASCADES;
		switch (path) {
			case 'channel-profile': {
				if (method !== 'GET') return problem(405, 'method-not-allowed', 'Use GET');
				const types = typeof qs?.types === 'string' ? qs.types.split(',') : [];
				return ok(channels.filter((c) => types.length === 0 || types.includes(String(c.type))));
			}
			case 'cascade/get-all':
				return ok(cascades);
			case 'cascade/schedule':
				return this.schedule(body ?? {}, cascades);
			case 'messages/history':
				return this.historyPage(body ?? {});
			case 'in-message/change-status': {
				if (body?.status !== 'READ') return problem(400, 'status-not-valid', 'Only READ');
				if (!this.incoming.has(Number(body.id))) return problem(400, 'in-message-not-found', 'Incoming message not found');
				this.read.add(Number(body.id));
				return ok({ code: 'ok' });
			}
			default:
				return problem(404, 'not-found', 'Not found requested URL.');
		}
	}

	private schedule(body: IDataObject, cascades: IDataObject[]): Answer {
		const requestId = String(body.requestId ?? '');
		if (this.usedRequestIds.has(requestId)) {
			return problem(400, 'requestId-is-not-unique', 'This request ID has already been used. Use a new ID for each request.');
		}
		const cascade = cascades.find((c) => c.id === body.cascadeId);
		if (cascade === undefined) return problem(400, 'cascade-not-found', 'Cascade not found');
		const content = (body.content ?? {}) as IDataObject;
		const keys = { WHATSAPP: 'whatsappContent', VIBER: 'viberContent', SMS: 'smsContent' } as Record<string, string>;
		const wanted = new Set((cascade.stages as IDataObject[]).map((s) => keys[String((s.subject as IDataObject).type)]));
		const given = new Set(Object.keys(content));
		for (const key of given) {
			if (!wanted.has(key)) return problem(400, 'cascade-scheduling-request-not-valid', `the cascade template stage was not found for the content [${key}]`);
		}
		for (const key of wanted) {
			if (!given.has(key)) return problem(400, "request-doesn't-contain-content-for-all-cascade-stages", `No content for ${key}`);
		}
		this.usedRequestIds.add(requestId);
		this.accepted.push(body);
		return ok({ requestId });
	}

	private historyPage(body: IDataObject): Answer {
		const offset = Number(body.offset ?? 0);
		const limit = Number(body.limit ?? 100);
		const address = (body.subscriberFilter as IDataObject | undefined)?.address;
		const matching = this.history.filter(
			(h) =>
				(body.messageId === undefined || h.messageId === body.messageId) &&
				(address === undefined || h.address === address) &&
				(body.subjectId === undefined || h.subjectId === undefined || h.subjectId === body.subjectId),
		);
		return ok({ hasNext: offset + limit < matching.length, content: matching.slice(offset, offset + limit) });
	}
}
