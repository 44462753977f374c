import type { IDataObject } from 'n8n-workflow';

import type { ActiveFilters } from './events/filters';
import { eventDefinition, eventKey, filtersFor, recognise } from './events/registry';
import { isObject } from '../shared/json';
import type { EdnaEvent, EdnaEventDefinition, EdnaEventKind, EdnaEventType } from './events/types';

/** Which events the node's parameters keep: all a request of unwanted events needs to read. */
export interface Selection {
	/** One kind, or `anyEvent` for a URL that receives every kind. */
	event: EdnaEventKind | 'anyEvent';
	/** `anyEvent` only: kinds to keep; undefined keeps all, including `unknown`. */
	keepTypes?: ReadonlySet<EdnaEventType>;
	filters: ActiveFilters;
}

/** How kept events become items; read only when some event is kept. */
export interface Shaping {
	output: 'simplified' | 'raw';
	/** Answer 400 instead of emitting an event with validation issues. */
	strict: boolean;
}

/** What the node's parameters ask for, read once per request. */
export type TriggerSettings = Selection & Shaping;

export type SkipReason = 'otherKind' | 'notSelected' | 'filtered';

export interface Skipped {
	index: number;
	type: EdnaEventType;
	reason: SkipReason;
}

export type Decision =
	| { outcome: 'run'; items: IDataObject[]; skipped: Skipped[]; invalid: number }
	| { outcome: 'skip'; skipped: Skipped[] }
	| { outcome: 'reject'; message: string };

/** An event that is of a wanted kind and passed the filters, as what it was recognised. */
export interface KeptEvent {
	index: number;
	type: EdnaEventType;
	event: EdnaEvent;
}

export interface Selected {
	kept: KeptEvent[];
	skipped: Skipped[];
}

const describe = (value: unknown): string => {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
};

/**
 * edna's bodies are a few levels deep. A body nested far deeper is no edna event, and code that walks
 * it recursively (the event key's digest here, n8n's own copying of item data) would run out of stack.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * True when objects and arrays in `value` nest more than `limit` levels. Recursion stops `limit`
 * levels down, so any input depth is safe; nothing is allocated per value, as this walks every
 * body (a 10,000-template list included).
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (limit <= 0) return true;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) if (nestedDeeperThan(value[i], limit - 1)) return true;
		return false;
	}
	const object = value as Record<string, unknown>;
	for (const key in object) {
		if (Object.prototype.hasOwnProperty.call(object, key) && nestedDeeperThan(object[key], limit - 1)) return true;
	}
	return false;
}

const TOO_DEEP = `The body is nested more than ${MAX_BODY_DEPTH} levels deep; no edna event is.`;

/**
 * Splits a parsed body into events: an object is one event, an array is one event per element
 * (template status lists, WhatsApp Flow replies). Anything else is a client error, as text.
 */
export function splitBody(body: unknown): EdnaEvent[] | string {
	if (isObject(body)) {
		return nestedDeeperThan(body, MAX_BODY_DEPTH) ? TOO_DEEP : [body];
	}
	if (!Array.isArray(body)) {
		return `The body must be a JSON object or an array of objects, not ${describe(body)}.`;
	}
	if (body.length === 0) return 'The body is an empty JSON array: there is no event in it.';
	for (let i = 0; i < body.length; i++) {
		if (!isObject(body[i])) {
			return `Element ${i} of the body array is ${describe(body[i])}; every element must be a JSON object.`;
		}
	}
	return nestedDeeperThan(body, MAX_BODY_DEPTH) ? TOO_DEEP : (body as EdnaEvent[]);
}

function simplified(type: EdnaEventType, event: EdnaEvent, issues: string[]): IDataObject {
	const friendly = type === 'unknown' ? {} : eventDefinition(type).simplify(event);
	// eventType and eventKey lead the item in n8n's table view, and edna's own fields never override them.
	const item: IDataObject = { eventType: type, eventKey: '', ...event, ...friendly };
	item.eventType = type;
	item.eventKey = eventKey(type, event);
	if (issues.length > 0) item.validationIssues = issues;
	return item;
}

/**
 * Recognises each event and drops other kinds and filtered events, before any validation work:
 * all an event the user does not want costs. Pure, never throws on any JSON input.
 */
export function select(events: EdnaEvent[], selection: Selection): Selected {
	const kept: KeptEvent[] = [];
	const skipped: Skipped[] = [];
	// Each kind's share of the filters, worked out once per request rather than once per event.
	const ownFilters = new Map<EdnaEventDefinition, ActiveFilters>();
	const filtersOf = (definition: EdnaEventDefinition): ActiveFilters => {
		let own = ownFilters.get(definition);
		if (own === undefined) {
			own = filtersFor(definition, selection.filters);
			ownFilters.set(definition, own);
		}
		return own;
	};

	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		let type = recognise(event);

		if (selection.event === 'anyEvent') {
			if (selection.keepTypes !== undefined && !selection.keepTypes.has(type)) {
				skipped.push({ index, type, reason: 'notSelected' });
				continue;
			}
		} else if (type === 'unknown') {
			// Nothing edna sends is lost: an unrecognised body is treated as the selected kind and
			// validation says what is missing.
			type = selection.event;
		} else if (type !== selection.event) {
			skipped.push({ index, type, reason: 'otherKind' });
			continue;
		}

		if (type !== 'unknown') {
			const definition = eventDefinition(type);
			if (!definition.keep(event, filtersOf(definition))) {
				skipped.push({ index, type, reason: 'filtered' });
				continue;
			}
		}
		kept.push({ index, type, event });
	}
	return { kept, skipped };
}

/** Validates the kept events and shapes the items. Pure, never throws on any JSON input. */
export function shape({ kept, skipped }: Selected, shaping: Shaping): Decision {
	const items: IDataObject[] = [];
	let invalid = 0;
	for (const { index, type, event } of kept) {
		const issues = type === 'unknown' ? [] : eventDefinition(type).validate(event);
		if (issues.length > 0) {
			if (shaping.strict) {
				return {
					outcome: 'reject',
					message: `Event ${index} is not a valid ${type} event: ${issues.join('; ')}`,
				};
			}
			invalid++;
		}
		items.push(shaping.output === 'raw' ? event : simplified(type, event, issues));
	}

	return items.length > 0 ? { outcome: 'run', items, skipped, invalid } : { outcome: 'skip', skipped };
}

/** What one request becomes: `select`, then `shape`. */
export function decide(events: EdnaEvent[], settings: TriggerSettings): Decision {
	return shape(select(events, settings), settings);
}
