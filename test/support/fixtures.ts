import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import type { EdnaEventKind } from '../../nodes/EdnaPulse/events/types';

export const FIXTURES = join(__dirname, '..', 'fixtures');

/** One edna body exactly as edna sends it: `test/fixtures/<kind>/<variant>.json`. */
export function fixture(kind: EdnaEventKind, variant: string): any {
	return JSON.parse(readFileSync(join(FIXTURES, kind, `${variant}.json`), 'utf8'));
}

export function variants(kind: EdnaEventKind): string[] {
	return readdirSync(join(FIXTURES, kind))
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.replace(/\.json$/, ''))
		.sort();
}

export const KINDS: EdnaEventKind[] = [
	'messageStatus',
	'incomingMessage',
	'templateStatus',
	'templateCategory',
	'linkClick',
];

/** Every fixture body with its kind, for table-driven tests. */
export const allFixtures = (): Array<[EdnaEventKind, string, any]> =>
	KINDS.flatMap((kind) => variants(kind).map((v): [EdnaEventKind, string, any] => [kind, v, fixture(kind, v)]));
