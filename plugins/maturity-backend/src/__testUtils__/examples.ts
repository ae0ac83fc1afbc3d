import {
  Entity,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  MaturityFact,
  RepositorySignal,
} from '@cnmaturity/plugin-maturity-node';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigReader } from '@backstage/config';
import { readMaturityConfig } from '../config';
import { extractRepository } from '../signals/extractRepository';
import { isRelevantRepoFile } from '../signals/fileFilter';

/** The demo data under examples/, as the catalog would present it. */
export const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');

function loadYaml(file: string): any[] {
  return parseAllDocuments(
    fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'),
  ).map(d => d.toJS());
}

const refOf = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');

/**
 * The demo catalog with the relations the checks read: the catalog derives
 * a Group's hasMember relations from its Users' memberOf.
 */
export function loadExampleCatalog(): Map<string, Entity> {
  const entities: Entity[] = [
    ...loadYaml('entities.yaml'),
    ...loadYaml('org.yaml'),
  ].filter(e => e && e.kind);
  const byRef = new Map(entities.map(e => [refOf(e), e]));
  for (const user of entities.filter(e => e.kind === 'User')) {
    for (const g of (user.spec?.memberOf as string[]) ?? []) {
      const group = byRef.get(`group:default/${g}`.toLocaleLowerCase('en-US'));
      if (!group) continue;
      group.relations = [
        ...(group.relations ?? []),
        { type: RELATION_HAS_MEMBER, targetRef: refOf(user) },
      ];
    }
  }
  return byRef;
}

/** The org-wide controls of the demo portal, from its app-config.yaml. */
export function loadDemoOrgControls() {
  const appConfig = parse(
    fs.readFileSync(path.join(EXAMPLES_DIR, '../app-config.yaml'), 'utf8'),
  );
  const config = readMaturityConfig(
    new ConfigReader({ maturity: appConfig.maturity }),
  );
  return {
    orgControls: config.orgControls,
    orgControlReviewMaxAgeDays: config.orgControlReviewMaxAgeDays,
  };
}

/** Facts a CI would have pushed, from examples/facts.yaml. */
export function loadExampleFacts(): Map<string, MaturityFact[]> {
  const out = new Map<string, MaturityFact[]>();
  for (const doc of loadYaml('facts.yaml')) {
    for (const f of doc?.facts ?? []) {
      const list = out.get(f.entityRef) ?? [];
      list.push({ source: f.source, timestamp: f.timestamp, values: f.facts });
      out.set(f.entityRef, list);
    }
  }
  return out;
}

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return walk(p, base);
    return [path.relative(base, p).split(path.sep).join('/')];
  });
}

/** The extraction of examples/repos/<name>, read from disk. */
export function exampleRepository(entity: Entity): RepositorySignal {
  const location =
    entity.metadata.annotations?.['backstage.io/source-location'];
  const name = location?.match(/\/repos\/([^/]+)\/?$/)?.[1];
  if (!name) {
    return {
      status: 'unavailable',
      reason: 'the entity has no source location',
    };
  }
  const dir = path.join(EXAMPLES_DIR, 'repos', name);
  const files = walk(dir)
    .filter(isRelevantRepoFile)
    .map(p => ({ path: p, content: fs.readFileSync(path.join(dir, p)) }));
  return {
    status: 'ok',
    url: location!.slice('url:'.length),
    extraction: extractRepository(files),
  };
}
