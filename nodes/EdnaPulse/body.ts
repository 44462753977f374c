import type { EdnaEvent } from './events/types';
import { splitBody } from './process';

/** The parts of n8n's request the body check needs (n8n has already read and, for JSON, parsed it). */
export interface ReceivedRequest {
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Buffer;
}

export type BodyResult =
	| { events: EdnaEvent[]; error?: undefined }
	| { error: string; status: 400 | 415; events?: undefined };

const JSON_TYPE = /^(application\/json|text\/json|application\/[\w.+-]+\+json)$/;

const mediaType = (value: string | string[] | undefined): string =>
	(Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).split(';')[0].trim().toLowerCase();

/**
 * edna sends JSON (wire-format doc, section 1.1). n8n parses `application/json` itself (invalid JSON
 * there is answered 422 by n8n before the node runs). A JSON body sent as text/plain, another +json
 * type or without a content type is parsed here, so a delivery is not lost over a header.
 */
export function readBody(req: ReceivedRequest): BodyResult {
	const type = mediaType(req.headers['content-type']);
	if (type !== '' && type !== 'text/plain' && !JSON_TYPE.test(type)) {
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
