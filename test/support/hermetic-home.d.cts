export declare const TEST_SHELL: string;
export declare const STARTUP_FILES: readonly string[];
export declare function makeTestHome(dir: string): string;
export declare function hermeticEnv(home: string, shell?: string): Record<string, string | undefined>;
export declare function useHermeticHome(): string;
