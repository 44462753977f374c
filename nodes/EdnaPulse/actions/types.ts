import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** What one node run shares between its items (e.g. which trigger events were already answered). */
export interface BatchState {
	/** How many earlier items of this run carried each eventKey (send ID rule, sendId.ts). */
	eventKeysSeen: Map<string, number>;
}

/**
 * One operation: its entry in the Operation list, the parameters it shows, and what it does for
 * one input item. It returns the output items' JSON; the router pairs them with the input item.
 */
export interface OperationModule {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, batch: BatchState): Promise<IDataObject[]>;
}

/** One resource: its entry in the Resource list and its operations, by value. */
export interface ResourceModule {
	option: INodePropertyOptions & { value: string };
	operations: Record<string, OperationModule>;
	/** The Operation parameter and every operation's parameters, each shown for this resource only. */
	description: INodeProperties[];
}
