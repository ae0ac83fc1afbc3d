import {
  builtinChecks,
  evaluateEntity,
} from '@cnmaturity/plugin-maturity-rules';
import {
  exampleRepository,
  loadDemoOrgControls,
  loadExampleCatalog,
  loadExampleFacts,
} from './__testUtils__/examples';

/** The level each demo component was designed for (examples/README.md). */
const DESIGNED: Record<string, number> = {
  'legacy-billing': 0,
  'notification-service': 0,
  'shared-ui-library': 1,
  'search-service': 1,
  'inventory-service': 1,
  'checkout-service': 2,
  'catalog-service': 2,
  'storefront-web': 3,
  'data-pipeline': 3,
  'user-profile-service': 4,
  'auth-gateway': 4,
  'payments-platform': 5,
};

const now = new Date('2026-11-25T12:00:00Z');
const catalog = loadExampleCatalog();
const facts = loadExampleFacts();
const orgControls = loadDemoOrgControls();

async function evaluate(name: string) {
  const entity = catalog.get(`component:default/${name}`)!;
  return evaluateEntity(
    builtinChecks,
    {
      entity,
      related: catalog,
      repository: await exampleRepository(entity),
      facts: facts.get(`component:default/${name}`) ?? [],
      tools: { allowed: [], denied: [] },
      now,
    },
    orgControls,
  );
}

describe('the demo components, through the real extraction and checks', () => {
  it.each(Object.entries(DESIGNED))(
    '%s reaches Level %i',
    async (name, level) => {
      const result = await evaluate(name);
      // On a mismatch, show what blocks the next level.
      const blocking = result.details?.next?.steps
        .map(s => `${s.checkId}=${s.status}`)
        .join(', ');
      if (result.level !== level) {
        throw new Error(
          `${name} is Level ${result.level}, designed for ${level}; open: ${blocking}`,
        );
      }
      expect(result.level).toBe(level);
    },
  );

  it('checkout-service is exactly Level 2: every Level 2 check passes, some Level 3 ones fail', async () => {
    const result = await evaluate('checkout-service');
    const levelOf = new Map(builtinChecks.map(c => [c.id, c]));
    const l2 = result.checks.filter(c => levelOf.get(c.checkId)?.level === 2);
    expect(
      l2.filter(
        c => c.status !== 'pass' && levelOf.get(c.checkId)?.kind === 'required',
      ),
    ).toEqual([]);
    const l3fails = result.checks.filter(
      c => levelOf.get(c.checkId)?.level === 3 && c.status === 'fail',
    );
    expect(l3fails.map(c => c.checkId)).toEqual(
      expect.arrayContaining([
        'process.code-quality',
        'process.alerting',
        'technology.tracing',
      ]),
    );
    expect(result.details?.target).toMatchObject({
      level: 3,
      date: '2027-03-31',
      gap: 1,
      overdue: false,
    });
  });

  it('shared-ui-library passes secrets hygiene through the org control in app-config.yaml, and no other component does', async () => {
    const hygiene = async (name: string) =>
      (await evaluate(name)).checks.find(
        c => c.checkId === 'technology.secrets-hygiene',
      );
    expect(await hygiene('shared-ui-library')).toEqual({
      checkId: 'technology.secrets-hygiene',
      status: 'pass',
      message:
        'Satisfied by the org-wide control github-secret-scanning "GitHub secret scanning for library repositories" (reviewed 2026-09-01).',
      evidence: [
        {
          type: 'org-control',
          label: 'github-secret-scanning',
          value: '2026-09-01',
          ref: 'https://github.com/organizations/acme/settings/security_analysis',
        },
      ],
    });
    const others = Object.keys(DESIGNED).filter(
      name => name !== 'shared-ui-library',
    );
    const results = await Promise.all(others.map(evaluate));
    expect(
      others.filter((_, i) =>
        results[i].checks.some(c =>
          c.evidence.some(e => e.type === 'org-control'),
        ),
      ),
    ).toEqual([]);
    // Services without a secret scan in CI still fail it.
    expect((await hygiene('inventory-service'))?.status).toBe('fail');
  });

  it("catalog-service reaches Level 2 through the platform team's shared workflow, with evidence naming both files", async () => {
    const result = await evaluate('catalog-service');
    const check = (id: string) => result.checks.find(c => c.checkId === id)!;
    const shared =
      'acme/platform-pipelines/.github/workflows/security-scan.yml@v1';
    const ref =
      'http://examples.cnmaturity.local/repos/platform-pipelines/.github/workflows/security-scan.yml';
    const via = { label: '.github/workflows/ci.yml', line: 41 };
    expect(check('process.container-scan')).toMatchObject({
      status: 'pass',
      evidence: [{ type: 'file', label: shared, value: 'trivy', ref, via }],
    });
    expect(check('technology.secrets-hygiene')).toMatchObject({
      status: 'pass',
      evidence: [{ type: 'file', label: shared, value: 'gitleaks', ref, via }],
    });
    // Without the shared workflow it would not be Level 2.
    expect(result.level).toBe(2);
  });
});
