import { Config } from '@backstage/config';
import {
  MATURITY_AREAS,
  MaturityArea,
  MaturityCheckKind,
} from '@cnmaturity/plugin-maturity-common';
import { MaturityCheck, MaturitySignals } from '../model';
import {
  annotationEvidence,
  fail,
  fileEvidence,
  pass,
  withRepository,
} from './evaluators';
import { globMatcher } from './glob';

const OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
type Operator = (typeof OPERATORS)[number];

type Rule =
  | { type: 'annotation'; annotation: string }
  | { type: 'file'; glob: string }
  | {
      type: 'fact';
      source: string;
      field: string;
      op: Operator;
      value: number;
    };

const SIGNAL_OF = {
  annotation: 'catalog',
  file: 'repository',
  fact: 'fact',
} as const;

function configError(key: string, problem: string): Error {
  return new Error(`Invalid config at 'maturity.${key}': ${problem}`);
}

function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}

function evaluateRule(rule: Rule, signals: MaturitySignals) {
  switch (rule.type) {
    case 'annotation': {
      const value = signals.entity.metadata.annotations?.[rule.annotation];
      return typeof value === 'string' && value
        ? pass(`The annotation ${rule.annotation} is set.`, [
            annotationEvidence(rule.annotation, value),
          ])
        : fail(`The annotation ${rule.annotation} is not set.`);
    }
    case 'file': {
      const matches = globMatcher(rule.glob);
      return withRepository(signals, extraction => {
        const found = extraction.files.find(matches);
        return found
          ? pass(`${found} matches ${rule.glob}.`, [
              fileEvidence({ file: found }),
            ])
          : fail(`No file in the repository matches ${rule.glob}.`);
      });
    }
    default: {
      const fact = signals.facts.find(f => f.source === rule.source);
      if (!fact) {
        return {
          status: 'unknown' as const,
          message: `No ${rule.source} fact has been pushed for this entity.`,
          evidence: [],
        };
      }
      const value = Number(fact.values[rule.field]);
      const evidence = [
        {
          type: 'fact' as const,
          label: `${rule.source}.${rule.field}`,
          value: String(fact.values[rule.field]),
          ref: fact.timestamp,
        },
      ];
      if (!Number.isFinite(value)) {
        return fail(
          `The ${rule.source} fact has no numeric ${rule.field}.`,
          evidence,
        );
      }
      const ok = compare(value, rule.op, rule.value);
      return (ok ? pass : fail)(
        `${rule.source}.${rule.field} is ${value}, ${ok ? '' : 'not '}${
          rule.op
        } ${rule.value}.`,
        evidence,
      );
    }
  }
}

function readRule(c: Config, key: string): Rule {
  const kinds = ['annotation', 'fileExists', 'fact'].filter(k => c.has(k));
  if (kinds.length !== 1) {
    throw configError(
      key,
      'needs exactly one of annotation, fileExists or fact',
    );
  }
  if (kinds[0] === 'annotation') {
    return { type: 'annotation', annotation: c.getString('annotation') };
  }
  if (kinds[0] === 'fileExists') {
    return { type: 'file', glob: c.getString('fileExists') };
  }
  const f = c.getConfig('fact');
  const op = f.getString('op') as Operator;
  if (!OPERATORS.includes(op)) {
    throw configError(
      `${key}.fact.op`,
      `must be one of ${OPERATORS.join(' ')}, got ${op}`,
    );
  }
  return {
    type: 'fact',
    source: f.getString('source'),
    field: f.getString('field'),
    op,
    value: f.getNumber('value'),
  };
}

/**
 * Declarative checks an organisation adds in config without code:
 * an annotation is present, a file exists (glob), a pushed fact meets a
 * threshold. Each names its key when it is wrong.
 */
export function readCustomChecks(config: Config): MaturityCheck[] {
  const list = config.getOptionalConfigArray('maturity.customChecks') ?? [];
  const seen = new Set<string>();
  return list.map((c, i) => {
    const key = `customChecks[${i}]`;
    const id = c.getString('id');
    const [area, slug] = id.split('.');
    if (
      !MATURITY_AREAS.some(a => a.id === area) ||
      !slug ||
      !/^[a-z0-9-]+$/.test(slug)
    ) {
      throw configError(
        `${key}.id`,
        `must be <area>.<slug> with area one of ${MATURITY_AREAS.map(
          a => a.id,
        ).join(', ')}, got "${id}"`,
      );
    }
    if (seen.has(id)) throw configError(`${key}.id`, `duplicate id ${id}`);
    seen.add(id);
    const level = c.getNumber('level');
    if (![1, 2, 3, 4, 5].includes(level)) {
      throw configError(`${key}.level`, `must be 1 to 5, got ${level}`);
    }
    const kind = (c.getOptionalString('kind') ??
      'supporting') as MaturityCheckKind;
    if (!['required', 'supporting', 'informational'].includes(kind)) {
      throw configError(
        `${key}.kind`,
        `must be required, supporting or informational, got ${kind}`,
      );
    }
    const rule = readRule(c.getConfig('rule'), `${key}.rule`);
    return {
      id,
      title: c.getString('title'),
      area: area as MaturityArea,
      level: level as 1 | 2 | 3 | 4 | 5,
      kind,
      weight:
        c.getOptionalNumber('weight') ?? (kind === 'informational' ? 0 : 1),
      remediation: c.getString('remediation'),
      modelReference:
        c.getOptionalString('modelReference') ?? 'Organisation standard',
      signal: SIGNAL_OF[rule.type],
      evaluate: signals => evaluateRule(rule, signals),
    };
  });
}

/** The fact types the configured custom checks read. */
export function customFactSources(config: Config): string[] {
  return (config.getOptionalConfigArray('maturity.customChecks') ?? [])
    .map(c => c.getOptionalString('rule.fact.source'))
    .filter((s): s is string => !!s);
}
