import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { MaturityCheckDefinition } from '@cnmaturity/plugin-maturity-common';
import { FactStore } from '../database/DatabaseFactStore';
import { MaturityStore } from '../database/MaturityStore';
import { parseFactsBody } from './facts';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  store: MaturityStore;
  checks: readonly MaturityCheckDefinition[];
  facts: FactStore;
  /** Fact types the checks read; any other is refused. */
  factSources: ReadonlySet<string>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

function entityRefFromParams(params: Record<string, string>): string {
  for (const key of ['kind', 'namespace', 'name']) {
    if (!NAME.test(params[key] ?? '')) {
      throw new InputError(`Invalid entity ${key} "${params[key]}"`);
    }
  }
  // Refs are stored in lower case: the catalog compares them case-insensitively.
  return stringifyEntityRef({
    kind: params.kind,
    namespace: params.namespace,
    name: params.name,
  }).toLocaleLowerCase('en-US');
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, store } = options;
  // Only the static description of each check; never its code.
  const rubric = {
    checks: options.checks.map(c => ({
      id: c.id,
      title: c.title,
      area: c.area,
      level: c.level,
      kind: c.kind,
      weight: c.weight,
      remediation: c.remediation,
      modelReference: c.modelReference,
    })),
  };
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Only answer for entities the caller may read in the catalog; the same
    // 404 for "hidden" and "missing" so the route leaks nothing.
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const result = await store.getResult(entityRef);
    if (!result) {
      throw new NotFoundError(`${entityRef} has not been evaluated yet`);
    }
    res.json(result);
  });

  // CI pipelines push facts (scan results, delivery metrics) with a service
  // token; a user token is refused, so nobody can hand-edit the evidence.
  router.post('/facts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const facts = parseFactsBody(req.body, options.factSources, new Date());
    const refs = [...new Set(facts.map(f => f.entityRef))];
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    const missing = refs.filter((_, i) => !items[i]);
    if (missing.length) {
      throw new InputError(
        `Invalid fact: entityRef: no entity ${missing.join(
          ', ',
        )} in the catalog`,
      );
    }
    await options.facts.addFacts(
      facts.map(f => ({
        ...f,
        pushedBy: credentials.principal.subject,
      })),
    );
    res.status(201).json({ accepted: facts.length });
  });

  router.get('/rubric', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(rubric);
  });

  return router;
}
