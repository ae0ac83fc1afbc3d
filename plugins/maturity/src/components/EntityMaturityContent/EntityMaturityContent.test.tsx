import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityMaturityResult } from '@cnmaturity/plugin-maturity-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MaturityApi, maturityApiRef } from '../../api';
import {
  fakeMaturityApi,
  historyPoints,
  levelTwoResult,
  maturityEntity,
  orgControlCheck,
  ownedResult,
} from '../../__testUtils__/fixtures';
import { EntityMaturityContent } from './EntityMaturityContent';

type AuthorizeResponse = Awaited<ReturnType<PermissionApi['authorize']>>;
// The values of AuthorizeResult, without depending on permission-common.
const answerOf = (result: 'ALLOW' | 'DENY') =>
  ({ result } as unknown as AuthorizeResponse);

/** A `javascript:` URL, built so that lint does not take it for one. */
const scriptUrl = (code: string) => `${'javascript'}:${code}`;

function fakePermissionApi(answer: 'allow' | 'deny' | 'pending') {
  const authorize = jest.fn(
    (): Promise<AuthorizeResponse> =>
      answer === 'pending'
        ? new Promise(() => {})
        : Promise.resolve(answerOf(answer === 'allow' ? 'ALLOW' : 'DENY')),
  );
  return { api: { authorize } as PermissionApi, authorize };
}

const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: { owner: 'payments-team' },
};

function render(
  api: Partial<MaturityApi>,
  options: { entity?: Entity; permissionApi?: PermissionApi } = {},
) {
  const apis: any[] = [[maturityApiRef, fakeMaturityApi(api)]];
  if (options.permissionApi) {
    apis.push([permissionApiRef, options.permissionApi]);
  }
  return renderInTestApp(
    <TestApiProvider apis={apis as any}>
      <EntityProvider entity={options.entity ?? maturityEntity()}>
        <EntityMaturityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** The permission hook caches answers by entity ref: one entity per test. */
let entityCounter = 0;
const uniqueEntity = () =>
  maturityEntity({ name: `checkout-service-${++entityCounter}` });

describe('EntityMaturityContent', () => {
  it('shows progress while the result loads', async () => {
    await render({ getEntityResult: () => new Promise(() => {}) });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the backend error instead of a blank tab', async () => {
    await render({
      getEntityResult: async () => {
        throw new Error('maturity backend is down');
      },
    });
    expect(
      await screen.findByText('Error: maturity backend is down', {
        selector: 'h6',
      }),
    ).toBeInTheDocument();
  });

  it('explains a never evaluated entity and, without a source location, what to add to catalog-info.yaml', async () => {
    await render(
      { getEntityResult: async () => undefined },
      { entity: plainEntity },
    );
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(
      screen.getByText(/evaluates catalog entities on a schedule/),
    ).toBeInTheDocument();
    const snippet = screen.getByText(
      (_, el) =>
        el?.tagName === 'CODE' &&
        (el.textContent ?? '').includes(
          'backstage.io/source-location: url:https://github.com/<org>/<repo>/tree/main/',
        ),
    );
    expect(snippet.textContent).toContain(
      'cloud-native-maturity/target-level: "2"',
    );
  });

  it('leaves out the catalog-info.yaml hint when the entity has a source location', async () => {
    await render({ getEntityResult: async () => undefined });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(
      screen.queryByText(/checks that read its repository cannot run/),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText(
        (_, el) =>
          el?.tagName === 'CODE' &&
          (el.textContent ?? '').includes('target-level'),
      ),
    ).not.toBeInTheDocument();
  });

  it('says when the shown result is stale, with the reason', async () => {
    await render({
      getEntityResult: async () =>
        ownedResult({ stale: true, staleReason: 'GitHub answered 429' }),
    });
    expect(
      await screen.findByText(
        /the latest evaluation failed: GitHub answered 429/,
      ),
    ).toBeInTheDocument();
  });

  it('lists the steps to the next level first, each with why, how to fix and a model link', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const heading = await screen.findByText('To reach Level 3 Scale');
    // Before the level card and the check list.
    const levelCard = screen.getByText('Level 2 · Operate');
    const checks = screen.getByText('Maturity checks');
    expect(
      heading.compareDocumentPosition(levelCard) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      heading.compareDocumentPosition(checks) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      screen.getByText('4 required checks still open'),
    ).toBeInTheDocument();

    const step = screen.getByRole('heading', {
      name: 'Code quality is measured',
    }).parentElement!.parentElement!;
    expect(
      within(step).getByText('No SonarQube project is linked.'),
    ).toBeInTheDocument();
    expect(
      within(step).getByText(/Analyse the code with SonarQube/),
    ).toBeInTheDocument();
    // Backticks in the remediation are code, not literal backticks.
    expect(
      within(step).getByText('sonarqube.org/project-key: <project-key>', {
        selector: 'code',
      }),
    ).toBeInTheDocument();
    expect(
      within(step).getByRole('link', {
        name: /Level 3 Scale, Process: software integration and release/,
      }),
    ).toHaveAttribute('href', 'https://maturitymodel.cncf.io/level-3/');
  });

  it('shows the level with its stage, the areas, the score and an overdue target with its source', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    expect(await screen.findByText('Level 2 · Operate')).toBeInTheDocument();
    expect(
      screen.getByText(/Target: Level 3 Scale by 2026-06-30 \(1 level to go\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('Overdue')).toBeInTheDocument();
    expect(
      screen.getByText('Target set on its System system:default/payments'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Score: 71% of weighted checks pass'),
    ).toBeInTheDocument();
    const areas = screen.getByRole('list', { name: 'Level per area' });
    expect(
      within(areas).getByRole('listitem', {
        name: 'Business Outcomes: level 2 of 5',
      }),
    ).toBeInTheDocument();
    expect(
      within(areas).getByRole('listitem', { name: 'Technology: level 1 of 5' }),
    ).toBeInTheDocument();
  });

  it('does not mark a target overdue before its date', async () => {
    await render({
      getEntityResult: async () =>
        levelTwoResult({
          target: {
            level: 3,
            date: '2027-06-30',
            source: 'component:default/checkout-service',
            gap: 1,
            overdue: false,
          },
        }),
    });
    expect(
      await screen.findByText(/Target: Level 3 Scale by 2027-06-30/),
    ).toBeInTheDocument();
    expect(screen.getByText('Target set on this entity')).toBeInTheDocument();
    expect(screen.queryByText('Overdue')).not.toBeInTheDocument();
  });

  it('tells the owner how to set a target when there is none', async () => {
    await render({ getEntityResult: async () => ownedResult({ level: 1 }) });
    expect(await screen.findByText(/No target set/)).toBeInTheDocument();
  });

  it('shows each maturity annotation with its value and the message next to the invalid one', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const table = await screen.findByRole('table', {
      name: 'Maturity annotations',
    });
    const dateRow = within(table)
      .getByText('cloud-native-maturity/target-date')
      .closest('tr')!;
    expect(within(dateRow).getByText('2027-02-30')).toBeInTheDocument();
    expect(
      within(dateRow).getByText(
        'cloud-native-maturity/target-date must be a calendar date YYYY-MM-DD.',
      ),
    ).toBeInTheDocument();
    const levelRow = within(table)
      .getByText('cloud-native-maturity/target-level')
      .closest('tr')!;
    expect(within(levelRow).getByText('3')).toBeInTheDocument();
    expect(within(levelRow).getByText('OK')).toBeInTheDocument();
    expect(
      screen.getByText('1 annotation is invalid and ignored'),
    ).toBeInTheDocument();
  });

  it('groups checks by level and area, with status and the fix for a failing one', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const level2 = await screen.findByRole('table', {
      name: 'Checks for Level 2 · Operate',
    });
    const level3 = screen.getByRole('table', {
      name: 'Checks for Level 3 · Scale',
    });
    expect(within(level2).getByText('People')).toBeInTheDocument();
    expect(within(level2).getByText('Process')).toBeInTheDocument();
    expect(within(level2).getByText('Owned by a team')).toBeInTheDocument();
    expect(within(level3).getByText('Alerts are defined')).toBeInTheDocument();
    const alerting = within(level3)
      .getByText('Alerts are defined')
      .closest('tr')!;
    expect(within(alerting).getByText('Fail')).toBeInTheDocument();
    expect(
      within(alerting).getByText(/To fix: Commit a PrometheusRule/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('4 passed, 4 failed, 1 unknown, 1 exempt'),
    ).toBeInTheDocument();
  });

  it('opens the levels up to the next one and keeps higher levels folded until asked', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const level3 = await screen.findByRole('button', {
      name: /Checks for Level 3 · Scale/,
    });
    const level4 = screen.getByRole('button', {
      name: /Checks for Level 4 · Improve/,
    });
    expect(level3).toHaveAttribute('aria-expanded', 'true');
    expect(level4).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(level4);
    expect(level4).toHaveAttribute('aria-expanded', 'true');
  });

  it('says "Unknown", not "Fail", when a signal could not be read', async () => {
    await render({
      getEntityResult: async () =>
        ownedResult({
          checks: [
            {
              checkId: 'people.team-owner',
              status: 'unknown',
              message: 'Catalog unavailable',
              evidence: [],
            },
          ],
        }),
    });
    expect(await screen.findByText('Unknown')).toBeInTheDocument();
    expect(screen.queryByText('Fail')).not.toBeInTheDocument();
  });

  it('shows the reason and the end of an exemption', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const row = (
      await screen.findByText('Container images are scanned')
    ).closest('tr')!;
    expect(within(row).getByText('Exempt')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'Scanned centrally by the platform pipeline (PLAT-123)',
        { exact: false, selector: 'p' },
      ),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('Exemption expires after 2027-01-31'),
    ).toBeInTheDocument();
  });

  it('reads an exemption from the result when the entity annotation is gone', async () => {
    await render(
      { getEntityResult: async () => levelTwoResult() },
      { entity: plainEntity },
    );
    const row = (
      await screen.findByText('Container images are scanned')
    ).closest('tr')!;
    expect(
      within(row).getByText('Exemption expires after 2027-01-31'),
    ).toBeInTheDocument();
  });

  it('links file evidence to the file in the repository', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const link = await screen.findByRole('link', {
      name: /^\.github\/workflows\/ci\.yml:12/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout-service/tree/main/.github/workflows/ci.yml#L12',
    );
  });

  it('names a shared CI file and the repository file that calls it, each linked', async () => {
    const shared =
      'https://github.com/acme/platform-pipelines/blob/v1/.github/workflows/security-scan.yml';
    await render({
      getEntityResult: async () =>
        levelTwoResult({
          checks: [
            ...levelTwoResult().checks.filter(
              c => c.checkId !== 'technology.secrets-hygiene',
            ),
            {
              checkId: 'technology.secrets-hygiene',
              status: 'pass',
              message: 'Secret scanning in CI (gitleaks).',
              evidence: [
                {
                  type: 'file',
                  label:
                    'acme/platform-pipelines/.github/workflows/security-scan.yml@v1',
                  line: 19,
                  value: 'gitleaks',
                  ref: shared,
                  via: { label: '.github/workflows/ci.yml', line: 40 },
                },
              ],
            },
          ],
        }),
    });
    const row = (
      await screen.findByText('No secrets in the repository')
    ).closest('tr')!;
    const item = within(row).getByText(/^Shared file/);
    // Links to other sites add "Opens in a new window" for screen readers.
    expect(item).toHaveTextContent(
      /^Shared file acme\/platform-pipelines\/\.github\/workflows\/security-scan\.yml@v1:19(, Opens in a new window)?: gitleaks, called from \.github\/workflows\/ci\.yml:40/,
    );
    expect(
      within(item).getByRole('link', { name: /security-scan\.yml@v1:19/ }),
    ).toHaveAttribute('href', shared);
    expect(
      within(item).getByRole('link', {
        name: /^\.github\/workflows\/ci\.yml:40/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/checkout-service/tree/main/.github/workflows/ci.yml#L40',
    );
  });

  it('shows file evidence as text when the source location is not an http(s) URL', async () => {
    await render(
      { getEntityResult: async () => levelTwoResult() },
      {
        entity: maturityEntity({
          annotations: {
            'backstage.io/source-location': `url:${scriptUrl('alert(1)//')}`,
          },
        }),
      },
    );
    expect(
      await screen.findByText('.github/workflows/ci.yml:12'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /ci\.yml/ }),
    ).not.toBeInTheDocument();
  });

  it('never turns a javascript: ref into a link', async () => {
    await render({
      getEntityResult: async () =>
        ownedResult({
          checks: [
            {
              checkId: 'people.team-owner',
              status: 'pass',
              message: 'Owned.',
              evidence: [
                {
                  type: 'catalog',
                  label: 'spec.owner',
                  value: 'group:default/payments-team',
                  ref: scriptUrl('alert(1)'),
                },
                {
                  type: 'attestation',
                  label: 'cloud-native-maturity/attest.people.team-owner',
                  value: '2026-10-01',
                  ref: scriptUrl('alert(2)'),
                },
              ],
            },
          ],
        }),
    });
    expect(
      await screen.findByText('(javascript:alert(1))'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/evidence: javascript:alert\(2\)/),
    ).toBeInTheDocument();
    for (const link of screen.queryAllByRole('link')) {
      expect(link.getAttribute('href') ?? '').not.toMatch(/^javascript:/i);
    }
  });

  it('shows who attested when, the evidence link, and pushed facts with source and date', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const attested = (
      await screen.findByText('Team knows Kubernetes fundamentals')
    ).closest('tr')!;
    expect(within(attested).getByText('user:default/jane')).toBeInTheDocument();
    expect(
      within(attested).getByText('user:default/jane').parentElement,
    ).toHaveTextContent('Attested by user:default/jane on 2026-10-01');
    expect(
      within(attested).getByRole('link', { name: /^evidence/ }),
    ).toHaveAttribute('href', 'https://wiki.example.com/training');

    const fact = screen
      .getByText('Delivery performance (DORA) is measured')
      .closest('tr')!;
    expect(within(fact).getByText('dora')).toBeInTheDocument();
    expect(within(fact).getByText('deploymentsPerWeek')).toBeInTheDocument();
    expect(
      within(fact).getByText(/= 6, measured 2026-11-24/),
    ).toBeInTheDocument();
  });

  it('names the org-wide control that passed a check, its review date and its evidence link', async () => {
    const evidenceUrl =
      'https://github.com/organizations/acme/settings/security_analysis';
    await render({
      getEntityResult: async () =>
        levelTwoResult({
          checks: [...levelTwoResult().checks, orgControlCheck(evidenceUrl)],
        }),
    });
    const row = (
      await screen.findByText('No secrets in the repository')
    ).closest('tr')!;
    expect(within(row).getByText('Pass')).toBeInTheDocument();
    expect(
      within(row).getByText('github-secret-scanning', { selector: 'strong' })
        .parentElement,
    ).toHaveTextContent(
      'Org-wide control github-secret-scanning, reviewed 2026-09-01 · evidence',
    );
    expect(
      within(row).getByRole('link', { name: /^evidence/ }),
    ).toHaveAttribute('href', evidenceUrl);
  });

  it('shows an org control evidence that is not an http(s) URL as text', async () => {
    await render({
      getEntityResult: async () =>
        levelTwoResult({
          checks: [
            ...levelTwoResult().checks,
            orgControlCheck(scriptUrl('alert(1)')),
          ],
        }),
    });
    const row = (
      await screen.findByText('No secrets in the repository')
    ).closest('tr')!;
    expect(
      within(row).getByText(/evidence: javascript:alert\(1\)/),
    ).toBeInTheDocument();
    expect(within(row).queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows the annotation key of annotation evidence', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const row = (
      await screen.findByText('Container images are scanned')
    ).closest('tr')!;
    expect(
      within(row).getByText(
        'cloud-native-maturity/exempt.process.container-scan',
        { selector: 'code' },
      ),
    ).toBeInTheDocument();
  });

  it('renders HTML in messages and evidence as text', async () => {
    const html = '<img src=x onerror="alert(1)"><b>bold</b>';
    const { container } = await render({
      getEntityResult: async () =>
        ownedResult({
          checks: [
            {
              checkId: 'people.team-owner',
              status: 'fail',
              message: html,
              evidence: [{ type: 'catalog', label: 'spec.owner', value: html }],
            },
          ],
          messages: [
            {
              annotation: 'cloud-native-maturity/target-level',
              value: html,
              message: html,
            },
          ],
        }),
    });
    // The check's message, the annotation message and the evidence value.
    expect(await screen.findAllByText(html, { exact: false })).toHaveLength(3);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
  });

  it('draws the level history as an accessible chart', async () => {
    const getEntityHistory = jest.fn(async () => historyPoints());
    await render({
      getEntityResult: async () => levelTwoResult(),
      getEntityHistory,
    });
    expect(
      await screen.findByRole('img', {
        name: 'Maturity level over the last 90 days: from Level 1 Build on 2026-09-01 to Level 2 Operate on 2026-11-25.',
      }),
    ).toBeInTheDocument();
    expect(getEntityHistory).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'checkout-service' },
      90,
    );
  });

  it('says so instead of drawing a chart from a single day', async () => {
    await render({
      getEntityResult: async () => levelTwoResult(),
      getEntityHistory: async () => historyPoints().slice(0, 1),
    });
    expect(
      await screen.findByText(/Only one day of history so far/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('img', { name: /Maturity level over/ }),
    ).toBeNull();
  });

  it('shows when the result was evaluated', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    const time = (await screen.findByText(/Last evaluated/)).querySelector(
      'time',
    );
    expect(time).toHaveAttribute('dateTime', '2026-11-25T10:00:00.000Z');
    expect(time?.textContent).toContain(
      new Date('2026-11-25T10:00:00.000Z').toLocaleString(),
    );
  });

  describe('re-evaluate', () => {
    it('is hidden without the refresh permission', async () => {
      const { api, authorize } = fakePermissionApi('deny');
      await render(
        { getEntityResult: async () => levelTwoResult() },
        { entity: uniqueEntity(), permissionApi: api },
      );
      expect(await screen.findByText('Level 2 · Operate')).toBeInTheDocument();
      await waitFor(() => expect(authorize).toHaveBeenCalled());
      expect(
        screen.queryByRole('button', { name: /Re-evaluate/ }),
      ).not.toBeInTheDocument();
    });

    it('is hidden while the permission is being checked', async () => {
      const { api, authorize } = fakePermissionApi('pending');
      await render(
        { getEntityResult: async () => levelTwoResult() },
        { entity: uniqueEntity(), permissionApi: api },
      );
      expect(await screen.findByText('Level 2 · Operate')).toBeInTheDocument();
      await waitFor(() => expect(authorize).toHaveBeenCalled());
      expect(
        screen.queryByRole('button', { name: /Re-evaluate/ }),
      ).not.toBeInTheDocument();
    });

    it('asks for the refresh permission on this entity', async () => {
      const { api, authorize } = fakePermissionApi('allow');
      const entity = uniqueEntity();
      await render(
        { getEntityResult: async () => levelTwoResult() },
        { entity, permissionApi: api },
      );
      expect(
        await screen.findByRole('button', { name: /Re-evaluate now/ }),
      ).toBeInTheDocument();
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'maturity.entity.refresh',
          }),
          resourceRef: `component:default/${entity.metadata.name}`,
        }),
      );
    });

    it('shows progress, then the new result', async () => {
      const { api } = fakePermissionApi('allow');
      let finish: (r: EntityMaturityResult) => void = () => {};
      const refreshEntity = jest.fn(
        () =>
          new Promise<EntityMaturityResult>(resolve => {
            finish = resolve;
          }),
      );
      await render(
        { getEntityResult: async () => levelTwoResult(), refreshEntity },
        { entity: uniqueEntity(), permissionApi: api },
      );
      await userEvent.click(
        await screen.findByRole('button', { name: /Re-evaluate now/ }),
      );
      expect(
        screen.getByRole('button', { name: /Re-evaluating/ }),
      ).toBeDisabled();
      expect(
        screen.getByRole('progressbar', { name: 'Re-evaluating' }),
      ).toBeInTheDocument();
      expect(refreshEntity).toHaveBeenCalledTimes(1);

      finish(levelTwoResult({ level: 3, next: { level: 4, steps: [] } }));
      expect(await screen.findByText('Level 3 · Scale')).toBeInTheDocument();
      expect(screen.getByText('To reach Level 4 Improve')).toBeInTheDocument();
      expect(screen.queryByText('Level 2 · Operate')).not.toBeInTheDocument();
      expect(
        screen.getByRole('button', { name: /Re-evaluate now/ }),
      ).toBeEnabled();
    });

    it('shows why a re-evaluation failed and keeps the previous result', async () => {
      const { api } = fakePermissionApi('allow');
      await render(
        {
          getEntityResult: async () => levelTwoResult(),
          refreshEntity: async () => {
            throw new Error('Request failed with 403 Forbidden');
          },
        },
        { entity: uniqueEntity(), permissionApi: api },
      );
      await userEvent.click(
        await screen.findByRole('button', { name: /Re-evaluate now/ }),
      );
      expect(
        await screen.findByText(
          /Re-evaluation failed: Request failed with 403 Forbidden/,
        ),
      ).toBeInTheDocument();
      expect(screen.getByRole('alert')).toHaveTextContent(
        'The previous result is still shown.',
      );
      expect(screen.getByText('Level 2 · Operate')).toBeInTheDocument();
      expect(screen.getByText('To reach Level 3 Scale')).toBeInTheDocument();
    });

    it('evaluates a never evaluated entity on demand', async () => {
      const { api } = fakePermissionApi('allow');
      await render(
        {
          getEntityResult: async () => undefined,
          refreshEntity: async () => levelTwoResult(),
        },
        { entity: uniqueEntity(), permissionApi: api },
      );
      await userEvent.click(
        await screen.findByRole('button', { name: /Evaluate now/ }),
      );
      expect(await screen.findByText('Level 2 · Operate')).toBeInTheDocument();
      expect(screen.queryByText('Not evaluated yet')).not.toBeInTheDocument();
    });
  });
});
