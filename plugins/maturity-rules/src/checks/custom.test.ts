import { ConfigReader } from '@backstage/config';
import { component } from '../testUtils/entities';
import { signalsFor } from '../testUtils/signals';
import { readCustomChecks } from './custom';

const base = {
  title: 'Runbook linked',
  level: 3,
  remediation: 'Add a runbook.',
};

const read = (customChecks: unknown[]) =>
  readCustomChecks(new ConfigReader({ maturity: { customChecks } } as any));

describe('custom checks from config', () => {
  it('checks that an annotation is present', () => {
    const [check] = read([
      {
        ...base,
        id: 'process.runbook',
        rule: { annotation: 'example.com/runbook' },
      },
    ]);
    expect(check).toMatchObject({
      id: 'process.runbook',
      area: 'process',
      level: 3,
      kind: 'supporting',
      weight: 1,
    });
    expect(
      check.evaluate(
        signalsFor(
          component(
            'a',
            {},
            { annotations: { 'example.com/runbook': 'https://r' } },
          ),
        ),
      ).status,
    ).toBe('pass');
    expect(check.evaluate(signalsFor(component('a'))).message).toBe(
      'The annotation example.com/runbook is not set.',
    );
  });

  it('checks that a file exists, unknown without a repository', () => {
    const [check] = read([
      {
        ...base,
        id: 'policy.runbook-file',
        rule: { fileExists: 'docs/**/runbook.md' },
      },
    ]);
    expect(
      check.evaluate(
        signalsFor(component('a'), {
          extraction: { files: ['docs/ops/runbook.md'] },
        }),
      ).status,
    ).toBe('pass');
    expect(
      check.evaluate(
        signalsFor(component('a'), { extraction: { files: ['README.md'] } }),
      ).message,
    ).toBe('No file in the repository matches docs/**/runbook.md.');
    expect(check.evaluate(signalsFor(component('a'))).status).toBe('unknown');
  });

  it('compares a pushed fact with a threshold', () => {
    const [check] = read([
      {
        ...base,
        id: 'process.coverage',
        kind: 'required',
        rule: {
          fact: { source: 'coverage', field: 'percent', op: '>=', value: 80 },
        },
      },
    ]);
    const facts = (percent: unknown) => [
      {
        source: 'coverage',
        timestamp: '2026-11-24T00:00:00Z',
        values: { percent },
      },
    ];
    expect(
      check.evaluate(signalsFor(component('a'), { facts: facts(85) })).status,
    ).toBe('pass');
    expect(
      check.evaluate(signalsFor(component('a'), { facts: facts(70) })).message,
    ).toBe('coverage.percent is 70, not >= 80.');
    expect(
      check.evaluate(signalsFor(component('a'), { facts: facts('n/a') }))
        .status,
    ).toBe('fail');
    expect(check.evaluate(signalsFor(component('a'))).status).toBe('unknown');
  });

  it.each([
    [
      { ...base, id: 'runbook', rule: { annotation: 'x' } },
      'customChecks[0].id',
    ],
    [
      { ...base, id: 'ops.runbook', rule: { annotation: 'x' } },
      'customChecks[0].id',
    ],
    [
      { ...base, id: 'process.runbook', level: 9, rule: { annotation: 'x' } },
      'customChecks[0].level',
    ],
    [
      {
        ...base,
        id: 'process.runbook',
        kind: 'vital',
        rule: { annotation: 'x' },
      },
      'customChecks[0].kind',
    ],
    [{ ...base, id: 'process.runbook', rule: {} }, 'customChecks[0].rule'],
    [
      {
        ...base,
        id: 'process.runbook',
        rule: { annotation: 'x', fileExists: 'y' },
      },
      'customChecks[0].rule',
    ],
    [
      {
        ...base,
        id: 'process.runbook',
        rule: { fact: { source: 's', field: 'f', op: '~', value: 1 } },
      },
      'customChecks[0].rule.fact.op',
    ],
  ])('rejects %j naming the key', (check, key) => {
    expect(() => read([check])).toThrow(`maturity.${key}`);
  });

  it('rejects duplicate ids', () => {
    const c = { ...base, id: 'process.runbook', rule: { annotation: 'x' } };
    expect(() => read([c, c])).toThrow(
      "maturity.customChecks[1].id': duplicate id process.runbook",
    );
  });
});
