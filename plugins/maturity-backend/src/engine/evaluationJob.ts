import { Entity } from '@backstage/catalog-model';
import {
  CheckResult,
  MaturityAttestation,
} from '@cnmaturity/plugin-maturity-common';
import {
  evaluateEntity,
  EntityResultRecord,
  MaturityFact,
  RepoExtraction,
  RepositorySignal,
} from '@cnmaturity/plugin-maturity-rules';
import {
  PackDictionary,
  packedSourceOf,
  unpackJson,
} from '../database/packedJson';
import { EvaluationSetup } from './evaluationSetup';

/** A repository signal whose extraction is still packed (see DatabaseRepoCache). */
interface PackedRepositorySignal {
  status: 'ok';
  url: string;
  etag?: string;
  stale?: { reason: string; since: string };
  packedExtraction: string;
}

/**
 * One entity's evaluation as plain data, for a worker thread: the entity,
 * the related entities it reads, and its inputs, with a cached extraction
 * still packed so that the worker, not the event loop, unpacks it.
 */
export interface EvaluationJob {
  entity: Entity;
  related: Array<[string, Entity]>;
  repository: RepositorySignal | PackedRepositorySignal;
  facts: readonly MaturityFact[];
  attestations: readonly MaturityAttestation[];
  /** ISO time of the evaluation. */
  now: string;
  /** The rubric the job was made for; a worker with another refuses it. */
  rubricHash: string;
  /** Results of the checks only the event loop can run (see evaluationSetup). */
  precomputed?: CheckResult[];
}

/** A job and the deflate dictionary its packed extraction needs, if any. */
export interface PreparedEvaluation {
  job: EvaluationJob;
  dictionary?: PackDictionary;
}

/** Makes the job of one entity; the event loop's share of its evaluation. */
export function evaluationJob(options: {
  entity: Entity;
  related: ReadonlyArray<[string, Entity | undefined]>;
  repository: RepositorySignal;
  facts: readonly MaturityFact[];
  attestations: readonly MaturityAttestation[];
  now: Date;
  rubricHash: string;
  precomputed?: CheckResult[];
}): PreparedEvaluation {
  const { repository } = options;
  const packed =
    repository.status === 'ok' ? packedSourceOf(repository) : undefined;
  return {
    job: {
      entity: options.entity,
      related: options.related.filter((r): r is [string, Entity] => !!r[1]),
      repository:
        repository.status === 'ok' && packed
          ? {
              status: 'ok',
              url: repository.url,
              ...(repository.etag ? { etag: repository.etag } : {}),
              ...(repository.stale ? { stale: repository.stale } : {}),
              packedExtraction: packed.text,
            }
          : repository,
      facts: options.facts,
      attestations: options.attestations,
      now: options.now.toISOString(),
      rubricHash: options.rubricHash,
      ...(options.precomputed ? { precomputed: options.precomputed } : {}),
    },
    ...(packed?.dictionary ? { dictionary: packed.dictionary } : {}),
  };
}

/** Evaluates a job as the event loop would; the worker's side. */
export function runEvaluationJob(
  setup: EvaluationSetup,
  job: EvaluationJob,
  dictionary: (id: string) => Uint8Array | undefined,
): EntityResultRecord {
  const { repository: sent } = job;
  const repository: RepositorySignal =
    'packedExtraction' in sent
      ? {
          status: 'ok',
          url: sent.url,
          ...(sent.etag ? { etag: sent.etag } : {}),
          ...(sent.stale ? { stale: sent.stale } : {}),
          extraction: unpackJson<RepoExtraction>(sent.packedExtraction, id => {
            const bytes = dictionary(id);
            return (
              bytes &&
              Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
            );
          }),
        }
      : sent;
  return evaluateEntity(
    setup.checks,
    {
      entity: job.entity,
      related: new Map(job.related),
      repository,
      facts: job.facts,
      tools: setup.tools,
      now: new Date(job.now),
    },
    {
      attestationMaxAgeDays: setup.attestationMaxAgeDays,
      attestations: job.attestations,
      orgControls: setup.orgControls,
      orgControlReviewMaxAgeDays: setup.orgControlReviewMaxAgeDays,
      ...(job.precomputed
        ? { precomputed: new Map(job.precomputed.map(r => [r.checkId, r])) }
        : {}),
    },
  );
}
