import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import type { OperationModule, ResourceModule } from './types';

/**
 * Builds a resource from its operation modules, so adding an operation is one new file and one
 * line in the resource's list. Operations are listed alphabetically, as n8n's editor expects.
 */
export function defineResource(
	option: ResourceModule['option'],
	list: OperationModule[],
	defaultOperation: string,
): ResourceModule {
	const operations = Object.fromEntries(list.map((op) => [op.option.value, op]));
	const operation: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [option.value] } },
		options: list.map((op) => op.option).sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
	const description = [
		operation,
		...list.flatMap((op) =>
			updateDisplayOptions({ show: { resource: [option.value], operation: [op.option.value] } }, op.description),
		),
	];
	return { option, operations, description };
}
