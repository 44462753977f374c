import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { runBatch } from './batch';
import { runsAsTool } from './message/deliver';
import { RESOURCES } from './resources';
import type { BatchState, OperationModule } from './types';

/** The error item an item gets when "Continue (using error output)"/"Continue" is on. */
export function errorItemJson(error: unknown): IDataObject {
	const e = error as { message?: unknown; description?: unknown; httpCode?: unknown; context?: { edna?: unknown } };
	const json: IDataObject = { error: typeof e.message === 'string' ? e.message : 'Unknown error' };
	if (typeof e.description === 'string' && e.description !== '') json.description = e.description;
	if (typeof e.httpCode === 'string' && e.httpCode !== '') json.httpCode = e.httpCode;
	if (typeof e.context?.edna === 'object' && e.context.edna !== null) json.edna = e.context.edna as IDataObject;
	return json;
}

/**
 * An error's message as an AI agent's model reads it. n8n 2.x tells the model only the message of a
 * tool's error, not its description, and the description is what says how to fix the call; so a
 * tool run's error carries both in its message.
 */
export function messageForModel(message: string, description: unknown): string {
	if (typeof description !== 'string' || description.trim() === '' || message.includes(description)) return message;
	return `${message}${/[.!?]$/.test(message) ? '' : '.'} ${description.trim()}`;
}

function operationFor(context: IExecuteFunctions): OperationModule {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const found = RESOURCES.find((r) => r.option.value === resource)?.operations[operation];
	if (found === undefined) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not known`);
	}
	return found;
}

/**
 * Reads resource and operation once, runs the operation for each item, pairs every output item
 * with its input item. With continue-on-fail, a failing item becomes a paired error item and the
 * other items go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = operationFor(this);
	if (operation.run !== undefined) {
		try {
			return await operation.run.call(this);
		} catch (error) {
			if (this.continueOnFail()) return [[{ json: errorItemJson(error), pairedItem: { item: 0 } }]];
			throw nodeError(this, error, 0);
		}
	}
	if (operation.paced !== undefined) {
		let paced: INodeExecutionData[][] | undefined;
		try {
			paced = await runBatch(this, { ...operation, paced: operation.paced }, {
				fail: (error, itemIndex) => failure(this, error, itemIndex),
				errorItem: errorItemJson,
			});
		} catch (error) {
			// An item's failure is already n8n's error (nodeError hands it back unchanged); anything else was
			// refused as a whole before anything was sent (the campaign's channel check).
			const itemFailure = error instanceof NodeApiError || error instanceof NodeOperationError;
			if (!itemFailure && this.continueOnFail()) return [[{ json: errorItemJson(error), pairedItem: { item: 0 } }]];
			throw failure(this, error, 0);
		}
		if (paced !== undefined) return paced;
	}
	const batch: BatchState = { eventKeysSeen: new Map() };
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operation.execute.call(this, itemIndex, batch);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
				continue;
			}
			throw failure(this, error, itemIndex);
		}
	}
	return [output];
}

/** The error an item's failure stops the node with (as a tool: with the fix in its message). */
function failure(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	const failed = nodeError(context, error, itemIndex) as NodeApiError | NodeOperationError;
	if (runsAsTool(context)) failed.message = messageForModel(failed.message, failed.description);
	return failed;
}

/** The error n8n shows for an item's failure: edna's answer stays a NodeApiError, anything else a NodeOperationError. */
export function nodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	// Both constructors hand back an error that is already theirs, unchanged.
	if (error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		return new NodeApiError(context.getNode(), error as unknown as JsonObject);
	}
	if (error instanceof NodeOperationError) error.context.itemIndex ??= itemIndex;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
