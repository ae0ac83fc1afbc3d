import { expect, Page, test } from '@playwright/test';
import { signIn } from '../e2e-tests/helpers';

const RUNS = 5;
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Interactive: totals shown, a full first page of rows, paging enabled. */
async function interactive(page: Page) {
  const rows = page
    .getByRole('table', { name: 'Services' })
    .locator('tbody tr');
  await expect(rows).toHaveCount(50, { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Next page', exact: true })).toBeEnabled();
  await expect(page.getByText(/^10,0\d\d$/).first()).toBeVisible();
}

test('the scorecard with 10,000 services', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page);
  const results: Record<string, number[]> = {
    'full page load of /maturity/scorecard': [],
    'sidebar click from the catalog': [],
    'owner filter applied': [],
    'next page': [],
  };
  for (let run = 0; run < RUNS; run++) {
    // A full load: navigation start to interactive, measured in the page.
    await page.goto('/maturity/scorecard');
    await interactive(page);
    results['full page load of /maturity/scorecard'].push(
      await page.evaluate(() => performance.now()),
    );

    // In the app: from the catalog, click the sidebar item.
    await page.goto('/');
    await expect(page.getByText('Checkout Service')).toBeVisible();
    let start = await page.evaluate(() => performance.now());
    await page
      .getByRole('link', { name: 'Maturity', exact: true })
      .first()
      .click();
    await interactive(page);
    results['sidebar click from the catalog'].push(
      (await page.evaluate(() => performance.now())) - start,
    );

    // The next page of all services.
    const first = await page
      .getByRole('table', { name: 'Services' })
      .locator('tbody tr')
      .first()
      .textContent();
    start = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Next page', exact: true }).click();
    await expect(
      page.getByRole('table', { name: 'Services' }).locator('tbody tr').first(),
    ).not.toHaveText(first!);
    results['next page'].push(
      (await page.evaluate(() => performance.now())) - start,
    );
    // Filter by one owner (50 services).
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.fill('team-7');
    start = await page.evaluate(() => performance.now());
    await page.getByRole('option', { name: 'team-7', exact: true }).click();
    await expect(page.getByText(/^50$/).first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(
      page.getByRole('table', { name: 'Services' }).locator('tbody tr'),
    ).toHaveCount(50);
    results['owner filter applied'].push(
      (await page.evaluate(() => performance.now())) - start,
    );

  }
  const lines = Object.entries(results).map(
    ([what, ms]) =>
      `| ${what} | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(
        0,
      )}-${Math.max(...ms).toFixed(0)} |`,
  );
  // The benchmark's report: a Markdown table on stdout.
  // eslint-disable-next-line no-console
  console.log(
    [
      `Scorecard with 10,000 services, ${RUNS} runs, Chromium ${page
        .context()
        .browser()
        ?.version()}`,
      '| interaction | median ms | min-max ms |',
      '|---|---|---|',
      ...lines,
    ].join('\n'),
  );
});
