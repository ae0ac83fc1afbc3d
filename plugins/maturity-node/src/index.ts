/**
 * Extension points and interfaces for backend modules that extend the
 * Cloud Native Maturity backend.
 *
 * @packageDocumentation
 */
export * from './extensions';
// The types a check reads and returns live with the rules; they are
// re-exported here so a module needs only this package.
export type {
  CiDeploy,
  CiPipeline,
  CiSystem,
  CiTriggers,
  ContainerFacts,
  DockerfileFacts,
  FileLocation,
  FoundScanner,
  FoundTool,
  KubernetesObjectFacts,
  MaturityCheck,
  MaturityCheckOutcome,
  MaturityFact,
  MaturitySignals,
  MaturityToolPolicy,
  RepoExtraction,
  RepositorySignal,
  ScannerKind,
  SharedCiUse,
  WorkloadFacts,
} from '@cnmaturity/plugin-maturity-rules';
