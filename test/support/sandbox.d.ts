export interface SandboxProcess {
	apiUrl: string;
	post(endpoint: string, body: unknown): Promise<{ status: number; body: unknown }>;
	stop(): Promise<void>;
}
export declare function startSandbox(): Promise<SandboxProcess>;

export interface SandboxRequest {
	method: 'GET' | 'POST';
	path: string;
	body?: object;
}
export declare function sandboxAnswers(apiKey: string, requests: SandboxRequest[]): Array<{ status: number; body: unknown }>;
