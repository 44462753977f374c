/**
 * Properties of the pure modules over generated input (fast-check): any JSON value, and edna
 * fixtures with fields replaced by values of any type or removed.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import {
	CHANNEL_TYPES,
	CONTENT_TYPES,
	MESSAGE_STATUSES,
	TEMPLATE_CATEGORIES,
	TEMPLATE_STATUSES,
	parseFilters,
	type FilterName,
} from '../../../nodes/EdnaPulse/trigger/events/filters';
import { eventKey, recognise } from '../../../nodes/EdnaPulse/trigger/events/registry';
import type { EdnaEvent, EdnaEventType } from '../../../nodes/EdnaPulse/trigger/events/types';
import { decide, splitBody, type TriggerSettings } from '../../../nodes/EdnaPulse/trigger/pipeline';
import { KINDS, fixtureEvents, variants } from '../../support/fixtures';
import { callWebhook, keyHeader } from '../../support/webhook';

const TYPES: EdnaEventType[] = [...KINDS, 'unknown'];
const RUNS = { numRuns: 300 };

/** Every event of every fixture file. */
const FIXTURE_EVENTS: IDataObject[] = KINDS.flatMap((kind) => variants(kind).flatMap((v) => fixtureEvents(kind, v)));

/** Dot paths to every value inside an object, so a mutation can reach nested fields. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
	if (typeof value !== 'object' || value === null) return [];
	return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

function mutate(event: IDataObject, changes: Array<[number, unknown, boolean]>): IDataObject {
	const copy = structuredClone(event);
	for (const [index, value, remove] of changes) {
		const paths = pathsOf(copy);
		if (paths.length === 0) break;
		const path = paths[index % paths.length];
		let parent = copy as Record<string, unknown>;
		for (const part of path.slice(0, -1)) parent = parent[part] as Record<string, unknown>;
		const last = path[path.length - 1];
		if (remove) delete parent[last];
		else parent[last] = value;
	}
	return copy;
}

const anyJson = fc.jsonValue({ maxDepth: 5 });

/** A fixture event with up to six fields replaced by any JSON value or removed. */
const ednaLike: fc.Arbitrary<IDataObject> = fc
	.tuple(
		fc.constantFrom(...FIXTURE_EVENTS),
		fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean()), { maxLength: 6 }),
	)
	.map(([event, changes]) => mutate(event, changes));

const anyObject: fc.Arbitrary<IDataObject> = fc.oneof(
	ednaLike,
	fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })) as fc.Arbitrary<IDataObject>,
);

const values = (options: Array<{ value: string | number | boolean }>): string[] => options.map((o) => String(o.value));
const LISTS: Partial<Record<FilterName, string[]>> = {
	statuses: values(MESSAGE_STATUSES),
	contentTypes: values(CONTENT_TYPES),
	templateStatuses: values(TEMPLATE_STATUSES),
	templateCategories: values(TEMPLATE_CATEGORIES),
	channelTypes: values(CHANNEL_TYPES),
};
const TEXT_FILTERS: FilterName[] = [
	'otherStatuses',
	'otherContentTypes',
	'otherTemplateStatuses',
	'otherTemplateCategories',
	'subjects',
	'subjectIds',
];
const commaList = fc
	.array(fc.constantFrom('test_subject', 'shop_WA', '345', '2', 'delivered', ' x ', ''), { maxLength: 3 })
	.map((parts) => parts.join(','));

/** Whatever a user can put in the node's filters, parsed as the node parses them. */
const anyFilters = fc
	.record(
		{
			...Object.fromEntries(
				Object.entries(LISTS).map(([name, list]) => [name, fc.subarray([...(list ?? []), 'NOT_A_VALUE'])]),
			),
			...Object.fromEntries(TEXT_FILTERS.map((name) => [name, commaList])),
		} as Record<string, fc.Arbitrary<unknown>>,
		{ requiredKeys: [] },
	)
	.map((raw) => parseFilters(raw as IDataObject));

const anySettings: fc.Arbitrary<TriggerSettings> = fc.record({
	event: fc.constantFrom(...KINDS, 'anyEvent' as const),
	keepTypes: fc.option(fc.subarray(TYPES).map((t) => new Set(t)), { nil: undefined }),
	output: fc.constantFrom('simplified' as const, 'raw' as const),
	filters: anyFilters,
	strict: fc.boolean(),
});

const NO_FILTERS: TriggerSettings = { event: 'anyEvent', output: 'simplified', filters: {}, strict: false };

describe('recognition and the whole decision never throw', () => {
	test('recognise() names a known type for any JSON value', () => {
		fc.assert(
			fc.property(fc.oneof(anyJson, ednaLike), (value) => {
				expect(TYPES).toContain(recognise(value));
			}),
			RUNS,
		);
	});

	test('any JSON body gets events or a reason, and any events get a decision, whatever the settings', () => {
		fc.assert(
			fc.property(fc.oneof(anyJson, ednaLike, fc.array(ednaLike, { maxLength: 4 })), anySettings, (body, settings) => {
				const events = splitBody(body);
				if (typeof events === 'string') {
					expect(events.length).toBeGreaterThan(0);
					return;
				}
				const decision = decide(events, settings);
				expect(['run', 'skip', 'reject']).toContain(decision.outcome);
				if (!settings.strict) expect(decision.outcome).not.toBe('reject');
			}),
			RUNS,
		);
	});
});

describe('raw output', () => {
	const RAW: TriggerSettings = { ...NO_FILTERS, output: 'raw' };

	test('is each event exactly as it arrived, in order', () => {
		fc.assert(
			fc.property(fc.array(anyObject, { minLength: 1, maxLength: 4 }), (events) => {
				const sent = JSON.stringify(events);
				const decision = decide(events, RAW);
				expect(decision.outcome).toBe('run');
				if (decision.outcome !== 'run') return;
				expect(JSON.stringify(decision.items)).toBe(sent);
			}),
			RUNS,
		);
	});

	test('survives the trip through webhook() and n8n’s item wrapping unchanged', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(ednaLike, { minLength: 1, maxLength: 3 }), async (events) => {
				const body = JSON.parse(JSON.stringify(events)) as IDataObject[];
				const call = await callWebhook({
					parameters: { event: 'anyEvent', output: 'raw' },
					headers: keyHeader(),
					json: body,
				});
				expect(call.items).toEqual(JSON.parse(JSON.stringify(events)));
			}),
			{ numRuns: 60 },
		);
	});
});

describe('simplified output', () => {
	test('every item has an eventType and an eventKey of that type, whatever the event and settings', () => {
		fc.assert(
			fc.property(fc.array(anyObject, { minLength: 1, maxLength: 4 }), anySettings, (events, settings) => {
				const decision = decide(events, { ...settings, output: 'simplified', strict: false });
				if (decision.outcome !== 'run') return;
				for (const item of decision.items) {
					expect(TYPES).toContain(item.eventType);
					expect(typeof item.eventKey).toBe('string');
					expect(item.eventKey as string).toMatch(new RegExp(`^${item.eventType as string}:.+`));
				}
			}),
			RUNS,
		);
	});
});

describe('filters', () => {
	test('only ever remove items: with filters, the items are a subsequence of those without', () => {
		fc.assert(
			fc.property(fc.array(anyObject, { minLength: 1, maxLength: 5 }), anySettings, (events, settings) => {
				const open = decide(events, { ...settings, filters: {}, strict: false });
				const filtered = decide(events, { ...settings, strict: false });
				const keys = (d: ReturnType<typeof decide>) =>
					d.outcome === 'run' ? d.items.map((i) => JSON.stringify(i)) : [];
				const all = keys(open);
				let at = 0;
				for (const item of keys(filtered)) {
					at = all.indexOf(item, at);
					expect(at).toBeGreaterThanOrEqual(0);
					at++;
				}
			}),
			RUNS,
		);
	});
});

/** Key order shuffled at every level: the same event as far as edna is concerned. */
function reordered(value: unknown, seed: number): unknown {
	if (Array.isArray(value)) return value.map((v) => reordered(v, seed));
	if (typeof value !== 'object' || value === null) return value;
	const entries = Object.entries(value);
	const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]);
	return Object.fromEntries(rotated.map(([k, v]) => [k, reordered(v, seed + 1)]));
}

const keyOf = (event: EdnaEvent): string => eventKey(recognise(event), event);

/** JSON with keys sorted at every level: equal for events that differ only in key order. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (typeof value !== 'object' || value === null) return JSON.stringify(value);
	const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

describe('eventKey', () => {
	test('is the same for the same event, however its keys are ordered', () => {
		fc.assert(
			fc.property(anyObject, fc.nat(7), (event, seed) => {
				expect(keyOf(reordered(event, seed) as EdnaEvent)).toBe(keyOf(structuredClone(event)));
			}),
			RUNS,
		);
	});

	// Identity fields drawn from characters that could blur the boundaries between them.
	const text = fc.string({ unit: fc.constantFrom(':', '\\', 'a', '1', ' '), maxLength: 5 });
	const id = fc.integer({ min: 0, max: 50 });
	const KEYED: Record<string, fc.Arbitrary<EdnaEvent>> = {
		messageStatus: fc
			.tuple(text, id, text, text)
			.map(([requestId, messageId, status, statusAt]) => ({ requestId, messageId, status, statusAt, subject: 's', subjectId: 1 })),
		incomingMessage: fc
			.tuple(text, text)
			.map(([subjectId, messageId]) => ({ id: messageId, subjectId, messageContent: { type: 'TEXT' } })),
		templateStatus: fc
			.tuple(text, text, text)
			.map(([templateId, status, updatedAt]) => ({ id: templateId, status, updatedAt, channelType: 'WHATSAPP', locked: false })),
		templateCategory: fc
			.tuple(text, text, text)
			.map(([templateId, category, timestamp]) => ({
				payload: { id: templateId, category },
				type: 'message_matcher.category_changed',
				timestamp,
			})),
		linkClick: fc
			.tuple(id, text, text)
			.map(([outMessageId, shortLink, timestamp]) => ({ payload: { outMessageId, shortLink }, type: 'short_link_visited', timestamp })),
		unknown: fc.dictionary(text, fc.oneof(text, id), { maxKeys: 3 }),
	};

	test.each(Object.keys(KEYED))('differs between different %s events', (kind) => {
		fc.assert(
			fc.property(fc.uniqueArray(KEYED[kind], { minLength: 2, maxLength: 8, selector: canonical }), (events) => {
				for (const event of events) expect(recognise(event)).toBe(kind);
				expect(new Set(events.map(keyOf)).size).toBe(events.length);
			}),
			RUNS,
		);
	});
});
