import { defineConfig } from '@playwright/test';
import path from 'node:path';
import base from './playwright.config';

const config = (file: string) => `--config ${path.resolve(__dirname, file)}`;

/**
 * A production build served by the backend: `yarn workspace app build`,
 * start the backend alone with the same configs, and set
 * SCALE_BASE_URL=http://localhost:7007.
 */
const prebuilt = process.env.SCALE_BASE_URL;

/**
 * The scorecard against 10,000 evaluated services: the demo portal over the
 * database that `yarn bench:cycle --keep` seeded (see app-config.scale.yaml).
 * Not part of `npm test`: it measures, it does not assert timings.
 */
export default defineConfig({
  ...base,
  testDir: 'packages/app/e2e-scale',
  timeout: 600_000,
  reporter: [['list']],
  outputDir: 'node_modules/.cache/e2e-scale-results',
  use: { ...base.use, ...(prebuilt ? { baseURL: prebuilt } : {}) },
  webServer: prebuilt
    ? []
    : [
        {
          command: `yarn backstage-cli repo start ${config(
            'app-config.yaml',
          )} ${config('app-config.scale.yaml')}`,
          url: 'http://localhost:3000',
          reuseExistingServer: true,
          timeout: 300_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
      ],
});
