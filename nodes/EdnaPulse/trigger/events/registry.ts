import { createHash } from 'crypto';

import type { ActiveFilters } from './filters';
import { incomingMessage } from './incomingMessage';
import { linkClick } from './linkClick';
import { messageStatus } from './messageStatus';
import { isObject } from '../../shared/json';
import { templateCategory } from './templateCategory';
import { templateStatus } from './templateStatus';
import type { EdnaEvent, EdnaEventDefinition, EdnaEventKind, EdnaEventType } from './types';

/** The five kinds in the order the node shows them. Adding a kind: one module, one line here. */
export const EVENT_KINDS: readonly EdnaEventDefinition[] = [
	messageStatus,
	incomingMessage,
	templateStatus,
	templateCategory,
	linkClick,
];

/**
 * Recognition order (docs/edna-api.md §W10): the explicit `type` envelopes first, then shapes
 * from most to least specific. A template item also has `status`, so templates come before statuses.
 */
const RECOGNITION_ORDER: readonly EdnaEventDefinition[] = [
	templateCategory,
	linkClick,
	incomingMessage,
	templateStatus,
	messageStatus,
];

export const eventDefinition = (kind: EdnaEventKind): EdnaEventDefinition =>
	EVENT_KINDS.find((d) => d.kind === kind) as EdnaEventDefinition;

export const isEventKind = (value: unknown): value is EdnaEventKind =>
	EVENT_KINDS.some((d) => d.kind === value);

/** Which kind an event is. Never throws, whatever the value. */
export function recognise(event: unknown): EdnaEventType {
	if (!isObject(event)) return 'unknown';
	for (const definition of RECOGNITION_ORDER) {
		if (definition.recognise(event)) return definition.kind;
	}
	return 'unknown';
}

/** The user's filters restricted to those a kind declares, so a filter never touches another kind. */
export function filtersFor(definition: EdnaEventDefinition, filters: ActiveFilters): ActiveFilters {
	const own: ActiveFilters = {};
	for (const name of definition.filters) {
		if (name in filters) (own as Record<string, unknown>)[name] = filters[name as keyof ActiveFilters];
	}
	return own;
}

/** JSON with sorted keys, so the same event always gives the same digest. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isObject(value)) {
		const keys = Object.keys(value).sort();
		return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

const digest = (event: EdnaEvent): string =>
	createHash('sha256').update(canonicalJson(event)).digest('hex').slice(0, 32);

/**
 * A stable string naming one edna event across edna's retries (a retry repeats the same body):
 * `<kind>:<identity fields>`, or `<kind>:sha256:<digest of the whole event>` when the identifying
 * fields are missing (and always for `unknown`).
 */
export function eventKey(type: EdnaEventType, event: EdnaEvent): string {
	const identity = type === 'unknown' ? undefined : eventDefinition(type).identity(event);
	return identity === undefined ? `${type}:sha256:${digest(event)}` : `${type}:${identity}`;
}
