import type { IDataObject } from 'n8n-workflow';

import { parseFilters } from '../../nodes/EdnaPulse/trigger/events/filters';
import type { EdnaEventKind } from '../../nodes/EdnaPulse/trigger/events/types';
import { decide, splitBody, type TriggerSettings } from '../../nodes/EdnaPulse/trigger/pipeline';

/** Runs a parsed body through the pure pipeline, as the node does after authentication. */
export function itemsFor(
	body: unknown,
	event: EdnaEventKind | 'anyEvent',
	extra: Omit<Partial<TriggerSettings>, 'filters'> & { filters?: IDataObject } = {},
): IDataObject[] {
	const events = splitBody(body);
	if (typeof events === 'string') throw new Error(events);
	const decision = decide(events, {
		event,
		output: 'simplified',
		strict: false,
		...extra,
		filters: parseFilters(extra.filters),
	});
	if (decision.outcome === 'reject') throw new Error(decision.message);
	return decision.outcome === 'run' ? decision.items : [];
}
