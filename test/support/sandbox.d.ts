export interface SandboxRequest {
	method: 'GET' | 'POST';
	path: string;
	body?: object;
}
export declare function sandboxAnswers(apiKey: string, requests: SandboxRequest[]): Array<{ status: number; body: unknown }>;
