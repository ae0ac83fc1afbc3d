import { globMatcher } from './glob';

describe('globMatcher', () => {
  it.each([
    ['docs/runbook.md', 'docs/runbook.md', true],
    ['docs/*.md', 'docs/runbook.md', true],
    ['docs/*.md', 'docs/ops/runbook.md', false],
    ['docs/**/*.md', 'docs/ops/runbook.md', true],
    ['docs/**/*.md', 'docs/runbook.md', true],
    ['**/Chart.yaml', 'Chart.yaml', true],
    ['**/Chart.yaml', 'deploy/chart/Chart.yaml', true],
    ['file?.txt', 'file1.txt', true],
    ['a.b', 'axb', false],
    ['(x)+[y]', '(x)+[y]', true],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(globMatcher(glob)(path)).toBe(expected);
  });

  it('stays fast on hostile input (a regex would backtrack for minutes)', () => {
    const match = globMatcher('**/**/**/*a*a*a*a*a*a*a*b');
    expect(match(`${'a/'.repeat(2000)}${'a'.repeat(5000)}`)).toBe(false);
    expect(match(`${'a/'.repeat(2000)}${'a'.repeat(5000)}b`)).toBe(true);
  });
});
