import {
  Entity,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  MaturityFact,
  RepositorySignal,
} from '@cnmaturity/plugin-maturity-rules';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { RepositoryCollector } from '../collectors/RepositoryCollector';
import { readSharedCiOptions } from '../collectors/sharedCiConfig';
import { SharedCiReader } from '../collectors/SharedCiReader';
import { readMaturityConfig } from '../config';

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

/** The `maturity` config of the demo portal, from its app-config.yaml. */
export function demoConfig() {
  const appConfig = parse(
    fs.readFileSync(path.join(EXAMPLES_DIR, '../app-config.yaml'), 'utf8'),
  );
  return new ConfigReader({ maturity: appConfig.maturity });
}

/** The org-wide controls of the demo portal, from its app-config.yaml. */
export function loadDemoOrgControls() {
  const config = readMaturityConfig(demoConfig());
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

/**
 * Serves `examples/repos/<name>/` at the demo's URLs, trees and single
 * files, as the demo backend's reader does.
 */
export const examplesReader: UrlReaderService = {
  search: async () => {
    throw new Error('not supported');
  },
  readUrl: async url => {
    const file = path.join(EXAMPLES_DIR, new URL(url).pathname);
    if (!file.startsWith(EXAMPLES_DIR) || !fs.existsSync(file)) {
      throw new NotFoundError(`${url} does not exist`);
    }
    const data = fs.readFileSync(file);
    return {
      buffer: async () => data,
      stream: () => {
        throw new Error('not supported');
      },
    };
  },
  readTree: async (url, options) => {
    const dir = path.join(EXAMPLES_DIR, new URL(url).pathname);
    if (!dir.startsWith(EXAMPLES_DIR) || !fs.existsSync(dir)) {
      throw new NotFoundError(`${url} is not a repository`);
    }
    const files = walk(dir).filter(
      p =>
        !options?.filter ||
        options.filter(p, { size: fs.statSync(path.join(dir, p)).size }),
    );
    return {
      etag: '',
      files: async () =>
        files.map(p => ({
          path: p,
          content: async () => fs.readFileSync(path.join(dir, p)),
        })),
      archive: async () => {
        throw new Error('not supported');
      },
      dir: async () => {
        throw new Error('not supported');
      },
    };
  },
};

/** Says nothing: also used outside jest, by the scoring benchmark. */
const logger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => logger,
};

/**
 * The extraction of examples/repos/<name>, read from disk through the real
 * collector, shared CI files included (the demo's `sharedCi` config).
 */
export async function exampleRepository(
  entity: Entity,
): Promise<RepositorySignal> {
  const collector = new RepositoryCollector({
    urlReader: examplesReader,
    logger,
    sharedCi: new SharedCiReader({
      urlReader: examplesReader,
      logger,
      options: readSharedCiOptions(demoConfig()),
      maxFileBytes: 1024 * 1024,
    }),
  });
  return collector.startCycle().read(entity);
}
