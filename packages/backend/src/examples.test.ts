import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const examples = path.resolve(resolvePackagePath('backend'), '../../examples');

function load(file: string): Entity[] {
  return parseAllDocuments(
    fs.readFileSync(path.join(examples, file), 'utf8'),
  ).map(d => d.toJS());
}

const entities = [...load('entities.yaml'), ...load('org.yaml')];
const refs = new Set(entities.map(e => stringifyEntityRef(e)));
const components = entities.filter(e => e.kind === 'Component');

describe('the demo catalog', () => {
  it('has at least 12 components, including the three the demo is built around', () => {
    expect(components.length).toBeGreaterThanOrEqual(12);
    const names = components.map(c => c.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'legacy-billing',
        'checkout-service',
        'payments-platform',
      ]),
    );
  });

  it('has no dangling reference', () => {
    const dangling: string[] = [];
    const check = (e: Entity, value: unknown, defaultKind: string) => {
      for (const v of [value].flat()) {
        if (typeof v !== 'string') continue;
        const ref = stringifyEntityRef(
          parseEntityRef(v, { defaultKind, defaultNamespace: 'default' }),
        );
        if (!refs.has(ref)) dangling.push(`${stringifyEntityRef(e)} -> ${ref}`);
      }
    };
    for (const e of entities) {
      check(e, e.spec?.owner, 'Group');
      check(e, e.spec?.system, 'System');
      check(e, e.spec?.domain, 'Domain');
      check(e, e.spec?.dependsOn, 'Component');
      check(e, e.spec?.providesApis, 'API');
      check(e, e.spec?.memberOf, 'Group');
    }
    expect(dangling).toEqual([]);
  });

  it('points each component with code at an example repository that exists', () => {
    for (const c of components) {
      const location = c.metadata.annotations?.['backstage.io/source-location'];
      if (!location) continue;
      const m = location.match(
        /^url:http:\/\/examples\.cnmaturity\.local\/repos\/([a-z0-9-]+)\/$/,
      );
      expect(m).not.toBeNull();
      expect(fs.existsSync(path.join(examples, 'repos', m![1]))).toBe(true);
    }
  });
});
