import {
  CheckResult,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import { MaturityCheck, MaturitySignals } from '../model';

/**
 * How much of the catalog the evaluation sees.
 * - `complete`: the backend; the entity, its related entities, portal
 *   attestations and pushed facts.
 * - `entity`: a checkout with its catalog-info.yaml; the entity itself only.
 * - `none`: a checkout without one; the entity is made up from the folder.
 * @public
 */
export type CatalogView = 'complete' | 'entity' | 'none';

const RELATED_READS = new Set<PropertyKey>(['get', 'has', 'size', 'values']);

/** The signals with `related` watched: `onRead` is called when a check looks at it. */
function watchRelated(
  signals: MaturitySignals,
  onRead: () => void,
): MaturitySignals {
  const related = new Proxy(signals.related, {
    get(target, property) {
      if (RELATED_READS.has(property)) onRead();
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...signals, related };
}

function readsRelated(check: MaturityCheck, signals: MaturitySignals) {
  let read = false;
  try {
    check.evaluate(
      watchRelated(signals, () => {
        read = true;
      }),
    );
  } catch {
    // evaluateChecks already turned a throwing check into `unknown`
  }
  return read;
}

/** Why the catalog, not this evaluation, decides a check; undefined when it does not. */
function catalogReason(
  check: MaturityCheck,
  signals: MaturitySignals,
  view: CatalogView,
): string | undefined {
  const signal: MaturityCheckDefinition['signal'] = check.signal;
  if (signal === 'fact') {
    return 'facts pushed from CI are kept by the Backstage backend';
  }
  if (signal === 'attestation') {
    // An attestation made in the portal is as good as an annotation.
    return 'an attestation may have been made in the portal';
  }
  if (view === 'none' && signal === 'catalog') {
    return 'there is no catalog-info.yaml to read it from';
  }
  if (readsRelated(check, signals)) {
    return 'it needs entities related in the catalog (owner group, system, APIs, resources)';
  }
  return undefined;
}

/**
 * Outside Backstage, a check that failed only because the catalog is not in
 * view says `unknown`, naming why; it must not read as a failure of the
 * service. Returns the results and the ids of the checks the catalog decides.
 * @public
 */
export function applyCatalogView(
  checks: readonly MaturityCheck[],
  signals: MaturitySignals,
  results: readonly CheckResult[],
  view: CatalogView,
): { results: CheckResult[]; catalogDecided: string[] } {
  if (view === 'complete') return { results: [...results], catalogDecided: [] };
  const byId = new Map(checks.map(c => [c.id, c]));
  const catalogDecided: string[] = [];
  const out = results.map(result => {
    const check = byId.get(result.checkId);
    if (!check || result.status !== 'fail') return result;
    const reason = catalogReason(check, signals, view);
    if (!reason) return result;
    catalogDecided.push(check.id);
    return {
      ...result,
      status: 'unknown' as const,
      message: `The catalog decides this check: ${reason}. Here: ${result.message}`,
    };
  });
  return { results: out, catalogDecided };
}
