/*
 * Benchmark: extraction and scoring of synthetic entities, the hot path of
 * an evaluation cycle once signals are collected.
 *
 *   yarn workspace @cnmaturity/plugin-maturity-backend bench:scoring [entities] [runs]
 *
 * Reports medians over several runs (these machines are noisy): the time to
 * extract one repository, and the time to evaluate and score one entity with
 * the full rubric (checks, declarations, level, areas, score, target).
 */
import { performance } from 'node:perf_hooks';
import {
  builtinChecks,
  evaluateEntity,
} from '@cnmaturity/plugin-maturity-rules';
import {
  exampleRepository,
  loadExampleCatalog,
} from '../src/__testUtils__/examples';

const entities = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const catalog = loadExampleCatalog();
const components = [...catalog.values()].filter(
  e =>
    e.kind === 'Component' &&
    e.metadata.annotations?.['backstage.io/source-location'],
);
const now = new Date('2026-11-25T12:00:00Z');

// Synthetic entities: copies of the demo components under new names, each
// with its repository's extraction, so every check has real signals.
const synthetic = Array.from({ length: entities }, (_, i) => {
  const base = components[i % components.length];
  return {
    entity: {
      ...base,
      metadata: { ...base.metadata, name: `${base.metadata.name}-${i}` },
    },
    base,
  };
});

async function main() {
  const extractMs: number[] = [];
  const scoreMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    // Extraction: one repository read per distinct repository.
    let t = performance.now();
    const repos = new Map(
      await Promise.all(
        components.map(async c => [c, await exampleRepository(c)] as const),
      ),
    );
    extractMs.push((performance.now() - t) / components.length);

    t = performance.now();
    let levels = 0;
    for (const { entity, base } of synthetic) {
      const record = evaluateEntity(builtinChecks, {
        entity,
        related: catalog,
        repository: repos.get(base)!,
        facts: [],
        tools: { allowed: [], denied: [] },
        now,
      });
      levels += record.level;
    }
    scoreMs.push((performance.now() - t) / entities);
    if (levels < 0) throw new Error('unreachable');
  }

  const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  console.log(
    `checks: ${builtinChecks.length}, entities: ${entities}, repositories: ${components.length}, runs: ${runs}`,
  );
  console.log(
    `extract one repository (read + parse + extract), median: ${fmt(
      median(extractMs),
    )}`,
  );
  console.log(`evaluate + score one entity, median: ${fmt(median(scoreMs))}`);
  console.log(
    `evaluate + score ${entities} entities, median: ${(
      (median(scoreMs) * entities) /
      1000
    ).toFixed(2)} s`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
