// Types for scripts/extract-openapi.mjs (plain Node, so `npm run spec:extract` needs no TypeScript loader).
export declare const DEFAULT_SOURCE: string;
export declare const EXTRACT_PATH: string;
export declare const NOTICE_PATH: string;
export declare const OPERATION_PREFIX: string;
export declare const EXTRA_OPERATIONS: ReadonlyArray<readonly [path: string, method: string]>;
export declare const EXTRA_SCHEMAS: readonly string[];
/** The whole spec (parsed JSON) → the extract, keys sorted. */
export declare function extractSpec(spec: unknown): Record<string, any>;
/** The extract file's text: stable 2-space JSON with a final newline. */
export declare function extractText(spec: unknown): string;
export declare function noticeText(spec: unknown): string;
