export declare function repoFile(relativePath: string): string;
export declare function repoPathExists(relativePath: string): boolean;
export declare function docFiles(): string[];
export declare function fixtureNames(kind: string): string[];
export declare function fixtureBody(kind: string, name: string): unknown;
export declare function captureN8nLogger(sink: (level: string, message: string, meta?: unknown) => void): void;
