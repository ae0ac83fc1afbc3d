import { BUILTIN_CHECKS } from '@cnmaturity/plugin-maturity-common';
import { component } from '../testUtils/entities';
import { signalsFor } from '../testUtils/signals';
import { builtinChecks, composeChecks } from './index';

describe('builtin checks', () => {
  it('decides every rubric check, and nothing the rubric does not define', () => {
    expect(builtinChecks.map(c => c.id).sort()).toEqual(
      BUILTIN_CHECKS.map(c => c.id).sort(),
    );
  });

  it('refuses a rubric entry without an evaluator', () => {
    expect(() =>
      composeChecks([{ ...BUILTIN_CHECKS[0], id: 'people.ghost' }], {}),
    ).toThrow('No evaluator for check people.ghost');
  });

  it('never throws on a bare entity, with or without a repository', () => {
    const bare = {
      apiVersion: 'v1',
      kind: 'Component',
      metadata: { name: 'x' },
    } as any;
    for (const check of builtinChecks) {
      for (const signals of [
        signalsFor(bare),
        signalsFor(component('y'), { extraction: {} }),
      ]) {
        const outcome = check.evaluate(signals);
        expect([
          'pass',
          'fail',
          'unknown',
          'not-applicable',
          'exempt',
        ]).toContain(outcome.status);
        expect(outcome.message.length).toBeGreaterThan(0);
      }
    }
  });
});
