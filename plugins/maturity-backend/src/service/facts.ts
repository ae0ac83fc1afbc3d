import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { inputErrorFromZod } from './zodError';

/** Fact sources the built-in checks read. Custom checks add their own. */
export const BUILTIN_FACT_SOURCES = [
  'dora',
  'container-scan',
  'config-scan',
  'secret-scan',
  'sast',
  'sbom',
];

const factSchema = z
  .object({
    entityRef: z.string().min(1).max(255),
    source: z.string().min(1).max(63),
    timestamp: z.string().datetime({ offset: true }).optional(),
    values: z
      .record(
        z.string().max(100),
        z.union([z.number().finite(), z.string().max(1024), z.boolean()]),
      )
      .refine(v => Object.keys(v).length <= 50, 'at most 50 values'),
  })
  .strict();

const bodySchema = z
  .object({ facts: z.array(factSchema).min(1).max(100) })
  .strict();

export interface ParsedFact {
  entityRef: string;
  source: string;
  timestamp: string;
  values: Record<string, number | string | boolean>;
}

/**
 * Validates a `POST /facts` body. Every problem is an InputError whose
 * message names the field, e.g. `facts[0].values.critical`.
 */
export function parseFactsBody(
  body: unknown,
  allowedSources: ReadonlySet<string>,
  now: Date,
): ParsedFact[] {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw inputErrorFromZod('fact', parsed.error);
  return parsed.data.facts.map((fact, i) => {
    if (!allowedSources.has(fact.source)) {
      throw new InputError(
        `Invalid fact: facts[${i}].source: unknown fact type "${
          fact.source
        }"; known types are ${[...allowedSources].sort().join(', ')}`,
      );
    }
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(
        parseEntityRef(fact.entityRef, {
          defaultKind: 'Component',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US');
    } catch {
      throw new InputError(
        `Invalid fact: facts[${i}].entityRef: "${fact.entityRef}" is not an entity reference`,
      );
    }
    const timestamp = fact.timestamp ? new Date(fact.timestamp) : now;
    if (timestamp.getTime() > now.getTime() + 5 * 60_000) {
      throw new InputError(
        `Invalid fact: facts[${i}].timestamp: ${fact.timestamp} is in the future`,
      );
    }
    return {
      entityRef,
      source: fact.source,
      timestamp: timestamp.toISOString(),
      values: fact.values,
    };
  });
}
