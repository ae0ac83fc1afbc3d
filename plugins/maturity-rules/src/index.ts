/**
 * The rules of the Cloud Native Maturity plugins, free of any Backstage
 * backend framework: what is read from a repository (extraction), the checks
 * that judge it, and the evaluation of one entity. The backend plugin and the
 * `cnmaturity` CLI both run exactly this code.
 *
 * @packageDocumentation
 */
export * from './model';
export {
  extractPrepared,
  extractRepository,
  EXTRACTION_VERSION,
  prepareRepository,
  sharedCiReferences,
} from './signals/extractRepository';
export type {
  ExtractOptions,
  PreparedRepository,
  RepoFile,
} from './signals/extractRepository';
export { isRelevantRepoFile } from './signals/fileFilter';
export { DEFAULT_MAX_FILE_BYTES, oversizedNote } from './signals/readText';
export { defaultToolPatterns, mergeToolPatterns } from './signals/tools';
export type { ToolPatterns, ToolRule, ScannerRule } from './signals/tools';
export { parseYaml } from './signals/yaml';
export type { YamlDoc, ParsedYaml } from './signals/yaml';
export {
  DEFAULT_SHARED_CI_DEPTH,
  findSharedReferences,
  noSharedCi,
  referenceKey,
  targetLabel,
} from './signals/ci/sharedReferences';
export type {
  SharedCiContext,
  SharedCiFile,
  SharedCiLookup,
  SharedFileKind,
  SharedReference,
  SharedTarget,
} from './signals/ci/sharedReferences';
export { builtinChecks, composeChecks } from './checks';
export { customFactSources, readCustomChecks } from './checks/custom';
export { resolveOwnerRef } from './checks/people';
export { refOf } from './entityRefs';
export { evaluateChecks } from './evaluation/evaluateChecks';
export { evaluateEntity, inheritanceChain } from './evaluation/evaluateEntity';
export type { EntityResultRecord, ResultDetails } from './evaluation/result';
export type { CatalogView } from './evaluation/catalogView';
export {
  assertOrgControlChecks,
  readOrgControls,
} from './orgControls/readOrgControls';
export type { OrgControl } from './orgControls/readOrgControls';
export { orgControlsFor } from './orgControls/orgControlsFor';
