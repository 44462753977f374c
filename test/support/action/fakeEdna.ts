/**
 * A small in-test edna Pulse, answering as edna's docs and the sandbox's choices (sandbox/README.md) say: the
 * sandbox's own account (sandbox/seed.json: channels, cascades, templates, API keys), API keys with method
 * groups, problem-details errors, and faults on demand. The account is read from the seed, not copied, so the
 * two edna fakes of the project cannot drift apart.
 */
import { sleep, type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

import seed from '../../../sandbox/seed.json';

interface SeedKey {
	key: string;
	type: string;
	channels?: number[];
	groups?: string[];
	validUntil?: string | null;
}
interface SeedCascade {
	id: number;
	name: string;
	status: string;
	stages: number[];
	ttl?: string;
}

const keys = seed.apiKeys as SeedKey[];
const keyOfType = (type: string, restricted: boolean) =>
	keys.find((k) => k.type === type && (k.validUntil ?? null) === null && restricted === (k.channels !== undefined))?.key as string;

export const MASTER_KEY = keyOfType('master', false);
/** The seed's additional key that may use only the WhatsApp channel. */
export const WA_ONLY_KEY = keyOfType('additional', true);
export const WEBHOOK_KEY = seed.webhookKey;
export const BASE_URL = 'http://127.0.0.1:9999/api/';

/** `channel-profile`'s list: the seed's channels as they are. */
export const CHANNELS: IDataObject[] = seed.channels as IDataObject[];

/** The seed's templates (`message-matchers/get-by-request` lists them per channel). */
export const TEMPLATES: IDataObject[] = seed.templates as unknown as IDataObject[];

const channelOf = (subjectId: number) => CHANNELS.find((ch) => ch.subjectId === subjectId) as IDataObject;

/**
 * A seed cascade as `cascade/get-all` lists it, the way the sandbox renders it
 * (sandbox/lib/api/cascades.mjs): the first stage in `stages`, each fallback stage nested in the
 * `stages` of the stage before it, the last stage's `stages` empty.
 */
function cascadeView(cascade: SeedCascade): IDataObject {
	const stage = (i: number): IDataObject => {
		const subjectId = cascade.stages[i];
		const ch = channelOf(subjectId);
		const last = i === cascade.stages.length - 1;
		return {
			order: i + 1,
			uuid: `${cascade.id}-${String(i + 1).padStart(3, '0')}-${subjectId}`,
			decision: !last && cascade.ttl ? { type: 'TTL', ttl: cascade.ttl } : null,
			subject: {
				id: ch.subjectId,
				name: ch.name,
				subject: ch.subject,
				description: null,
				type: ch.type,
				tenantId: seed.account.tenantId,
				testing: false,
				locked: ch.active !== true,
				approveStatus: ch.active === true ? 'APPROVED' : 'NOT_APPROVED',
			},
			stages: last ? [] : [stage(i + 1)],
		};
	};
	return {
		id: cascade.id,
		name: cascade.name,
		status: cascade.status,
		stagesCount: String(cascade.stages.length),
		stages: cascade.stages.length > 0 ? [stage(0)] : [],
	};
}

/** Every stage of a listed cascade, first to last (the nesting walked). */
function flatStages(cascade: IDataObject): IDataObject[] {
	const out: IDataObject[] = [];
	let level = cascade.stages as IDataObject[] | undefined;
	while (Array.isArray(level) && level.length > 0) {
		out.push(level[0]);
		level = level[0].stages as IDataObject[] | undefined;
	}
	return out;
}

export const CASCADES: IDataObject[] = (seed.cascades as SeedCascade[]).map(cascadeView);

const GROUPS: Array<[RegExp, string]> = [
	[/^cascade\/schedule$/, 'messaging'],
	[/^v1\/out-messages\//, 'messaging'],
	[/^in-message\//, 'read receipts'],
	[/^messages\/history$/, 'message history'],
	[/^message-matchers\/get-by-request$/, 'templates'],
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
	/** Bodies of the v1 template sends edna accepted. */
	readonly templateSends: IDataObject[] = [];
	readonly usedRequestIds = new Set<string>();
	readonly read = new Set<number>();
	readonly incoming = new Set<number>([101, 102]);
	history: IDataObject[] = [];
	/** Accepted template sends also go into `history` (as edna's history shows them: address, comment, subjectId). */
	recordSendsInHistory = false;
	/** Whether a v1 messageId used before is refused (edna does not document it). */
	v1MessageIdUnique = true;
	/** Each request is answered this many ms later. */
	delayMs = 0;
	/** Requests being answered now, and the most at once. */
	inFlight = 0;
	peakInFlight = 0;
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
		if (this.delayMs > 0) {
			this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
			await sleep(this.delayMs);
			this.inFlight--;
		}
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
		const key = keys.find((k) => k.key === apiKey);
		if (key === undefined || (typeof key.validUntil === 'string' && Date.parse(key.validUntil) <= Date.now())) {
			return problem(401, 'unauthorized', 'Check the spelling and the expiration date of the API key');
		}
		const restricted = key.type !== 'master';
		if (restricted && !(key.groups ?? []).includes(group)) {
			return problem(403, 'forbidden', `The API key has no access to ${group}`);
		}
		const mayUse = (subjectId: unknown) => !restricted || (key.channels ?? []).includes(Number(subjectId));
		const channels = CHANNELS.filter((c) => mayUse(c.subjectId));
		const cascades = CASCADES.filter((c) => flatStages(c).every((s) => mayUse((s.subject as IDataObject).id)));
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
			case 'v1/out-messages/whatsapp/template':
			case 'v1/out-messages/viber/template':
				return this.sendTemplate(body ?? {});
			case 'message-matchers/get-by-request': {
				const subjectId = Number(body?.subjectId);
				if (!mayUse(subjectId)) return problem(403, 'forbidden', `The API key has no access to channel ${subjectId}`);
				return ok(TEMPLATES.filter((t) => (t.subjectIds as number[]).includes(subjectId)));
			}
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
		const wanted = new Set(flatStages(cascade).map((s) => keys[String((s.subject as IDataObject).type)]));
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

	private sendTemplate(body: IDataObject): Answer {
		const messageId = String(body.messageId ?? '');
		if (this.v1MessageIdUnique && this.templateSends.some((b) => String(b.messageId) === messageId)) {
			return problem(400, 'messageId-is-not-unique', `Duplicate messageId ${messageId}: use a new messageId for each message.`);
		}
		this.templateSends.push(body);
		if (this.recordSendsInHistory) {
			const channel = CHANNELS.find((c) => c.subject === body.sender);
			this.history.push({
				messageId: 9_000 + this.templateSends.length,
				direction: 'OUT',
				address: body.phone,
				subjectId: channel?.subjectId,
				comment: (body.options as IDataObject | undefined)?.comment ?? null,
			});
		}
		return ok({ messageId, outMessageId: 7_000 + this.templateSends.length });
	}

	private historyPage(body: IDataObject): Answer {
		const offset = Number(body.offset ?? 0);
		const limit = Number(body.limit ?? 100);
		const address = (body.subscriberFilter as IDataObject | undefined)?.address;
		const matching = this.history.filter(
			(h) =>
				(body.messageId === undefined || h.messageId === body.messageId) &&
				(address === undefined || h.address === address) &&
				(body.direction === undefined || h.direction === body.direction) &&
				(body.subjectId === undefined || h.subjectId === undefined || h.subjectId === body.subjectId),
		);
		return ok({ hasNext: offset + limit < matching.length, content: matching.slice(offset, offset + limit) });
	}
}
