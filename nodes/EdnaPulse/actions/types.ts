import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/** What one node run shares between its items (e.g. which trigger events were already answered). */
export interface BatchState {
	/** How many earlier items of this run carried each eventKey (send ID rule, sendId.ts). */
	eventKeysSeen: Map<string, number>;
	/**
	 * A paced batch (actions/batch.ts) runs items out of order, so it counts before any item runs:
	 * per item, how many earlier items carried its eventKey, and went to its recipient.
	 */
	counted?: { eventKey: Int32Array; recipient: Int32Array };
	/**
	 * A paced batch reads every item's recipient before any item runs (PacedSends.recipient): kept
	 * here, so an item's phone (an expression, as a rule) is not evaluated a second time when it runs.
	 */
	recipients?: ReadonlyArray<string | undefined>;
}

/**
 * An operation that sends to a recipient, and so can be paced and run as a campaign (Send, Send
 * Template). `recipient` reads an item's phone without calling edna (it throws for a bad one);
 * `subjectId` names the channel the item is sent from, for the campaign's channel check.
 */
export interface PacedSends {
	recipient(this: IExecuteFunctions, itemIndex: number): string;
	subjectId(this: IExecuteFunctions, itemIndex: number): Promise<number | null>;
	/** The parameters the channel comes from: without an expression in them, every item has item 0's. */
	channelParameters: string[];
}

/**
 * One operation: its entry in the Operation list, the parameters it shows, and what it does: either
 * for one input item at a time (`execute`: the output items' JSON, which the router pairs with the
 * input item), or once for the node's whole run (`run`: Send and Wait for Response sends one message
 * and puts the execution to wait once).
 */
interface OperationBase {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
}

export interface ItemOperation extends OperationBase {
	execute(this: IExecuteFunctions, itemIndex: number, batch: BatchState): Promise<IDataObject[]>;
	run?: undefined;
	paced?: PacedSends;
}

export interface RunOperation extends OperationBase {
	run(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
	execute?: undefined;
}

export type OperationModule = ItemOperation | RunOperation;

/** One resource: its entry in the Resource list and its operations, by value. */
export interface ResourceModule {
	option: INodePropertyOptions & { value: string };
	operations: Record<string, OperationModule>;
	/** The Operation parameter and every operation's parameters, each shown for this resource only. */
	description: INodeProperties[];
}
