import type { EdnaEvent } from './events/types';
import { splitBody } from './pipeline';

/** The parts of n8n's request the body check needs. */
export interface ReceivedRequest {
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Buffer;
	/** n8n's reader for a body it left unread, with its size limit and gzip/deflate handling. */
	readRawBody?: () => Promise<void>;
}

export type BodyResult =
	| { events: EdnaEvent[]; error?: undefined }
	| { error: string; status: 400 | 413 | 415; events?: undefined };

const JSON_TYPE = /^(application\/json|text\/json|application\/[\w.+-]+\+json)$/;

const mediaType = (value: string | string[] | undefined): string =>
	(Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).split(';')[0].trim().toLowerCase();

const unsupported = (type: string): boolean => type !== '' && type !== 'text/plain' && !JSON_TYPE.test(type);

/**
 * The body as events, reading it first if n8n has not. n8n reads every body before a version-1 node
 * runs; from version 1.1 on it leaves unread a body it cannot parse itself (no content type,
 * `text/json`, `+json` types), and it is read here, after the content-type check, so a refused
 * type is never read.
 */
export async function receiveBody(req: ReceivedRequest): Promise<BodyResult> {
	const type = mediaType(req.headers['content-type']);
	if (!unsupported(type) && req.rawBody === undefined && req.readRawBody !== undefined) {
		try {
			await req.readRawBody();
		} catch (error) {
			return (error as { status?: unknown }).status === 413
				? { status: 413, error: 'The body is larger than this n8n accepts.' }
				: { status: 400, error: 'The body could not be read.' };
		}
	}
	return readBody(req);
}

/**
 * edna sends JSON (docs/edna-api.md §W1.1). n8n parses `application/json` itself (invalid JSON
 * there is answered 422 by n8n before the node runs). A JSON body sent as text/plain, another +json
 * type or without a content type is parsed here, so a delivery is not lost over a header.
 */
export function readBody(req: ReceivedRequest): BodyResult {
	const type = mediaType(req.headers['content-type']);
	if (unsupported(type)) {
		return { status: 415, error: `Unsupported content type "${type}": send the events as application/json.` };
	}
	if (req.rawBody !== undefined && req.rawBody.length === 0) {
		return { status: 400, error: 'The body is empty: send an edna event as JSON.' };
	}

	let value: unknown = req.body;
	// n8n parses only an exact `application/json` (so not `application/json ; charset=utf-8`); a body it
	// left unparsed is read here.
	if (type !== 'application/json' || value === undefined) {
		const text = req.rawBody !== undefined ? req.rawBody.toString('utf8') : req.body;
		if (typeof text !== 'string') {
			value = text;
		} else {
			try {
				value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
			} catch {
				return { status: 400, error: 'The body is not valid JSON.' };
			}
		}
	}

	const events = splitBody(value);
	return typeof events === 'string' ? { status: 400, error: events } : { events };
}
