import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Entity } from '@backstage/catalog-model';
import {
  computeLevel,
  MaturityLevelNumber,
} from '@cnmaturity/plugin-maturity-common';
import {
  builtinChecks,
  DEFAULT_MAX_FILE_BYTES,
  EntityResultRecord,
  evaluateEntity,
  extractPrepared,
  isRelevantRepoFile,
  MaturityCheck,
  MaturitySignals,
  prepareRepository,
  RepoExtraction,
  SharedCiContext,
  DEFAULT_SHARED_CI_DEPTH,
} from '@cnmaturity/plugin-maturity-rules';
import { Checkout, readCheckout } from './checkout';
import { CATALOG_FILES, ScannedEntity, scannedEntity } from './catalogInfo';

/** @public */
export interface ScanOptions {
  /** The checkout to scan. */
  dir: string;
  /** `spec.type` of the entity when there is no catalog-info.yaml. Default `service`. */
  type?: string;
  /** The Component of catalog-info.yaml to rate, by name; default the first. */
  entity?: string;
  maxFileBytes?: number;
  /** Evaluation time; default now. */
  now?: Date;
  /**
   * Rate this entity, as the catalog has it, instead of reading
   * catalog-info.yaml (its annotations and fields count as given).
   */
  catalogEntity?: Entity;
  /** The checks; default the built-in rubric, as the backend runs it. */
  checks?: readonly MaturityCheck[];
}

/** @public */
export interface ScanReport {
  checkout: Omit<Checkout, 'files'> & { read: number };
  entity: Entity;
  /** The catalog-info file the entity came from, if any. */
  catalogFile?: string;
  /** Problems with catalog-info.yaml. */
  messages: string[];
  checks: readonly MaturityCheck[];
  extraction: RepoExtraction;
  record: EntityResultRecord;
  /**
   * The level the repository shows: as `record.level`, with the checks the
   * catalog decides set aside (a pipeline cannot change them).
   */
  repositoryLevel: MaturityLevelNumber;
}

/** Shared CI in other repositories is not read here: it stays `not-inspected`. */
const checkoutOnly: SharedCiContext = {
  lookup: {
    get: key => ({
      status: 'not-inspected',
      label: key,
      reason: 'not read: the scan reads the checkout only',
    }),
  },
  organizations: new Set(),
  maxDepth: DEFAULT_SHARED_CI_DEPTH,
};

/** The source location the catalog would give an entity registered from this checkout. */
function withSourceLocation(entity: Entity, checkout: Checkout): Entity {
  const annotations = entity.metadata.annotations ?? {};
  if (checkout.source !== 'git' || annotations['backstage.io/source-location'])
    return entity;
  const url = checkout.origin ?? pathToFileURL(checkout.root).href;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...annotations,
        'backstage.io/source-location': `url:${url.replace(/\/?$/, '/')}`,
      },
    },
  };
}

/**
 * Rates a local checkout with the backend's own extraction, checks and
 * scoring. What only the catalog knows (related entities, attestations made
 * in the portal, pushed facts) reads `unknown`, never `fail`.
 * @public
 */
export function scan(options: ScanOptions): ScanReport {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const checks = options.checks ?? builtinChecks;
  const checkout = readCheckout(options.dir, {
    maxFileBytes,
    alsoRead: CATALOG_FILES,
  });
  const scanned: ScannedEntity = options.catalogEntity
    ? { entity: options.catalogEntity, file: 'the catalog', messages: [] }
    : scannedEntity(checkout.files, path.basename(checkout.root), {
        type: options.type ?? 'service',
        wanted: options.entity,
      });
  const prepared = prepareRepository(
    checkout.files.filter(f => isRelevantRepoFile(f.path)),
    maxFileBytes,
    checkout.skipped,
  );
  const extraction = extractPrepared(prepared, { sharedCi: checkoutOnly });
  const entity = withSourceLocation(scanned.entity, checkout);
  const signals: MaturitySignals = {
    entity,
    related: new Map(),
    repository: {
      status: 'ok',
      url: pathToFileURL(checkout.root).href,
      extraction,
    },
    facts: [],
    tools: { allowed: [], denied: [] },
    now: options.now ?? new Date(),
  };
  const record = evaluateEntity(checks, signals, {
    catalogView: scanned.file ? 'entity' : 'none',
  });
  const setAside = new Set(record.catalogDecided ?? []);
  const { files, ...rest } = checkout;
  return {
    checkout: { ...rest, read: files.length },
    entity,
    ...(scanned.file ? { catalogFile: scanned.file } : {}),
    messages: scanned.messages,
    checks,
    extraction,
    record,
    repositoryLevel: computeLevel(
      checks.filter(c => !setAside.has(c.id)),
      record.checks,
    ),
  };
}
