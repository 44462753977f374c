export interface SandboxProcess {
	apiUrl: string;
	post(endpoint: string, body: unknown): Promise<{ status: number; body: unknown }>;
	stop(): Promise<void>;
}
export declare function startSandbox(): Promise<SandboxProcess>;
