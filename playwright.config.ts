import { defineConfig } from '@playwright/test';
import path from 'node:path';

// `repo start` hands --config to each package; absolute paths keep them valid.
const config = (file: string) => `--config ${path.resolve(__dirname, file)}`;

/**
 * End-to-end tests drive Debian's Chromium (Playwright cannot download its
 * own browsers here) against the demo portal, started with an in-memory
 * database and a fast evaluation schedule (app-config.e2e.yaml).
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  webServer: [
    {
      command: `yarn backstage-cli repo start ${config(
        'app-config.yaml',
      )} ${config('app-config.e2e.yaml')}`,
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ??
          'node_modules/.cache/e2e-test-results.json',
      },
    ],
  ],
  outputDir: 'node_modules/.cache/e2e-test-results',
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
