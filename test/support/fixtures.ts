import type { IDataObject } from 'n8n-workflow';

import type { EdnaEventKind } from '../../nodes/EdnaPulse/trigger/events/types';
import { fixtureBody, fixtureNames } from './io';

/** Fixture files: `test/fixtures/<kind>/<variant>.json`, each one body exactly as edna sends it. */

export const KINDS: EdnaEventKind[] = [
	'messageStatus',
	'incomingMessage',
	'templateStatus',
	'templateCategory',
	'linkClick',
];

export const variants = (kind: EdnaEventKind): string[] => fixtureNames(kind);

/** A body that is one JSON object. */
export const fixture = (kind: EdnaEventKind, variant: string): IDataObject =>
	fixtureBody(kind, variant) as IDataObject;

/** The events in a body: the array's elements, or the object alone. */
export const fixtureEvents = (kind: EdnaEventKind, variant: string): IDataObject[] => {
	const body = fixtureBody(kind, variant);
	return Array.isArray(body) ? (body as IDataObject[]) : [body as IDataObject];
};

/** Every fixture body with its kind, for table-driven tests. */
export const allFixtures = (): Array<[EdnaEventKind, string, unknown]> =>
	KINDS.flatMap((kind) =>
		variants(kind).map((v): [EdnaEventKind, string, unknown] => [kind, v, fixtureBody(kind, v)]),
	);
