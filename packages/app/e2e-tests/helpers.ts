import { expect, Page, test } from '@playwright/test';

export const BACKEND = 'http://localhost:7007';

/** The dev server answers before the backend does; sign-in needs both. */
export async function waitForBackend(page: Page) {
  await expect(async () => {
    const res = await page.request.get(
      `${BACKEND}/.backstage/health/v1/readiness`,
    );
    expect(res.status()).toBe(200);
  }).toPass({ timeout: 120_000, intervals: [1_000] });
}

/** Guest sign-in; `theme` is stored before the app loads. */
export async function signIn(page: Page, theme: 'light' | 'dark' = 'light') {
  await page.addInitScript(mode => {
    window.localStorage.setItem('theme', mode);
  }, theme);
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
export async function openMaturityTab(page: Page, name: string, title: string) {
  await page.goto('/');
  await page.getByRole('link', { name: title, exact: true }).click();
  // Entity page tabs are links in the new frontend system; the sidebar has
  // a Maturity link too (the org-wide page).
  await page.locator(`a[href$="/component/${name}/maturity"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/component/${name}/maturity$`));
  for (let i = 0; i < 20; i++) {
    const evaluated = page.getByText(/^Last evaluated/);
    const pending = page.getByText('Not evaluated yet');
    await expect(evaluated.or(pending)).toBeVisible({ timeout: 60_000 });
    if (await evaluated.isVisible()) return;
    await page.waitForTimeout(5_000);
    await page.reload();
  }
  throw new Error(`${name} was never evaluated`);
}

/** A full-page screenshot kept with the test's artifacts. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: test.info().outputPath(`${name}.png`),
    fullPage: true,
  });
}
