import { ConfigReader } from '@backstage/config';
import { builtinChecks } from '../checks';
import { readCustomChecks } from '../checks/custom';
import { assertOrgControlChecks, readOrgControls } from './readOrgControls';

const now = new Date('2026-11-25T12:00:00Z');

const secretScanning = {
  id: 'github-secret-scanning',
  satisfies: ['technology.secrets-hygiene'],
  evidence: 'https://github.com/organizations/acme/settings/security_analysis',
  appliesTo: { kind: 'Component', 'spec.lifecycle': 'production' },
  reviewed: '2026-09-01',
};
const logPlatform = {
  id: 'central-logging',
  satisfies: ['process.log-aggregation'],
  evidence: 'https://wiki.example.com/platform/logging',
  reviewed: '2026-10-15',
};

const read = (orgControls: unknown) =>
  readOrgControls(new ConfigReader({ orgControls } as any), now);

describe('readOrgControls', () => {
  it('reads controls, with or without a catalog filter', () => {
    const [scanning, logging] = read([
      { ...secretScanning, title: ' GitHub secret scanning ' },
      logPlatform,
    ]);
    expect(scanning).toEqual({
      id: 'github-secret-scanning',
      title: 'GitHub secret scanning',
      description: undefined,
      satisfies: ['technology.secrets-hygiene'],
      evidence:
        'https://github.com/organizations/acme/settings/security_analysis',
      appliesTo: [
        [
          { path: 'kind', values: ['component'] },
          { path: 'spec.lifecycle', values: ['production'] },
        ],
      ],
      reviewed: '2026-09-01',
    });
    expect(logging.appliesTo).toBeUndefined();
  });

  it('accepts a review dated tomorrow, for reviewers ahead of UTC', () => {
    expect(read([{ ...logPlatform, reviewed: '2026-11-26' }])).toHaveLength(1);
  });

  const entry = "'maturity.orgControls[1]' (github-secret-scanning)";
  const noId = "'maturity.orgControls[1]'";
  it.each([
    [{ id: undefined }, noId, 'id is required'],
    [{ id: '  ' }, noId, 'id is required'],
    [
      { satisfies: undefined },
      entry,
      'satisfies must list at least one check id',
    ],
    [{ satisfies: [] }, entry, 'satisfies must list at least one check id'],
    [{ satisfies: 'technology.secrets-hygiene' }, entry, 'satisfies must list'],
    [{ evidence: undefined }, entry, 'evidence is required, an http(s) URL'],
    [{ evidence: 'wiki page' }, entry, 'evidence is required, an http(s) URL'],
    [{ evidence: 'ftp://files.example.com/x' }, entry, 'evidence is required'],
    [{ evidence: `${'javascript'}:alert(1)` }, entry, 'evidence is required'],
    [{ reviewed: undefined }, entry, 'reviewed must be a calendar date'],
    [{ reviewed: '2026-9-1' }, entry, 'reviewed must be a calendar date'],
    [{ reviewed: '2026-02-30' }, entry, 'reviewed must be a calendar date'],
    [{ reviewed: 20260901 }, entry, 'reviewed must be a calendar date'],
    [
      { reviewed: '2026-11-27' },
      entry,
      'reviewed is in the future (2026-11-27)',
    ],
    [{ appliesTo: 'production' }, entry, 'appliesTo must be an object'],
    [{ appliesTo: {} }, entry, 'appliesTo has no keys'],
    [
      { appliesTo: { 'spec.lifecycle': 1 } },
      entry,
      'appliesTo.spec.lifecycle must be',
    ],
    [{ satisfy: ['x'] }, entry, 'unknown option "satisfy"'],
  ])('rejects %j, naming the entry', (change, name, problem) => {
    expect(() => read([logPlatform, { ...secretScanning, ...change }])).toThrow(
      `Invalid config at ${name}: ${problem}`,
    );
  });

  it('rejects a duplicate id, naming both entries', () => {
    expect(() =>
      read([
        secretScanning,
        logPlatform,
        { ...logPlatform, reviewed: '2026-11-01' },
      ]),
    ).toThrow(
      "Invalid config at 'maturity.orgControls[2]' (central-logging): duplicate id; maturity.orgControls[1] has it too",
    );
  });

  it('rejects orgControls that is not a list', () => {
    expect(() => read(secretScanning)).toThrow(
      "Invalid config at 'maturity.orgControls': must be a list of controls",
    );
  });
});

describe('assertOrgControlChecks', () => {
  const customConfig = new ConfigReader({
    maturity: {
      customChecks: [
        {
          id: 'process.runbook',
          title: 'Runbook linked',
          level: 3,
          remediation: 'Link a runbook.',
          rule: { annotation: 'example.com/runbook' },
        },
      ],
    },
  });
  const checks = [...builtinChecks, ...readCustomChecks(customConfig)];

  it('accepts built-in and custom checks', () => {
    expect(() =>
      assertOrgControlChecks(
        read([
          secretScanning,
          {
            ...logPlatform,
            satisfies: ['process.log-aggregation', 'process.runbook'],
          },
        ]),
        checks,
      ),
    ).not.toThrow();
  });

  it('names the entry and the unknown check, and lists the checks of its area', () => {
    const controls = read([
      logPlatform,
      { ...secretScanning, satisfies: ['technology.secret-hygine'] },
    ]);
    expect(() => assertOrgControlChecks(controls, checks)).toThrow(
      /^Invalid config at 'maturity.orgControls\[1\]' \(github-secret-scanning\): satisfies names unknown check "technology.secret-hygine"; the technology checks are .*technology.secrets-hygiene/,
    );
  });
});
