import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import { MaturitySignals, SharedCiUse } from '../model';

/**
 * The shared CI definitions the repository calls but that could not be
 * inspected (unreadable, a Jenkins library, too deep). What they run is not
 * known, so a CI check that fails might pass on them.
 */
export function sharedCiGaps(signals: MaturitySignals): SharedCiUse[] {
  const repository = signals.repository;
  if (repository.status !== 'ok') return [];
  return repository.extraction.ci.flatMap(pipeline =>
    (pipeline.shared ?? []).filter(
      use => use.status === 'unreadable' || use.status === 'not-inspected',
    ),
  );
}

/**
 * The signals with the repository's CI watched: `onRead` is called when a
 * check reads the pipelines. A Proxy, so the check sees the same object.
 */
export function watchCi(
  signals: MaturitySignals,
  onRead: () => void,
): MaturitySignals {
  const repository = signals.repository;
  if (repository.status !== 'ok') return signals;
  const extraction = new Proxy(repository.extraction, {
    get(target, property, receiver) {
      if (property === 'ci') onRead();
      return Reflect.get(target, property, receiver);
    },
  });
  return { ...signals, repository: { ...repository, extraction } };
}

/** A failed CI check turned `unknown`: a shared definition might do it. */
export function unknownForGaps(
  result: CheckResult,
  gaps: readonly SharedCiUse[],
): CheckResult {
  const where = (g: SharedCiUse) => `${g.file}${g.line ? `:${g.line}` : ''}`;
  const first = gaps[0];
  const more = gaps.length > 1 ? ` (and ${gaps.length - 1} more)` : '';
  return {
    ...result,
    status: 'unknown',
    message: `${result.message.replace(
      /\.?$/,
      '.',
    )} It may run in shared CI that was not inspected: ${
      first.ref
    }, called from ${where(first)}${more}: ${first.reason ?? 'not read'}.`,
    evidence: [
      ...result.evidence,
      ...gaps.slice(0, 3).map(g => ({
        type: 'file' as const,
        label: g.file,
        ...(g.line ? { line: g.line } : {}),
        value: `calls ${g.ref} (${g.status})`,
        ...(g.url ? { ref: g.url } : {}),
      })),
    ],
  };
}
