import { expect, test } from '@playwright/test';
import { openMaturityTab, screenshot, signIn } from './helpers';

test('checkout-service is Level 2 Operate, with its next steps and the ownership check', async ({
  page,
}) => {
  await signIn(page);
  await openMaturityTab(page, 'checkout-service', 'Checkout Service');

  // Computed by the backend from the example repository, read through the
  // UrlReaderService, and the catalog.
  await expect(page.getByText('Level 2 · Operate').first()).toBeVisible();
  await expect(page.getByText('To reach Level 3 Scale')).toBeVisible();
  await expect(
    page.getByText('Code quality is measured').first(),
  ).toBeVisible();
  await expect(
    page.getByText(/Target: Level 3 Scale by 2027-03-31 \(1 level to go\)/),
  ).toBeVisible();

  const row = page.getByRole('row').filter({ hasText: 'people.team-owner' });
  await expect(row).toContainText('Owned by a team');
  await expect(row).toContainText('Pass');
  await expect(row).toContainText(
    'Owned by group:default/payments-team, a group with 2 members.',
  );
  await expect(row).toContainText('spec.owner');
  await expect(row).toContainText('group:default/payments-team');
});

test('re-evaluating checkout-service shows progress, then the new result', async ({
  page,
}) => {
  await signIn(page);
  await openMaturityTab(page, 'checkout-service', 'Checkout Service');
  const before = await page.getByText(/^Last evaluated/).textContent();
  const button = page.getByRole('button', { name: /Re-evaluate/ });
  await expect(button).toBeEnabled();
  await page.waitForTimeout(1_100); // evaluated times have second precision
  // Hold the request a moment so the progress state can be seen.
  await page.route('**/api/maturity/entities/**/refresh', async route => {
    await new Promise(r => setTimeout(r, 1_500));
    await route.continue();
  });
  await button.click();
  await expect(
    page.getByRole('button', { name: 'Re-evaluating…' }),
  ).toBeDisabled();
  await expect(page.getByText(/^Last evaluated/)).not.toHaveText(before!, {
    timeout: 30_000,
  });
  await expect(page.getByText(/^Last evaluated .*\(now\)$/)).toBeVisible();
  await expect(button).toBeEnabled();
  await expect(page.getByText('Level 2 · Operate').first()).toBeVisible();
});

test("catalog-service reaches Level 2 through the platform team's shared workflow, shown with both files", async ({
  page,
}) => {
  await signIn(page);
  await openMaturityTab(page, 'catalog-service', 'Product Catalog Service');
  await expect(page.getByText('Level 2 · Operate').first()).toBeVisible();

  const row = page
    .getByRole('row')
    .filter({ hasText: 'process.container-scan' });
  await expect(row).toContainText('Pass');
  await expect(row).toContainText(
    'Shared file acme/platform-pipelines/.github/workflows/security-scan.yml@v1',
  );
  await expect(row).toContainText('called from .github/workflows/ci.yml:41');
  await expect(
    row.getByRole('link', { name: /^\.github\/workflows\/ci\.yml:41/ }),
  ).toHaveAttribute(
    'href',
    'http://examples.cnmaturity.local/repos/catalog-service/.github/workflows/ci.yml#L41',
  );
});

test('shared-ui-library passes secrets hygiene through the org-wide control', async ({
  page,
}) => {
  await signIn(page);
  await openMaturityTab(page, 'shared-ui-library', 'Shared UI Library');
  const row = page
    .getByRole('row')
    .filter({ hasText: 'technology.secrets-hygiene' });
  await expect(row).toContainText('Pass');
  await expect(row).toContainText(
    'Org-wide control github-secret-scanning, reviewed 2026-09-01',
  );
  await expect(row.getByRole('link', { name: /^evidence/ })).toHaveAttribute(
    'href',
    'https://github.com/organizations/acme/settings/security_analysis',
  );
});

test('legacy-billing fails ownership with the reason and the fix', async ({
  page,
}) => {
  await signIn(page);
  await openMaturityTab(page, 'legacy-billing', 'Legacy Billing');
  await expect(page.getByText('Level 0 · Not started').first()).toBeVisible();
  await expect(page.getByText('Overdue').first()).toBeVisible();

  // Levels above the next one start folded; the owner unfolds Level 2.
  await page.getByText('Checks for Level 2 · Operate').click();

  const row = page.getByRole('row').filter({ hasText: 'people.team-owner' });
  await expect(row).toContainText('Fail');
  await expect(row).toContainText(
    'The owning group group:default/legacy-ops has no members.',
  );
  await expect(row).toContainText('Set spec.owner to a Group entity');
});

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of the tab and the overview card, ${theme} theme`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await signIn(page, theme);
    await openMaturityTab(page, 'checkout-service', 'Checkout Service');
    await expect(page.locator('body')).toHaveAttribute(
      'data-theme-mode',
      theme,
    );
    await screenshot(page, `maturity-tab-${theme}`);
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await expect(page.getByText('Cloud Native Maturity')).toBeVisible();
    await expect(
      page.getByRole('link', { name: /view maturity/i }),
    ).toBeVisible();
    await screenshot(page, `maturity-card-${theme}`);
  });
}
