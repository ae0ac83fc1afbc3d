import path from 'node:path';
import { scan } from '@cnmaturity/maturity-cli';
import {
  builtinChecks,
  evaluateEntity,
} from '@cnmaturity/plugin-maturity-rules';
import {
  EXAMPLES_DIR,
  exampleRepository,
  loadExampleCatalog,
} from './__testUtils__/examples';

const now = new Date('2026-11-25T12:00:00Z');
const catalog = loadExampleCatalog();
const components = [...catalog.values()].filter(
  e =>
    e.kind === 'Component' &&
    e.metadata.annotations?.['backstage.io/source-location'],
);

/**
 * One implementation of the rules: on the same tree and entity, the CLI says
 * what the backend says, except where it cannot see what the backend sees
 * (the catalog's related entities, shared CI in other repositories), and
 * there it says `unknown`, never another verdict.
 */
describe('cnmaturity scan and the backend on the example repositories', () => {
  it.each(components.map(c => [c.metadata.name, c] as const))(
    '%s',
    async (_name, entity) => {
      const repo =
        entity.metadata.annotations!['backstage.io/source-location'].match(
          /\/repos\/([^/]+)\/?$/,
        )![1];
      const backend = evaluateEntity(builtinChecks, {
        entity,
        related: catalog,
        repository: await exampleRepository(entity),
        facts: [],
        tools: { allowed: [], denied: [] },
        now,
      });
      const cli = scan({
        dir: path.join(EXAMPLES_DIR, 'repos', repo),
        catalogEntity: entity,
        now,
      });
      const fromBackend = new Map(backend.checks.map(c => [c.checkId, c]));
      const differing = cli.record.checks
        .filter(c => c.status !== 'unknown')
        .filter(c => fromBackend.get(c.checkId)?.status !== c.status)
        .map(
          c =>
            `${c.checkId}: cli ${c.status}, backend ${
              fromBackend.get(c.checkId)?.status
            }`,
        );
      expect(differing).toEqual([]);
      // Most checks are decided from the repository and the entity alone.
      const decided = cli.record.checks.filter(c => c.status !== 'unknown');
      expect(decided.length).toBeGreaterThan(40);
      // Where the CLI cannot tell, it says why.
      for (const c of cli.record.checks.filter(x => x.status === 'unknown')) {
        if (fromBackend.get(c.checkId)?.status === 'unknown') continue;
        expect(c.message).toMatch(
          /^The catalog decides this check|shared CI that was not inspected/,
        );
      }
      expect(cli.record.level).toBeLessThanOrEqual(backend.level);
    },
  );
});
