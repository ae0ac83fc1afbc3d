import { ConfigReader } from '@backstage/config';
import {
  builtinChecks,
  extractRepository,
} from '@cnmaturity/plugin-maturity-rules';
import {
  applyCheckOverrides,
  readMaturityConfig,
  resultSettings,
} from './config';

const read = (maturity: unknown) =>
  readMaturityConfig(new ConfigReader({ maturity } as any));

describe('readMaturityConfig', () => {
  it('has defaults: every 30 minutes, Components', () => {
    const config = readMaturityConfig(new ConfigReader({}));
    expect(config.schedule.frequency).toEqual({ minutes: 30 });
    expect(config.kinds).toEqual(['Component']);
    expect(config.checks).toEqual({});
    expect(config.concurrency).toBe(16);
    expect(config.extractionWorkers).toBeGreaterThanOrEqual(0);
    expect(config.attestationMaxAgeDays).toBe(365);
    expect(config.maxFileBytes).toBe(1024 * 1024);
    expect(config.tools).toEqual({ allowed: [], denied: [] });
  });

  it('has no org controls and a review age of 365 days by default', () => {
    const config = readMaturityConfig(new ConfigReader({}));
    expect(config.orgControls).toEqual([]);
    expect(config.orgControlReviewMaxAgeDays).toBe(365);
  });

  it('reads schedule, kinds and check overrides', () => {
    const config = read({
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
      kinds: ['Component', 'System'],
      checks: {
        people: { 'team-owner': { level: 1, weight: 5, required: false } },
      },
    });
    expect(config.schedule.frequency).toEqual({ minutes: 5 });
    expect(config.kinds).toEqual(['Component', 'System']);
    expect(config.checks['people.team-owner']).toEqual({
      enabled: undefined,
      required: false,
      level: 1,
      weight: 5,
    });
  });

  it.each([
    [{ kinds: 'Component' }, 'maturity.kinds'],
    [{ concurrency: 0 }, 'maturity.concurrency'],
    [{ maxFileBytes: 10 }, 'maturity.maxFileBytes'],
    [
      { detection: { tests: [{ tool: 'bazel', pattern: '(' }] } },
      'maturity.detection.tests[0].pattern',
    ],
    [
      { detection: { scanners: [{ kind: 'virus', tool: 'x', pattern: 'x' }] } },
      'maturity.detection.scanners[0].kind',
    ],
    [
      { detection: { reportOnly: ['[', 'ok'] } },
      'maturity.detection.reportOnly[0]',
    ],
    [{ concurrency: 2.5 }, 'maturity.concurrency'],
    [{ attestationMaxAgeDays: 'a year' }, 'maturity.attestationMaxAgeDays'],
    [{ tools: { allowed: 'github-actions' } }, 'maturity.tools.allowed'],
    [{ kinds: [] }, 'maturity.kinds'],
    [
      { checks: { people: { 'team-owner': { level: 7 } } } },
      'maturity.checks.people.team-owner.level',
    ],
    [
      { checks: { people: { 'team-owner': { level: 'two' } } } },
      'maturity.checks.people.team-owner.level',
    ],
    [
      { checks: { people: { 'team-owner': { weight: -1 } } } },
      'maturity.checks.people.team-owner.weight',
    ],
    [
      { checks: { people: { 'team-owner': { enabeld: false } } } },
      'maturity.checks.people.team-owner.enabeld',
    ],
    [
      { schedule: { frequency: 'soon', timeout: { minutes: 1 } } },
      'maturity.schedule',
    ],
    [{ checks: { people: 'all' } }, 'maturity.checks.people'],
  ])('rejects %j with a message naming the key', (maturity, key) => {
    expect(() => read(maturity)).toThrow(key);
  });
});

describe('resultSettings (the config part of the rubric hash)', () => {
  const of = (maturity: object) =>
    JSON.stringify(resultSettings(new ConfigReader({ maturity })));
  const base = { kinds: ['Component'], attestationMaxAgeDays: 365 };

  it('ignores how the work is run and how long history is kept', () => {
    expect(
      of({
        ...base,
        schedule: { frequency: { hours: 6 } },
        concurrency: 2,
        extractionWorkers: 0,
        shards: 4,
        scm: { requestShare: 0.2, batchedHeadLookups: false },
        historyRetentionDays: 30,
      }),
    ).toBe(of(base));
  });

  it('changes with a setting that decides results', () => {
    expect(of({ ...base, attestationMaxAgeDays: 366 })).not.toBe(of(base));
  });
});

describe('detection config', () => {
  it('adds the organisation tools, which the extraction then recognises', () => {
    const { detection } = read({
      detection: {
        tests: [{ tool: 'bazel test', pattern: '\\bbazel test\\b' }],
        scanners: [
          {
            kind: 'container',
            tool: 'prisma',
            pattern: 'twistcli images scan',
          },
        ],
      },
    });
    const extraction = extractRepository(
      [
        {
          path: '.github/workflows/ci.yml',
          content: [
            'on: pull_request',
            'jobs:',
            '  build:',
            '    runs-on: ubuntu-latest',
            '    steps:',
            '      - run: bazel test //...',
            '      - run: twistcli images scan --details app:1',
          ].join('\n'),
        },
      ],
      { tools: detection },
    );
    expect(extraction.ci[0].tests.map(t => t.tool)).toContain('bazel test');
    expect(extraction.ci[0].scanners).toContainEqual(
      expect.objectContaining({ kind: 'container', tool: 'prisma' }),
    );
  });
});

describe('applyCheckOverrides', () => {
  it('moves, reweighs, demotes and disables checks', () => {
    const checks = applyCheckOverrides(builtinChecks, {
      'people.team-owner': { level: 1, weight: 9, required: false },
    });
    const check = checks.find(c => c.id === 'people.team-owner');
    expect(check).toMatchObject({
      id: 'people.team-owner',
      level: 1,
      weight: 9,
      kind: 'supporting',
    });
    const ids = applyCheckOverrides(builtinChecks, {
      'people.team-owner': { enabled: false },
    }).map(c => c.id);
    expect(ids).not.toContain('people.team-owner');
    expect(ids).toHaveLength(builtinChecks.length - 1);
  });

  it('rejects an unknown check id, naming it and the checks of its area', () => {
    expect(() =>
      applyCheckOverrides(builtinChecks, { 'people.team-ownr': { weight: 1 } }),
    ).toThrow(
      /^Invalid config at 'maturity.checks.people.team-ownr': unknown check id; the people checks are people.auto-deploy, .*people.team-owner/,
    );
    expect(() =>
      applyCheckOverrides(builtinChecks, { 'ops.x': { weight: 1 } }),
    ).toThrow('unknown check id; no check has the area "ops"');
  });

  it('rejects two checks with one id', () => {
    expect(() =>
      applyCheckOverrides([...builtinChecks, builtinChecks[0]], {}),
    ).toThrow(`Two maturity checks share the id ${builtinChecks[0].id}`);
  });
});
