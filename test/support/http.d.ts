import type { IHttpRequestOptions } from 'n8n-workflow';

export interface Target {
	origin: string;
	requests: string[];
	close(): Promise<void>;
}
export declare function startTarget(
	routes: Record<string, number | { status: number; location?: string }>,
): Promise<Target>;
export declare function n8nHttpRequest(options: IHttpRequestOptions): Promise<unknown>;
