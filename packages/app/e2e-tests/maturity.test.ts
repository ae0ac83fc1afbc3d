import { expect, Page, test } from '@playwright/test';

const BACKEND = 'http://localhost:7007';

/** The dev server answers before the backend does; sign-in needs both. */
async function waitForBackend(page: Page) {
  await expect(async () => {
    const res = await page.request.get(
      `${BACKEND}/.backstage/health/v1/readiness`,
    );
    expect(res.status()).toBe(200);
  }).toPass({ timeout: 120_000, intervals: [1_000] });
}

async function signIn(page: Page) {
  await waitForBackend(page);
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible({ timeout: 120_000 });
  await enter.click();
  await expect(enter).toBeHidden();
}

/**
 * The backend evaluates on a schedule; until the first cycle has stored a
 * result the tab says so. Reload until the result is there.
 */
async function openMaturityTab(page: Page, name: string, title: string) {
  await page.goto('/');
  await page.getByRole('link', { name: title, exact: true }).click();
  // Entity page tabs are links in the new frontend system.
  await page.getByRole('link', { name: 'Maturity', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/component/${name}/maturity$`));
  for (let i = 0; i < 20; i++) {
    const checks = page.getByText('Maturity checks');
    const pending = page.getByText('Not evaluated yet');
    await expect(checks.or(pending)).toBeVisible({ timeout: 60_000 });
    if (await checks.isVisible()) return;
    await page.waitForTimeout(5_000);
    await page.reload();
  }
  throw new Error(`${name} was never evaluated`);
}

test('checkout-service is Level 2 Operate, with its next steps and the ownership check', async ({
  page,
}) => {
  await signIn(page);
  await openMaturityTab(page, 'checkout-service', 'Checkout Service');

  // Computed by the backend from the example repository, read through the
  // UrlReaderService, and the catalog.
  await expect(page.getByText('Level 2 · Operate')).toBeVisible();
  await expect(page.getByText('To reach Level 3 Scale')).toBeVisible();
  await expect(
    page.getByText('Code quality is measured').first(),
  ).toBeVisible();
  await expect(
    page.getByText(/Target: Level 3 Scale by 2027-03-31 \(1 level to go\)/),
  ).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('checkout-service-maturity.png'),
  });

  const row = page.getByRole('row').filter({ hasText: 'people.team-owner' });
  await expect(row).toContainText('Owned by a team');
  await expect(row).toContainText('Pass');
  await expect(row).toContainText(
    'Owned by group:default/payments-team, a group with 2 members.',
  );
  await expect(row).toContainText('spec.owner: group:default/payments-team');
  await expect(row).toContainText('People');
  await expect(row).toContainText('2 Operate');
});

test('legacy-billing fails ownership with the reason and the fix', async ({
  page,
}) => {
  await signIn(page);
  await openMaturityTab(page, 'legacy-billing', 'Legacy Billing');
  await expect(page.getByText('Level 0 · Not started')).toBeVisible();
  await expect(page.getByText('Overdue')).toBeVisible();

  const row = page.getByRole('row').filter({ hasText: 'people.team-owner' });
  await expect(row).toContainText('Fail');
  await expect(row).toContainText(
    'The owning group group:default/legacy-ops has no members.',
  );
  await expect(row).toContainText('To fix: Set spec.owner to a Group entity');
});
