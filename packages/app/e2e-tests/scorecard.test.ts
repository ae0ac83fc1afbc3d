import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { screenshot, signIn } from './helpers';

/** The scorecard once the first cycle has stored results. */
async function openScorecard(page: import('@playwright/test').Page) {
  for (let i = 0; i < 20; i++) {
    await page.goto('/maturity');
    await expect(page).toHaveURL(/\/maturity\/scorecard/);
    const services = page.getByRole('table', { name: 'Services' });
    const empty = page.getByText('No maturity results yet');
    await expect(services.or(empty)).toBeVisible({ timeout: 60_000 });
    if (await services.isVisible()) return;
    await page.waitForTimeout(5_000);
  }
  throw new Error('the scorecard never showed services');
}

test('the sidebar leads to the scorecard; filtering by owner narrows it and the URL carries the filter', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByRole('link', { name: 'Maturity', exact: true })
    .first()
    .click();
  await openScorecard(page);

  const rows = page
    .getByRole('table', { name: 'Services' })
    .locator('tbody tr');
  await expect(rows.filter({ hasText: 'Checkout Service' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Legacy Billing' })).toHaveCount(1);

  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('payments-team');
  await page
    .getByRole('option', { name: 'payments-team', exact: true })
    .click();

  await expect(page).toHaveURL(/owner=group%3Adefault%2Fpayments-team/);
  await expect(rows.filter({ hasText: 'Legacy Billing' })).toHaveCount(0);
  await expect(rows.filter({ hasText: 'Checkout Service' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Payments Platform' })).toHaveCount(1);
  await expect(rows).toHaveCount(2);

  // The URL alone reproduces the view, e.g. for a colleague.
  const shared = page.url();
  await page.goto('/');
  await page.goto(shared);
  await expect(rows).toHaveCount(2);
  await expect(page.getByText('Legacy Billing')).toHaveCount(0);
});

test('CSV export downloads the rows shown', async ({ page }) => {
  await signIn(page);
  await page.goto('/maturity/scorecard?owner=group:default/payments-team');
  await openScorecardAt(page);
  const rows = page
    .getByRole('table', { name: 'Services' })
    .locator('tbody tr');
  await expect(rows).toHaveCount(2);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^maturity-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await file.path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/^entity_ref,kind,namespace,name,title,owner,/);
  expect(
    lines
      .slice(1)
      .map(l => l.split(',')[0])
      .sort(),
  ).toEqual([
    'component:default/checkout-service',
    'component:default/payments-platform',
  ]);
});

/** Waits for the table on the current scorecard URL. */
async function openScorecardAt(page: import('@playwright/test').Page) {
  await expect(page.getByRole('table', { name: 'Services' })).toBeVisible({
    timeout: 60_000,
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of the scorecard and the rubric, ${theme} theme`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await signIn(page, theme);
    await openScorecard(page);
    await expect(page.locator('body')).toHaveAttribute(
      'data-theme-mode',
      theme,
    );
    await expect(
      page.getByRole('img', { name: /level/i }).first(),
    ).toBeVisible();
    await screenshot(page, `scorecard-${theme}`);
    await page.getByRole('tab', { name: 'Rubric' }).click();
    await expect(page).toHaveURL(/\/maturity\/rubric/);
    await expect(page.getByText('people.team-owner').first()).toBeVisible();
    await screenshot(page, `rubric-${theme}`);
  });
}
