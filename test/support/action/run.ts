import type { INodeExecutionData } from 'n8n-workflow';

import { EdnaPulse } from '../../../nodes/EdnaPulse/EdnaPulse.node';
import { retryPolicy } from '../../../nodes/EdnaPulse/transport';
import { executeContext, type ContextOptions } from './context';

retryPolicy.delaysMs = [0, 0];
retryPolicy.maxRetryAfterMs = 0;

export const node = new EdnaPulse();

/** Runs the node's execute() over the items; resolves with its one output and the fake edna. */
export async function runNode(options: ContextOptions) {
	const ctx = executeContext(options);
	const [output] = (await node.execute.call(ctx)) as INodeExecutionData[][];
	return { output, json: output.map((o) => o.json), edna: ctx.edna, reads: ctx.reads, hints: ctx.hints, logged: ctx.logged };
}

/** The error execute() throws. */
export async function runNodeFailing(options: ContextOptions) {
	try {
		await runNode(options);
	} catch (error) {
		return error as Error & { description?: string; context: Record<string, unknown>; httpCode?: string };
	}
	throw new Error('expected execute() to fail');
}
