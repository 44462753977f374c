import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getCascades, type EdnaCascade } from '../../transport/lists';
import { activeOnlyFilter, filtersCollection, resultLimit, returnAllOrLimit } from '../fields';
import { stageSummary, stagesOf } from './cascades';
import type { OperationModule } from '../types';

/** Cascade → Get Many: `POST cascade/get-all` (docs/edna-api.md §3.2). */

export const description: INodeProperties[] = [
	...returnAllOrLimit(),
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
	filtersCollection([activeOnlyFilter('cascades')]),
];

/** A cascade in a few fields: its ID, name, status and the channels of its stages, in order. */
export function simplifyCascade(cascade: EdnaCascade): IDataObject {
	const stages = stagesOf(cascade);
	return {
		id: cascade.id,
		name: cascade.name ?? null,
		status: cascade.status ?? null,
		stagesCount: stages.length,
		channels: stageSummary(cascade),
		stages: stages.map((s) => ({
			order: s.order ?? null,
			channelType: s.subject?.type ?? null,
			subject: s.subject?.subject ?? null,
			subjectId: s.subject?.id ?? null,
			locked: s.subject?.locked ?? false,
			uuid: s.uuid ?? null,
		})),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { activeOnly?: boolean };
	const cascades = (await getCascades(this)).filter(
		(c) => filters.activeOnly !== true || String(c.status ?? '').toUpperCase() === 'ACTIVE',
	);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return cascades.slice(0, resultLimit(this, itemIndex)).map((c) => (simplify ? simplifyCascade(c) : (c as IDataObject)));
}

export const getMany: OperationModule = {
	option: {
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many cascades',
		description: 'List the cascades (the channel sequences a message is sent through)',
	},
	description,
	execute,
};
