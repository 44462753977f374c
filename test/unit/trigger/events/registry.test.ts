import type { IDataObject } from 'n8n-workflow';

import { EVENT_KINDS, eventDefinition, eventKey, recognise } from '../../../../nodes/EdnaPulse/trigger/events/registry';
import { allFixtures, fixture } from '../../../support/fixtures';
import { itemsFor } from '../../../support/pipeline';

describe('recognising events on a URL that receives every kind', () => {
	test.each(allFixtures())('%s/%s: each event in it is recognised as its kind and valid', (kind, _variant, body) => {
		for (const event of [body].flat() as IDataObject[]) {
			expect(recognise(event)).toBe(kind);
			expect(eventDefinition(kind).validate(event)).toEqual([]);
		}
	});

	test.each(allFixtures())('%s/%s is recognised as its own kind in Any Event mode', (kind, _variant, body) => {
		const items = itemsFor(body, 'anyEvent');
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((i) => i.eventType === kind)).toBe(true);
	});

	test.each(allFixtures())('%s/%s starts nothing on a trigger for another kind', (kind, _variant, body) => {
		for (const other of EVENT_KINDS.filter((d) => d.kind !== kind)) {
			expect(itemsFor(body, other.kind)).toEqual([]);
		}
	});

	test('an array mixing kinds is split by kind', () => {
		const body = [fixture('incomingMessage', 'text'), fixture('messageStatus', 'delivered'), { foo: 1 }];
		expect(itemsFor(body, 'anyEvent').map((i) => i.eventType)).toEqual(['incomingMessage', 'messageStatus', 'unknown']);
		expect(itemsFor(body, 'messageStatus').map((i) => i.eventType)).toEqual(['messageStatus', 'messageStatus']);
	});

	test('non-objects are unknown', () => {
		for (const value of [null, 1, 'x', [], [{}], true]) expect(recognise(value)).toBe('unknown');
	});

	test('filters of one kind never remove events of another', () => {
		const body = [fixture('incomingMessage', 'text'), fixture('templateCategory', 'current')];
		const items = itemsFor(body, 'anyEvent', { filters: { statuses: ['FAILED'], subjectIds: '345' } });
		expect(items.map((i) => i.eventType)).toEqual(['incomingMessage', 'templateCategory']);
	});

	test('event keys are stable and ignore key order', () => {
		const a = { b: 1, a: { y: 2, x: [1, { q: 1, p: 2 }] } };
		const b = { a: { x: [1, { p: 2, q: 1 }], y: 2 }, b: 1 };
		expect(eventKey('unknown', a)).toBe(eventKey('unknown', b));
		expect(eventKey('unknown', a)).not.toBe(eventKey('unknown', { ...a, b: 2 }));
	});
});
