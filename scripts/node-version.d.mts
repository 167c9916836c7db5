export declare const START_NODE_MINIMUM: string;
export declare function atLeast(version: string, minimum: string): boolean;
export declare function startNodeProblem(version: string): string | null;
