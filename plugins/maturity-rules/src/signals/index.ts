export { extractRepository, EXTRACTION_VERSION } from './extractRepository';
export type { ExtractOptions, RepoFile } from './extractRepository';
export { isRelevantRepoFile } from './fileFilter';
export { defaultToolPatterns, mergeToolPatterns } from './tools';
export type { ToolPatterns, ToolRule, ScannerRule } from './tools';
