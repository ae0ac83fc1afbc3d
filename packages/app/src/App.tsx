import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import apiDocsPlugin from '@backstage/plugin-api-docs/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import maturityPlugin from '@cnmaturity/plugin-maturity';
import { navModule } from './modules/nav';

export default createApp({
  features: [
    catalogPlugin,
    orgPlugin,
    apiDocsPlugin,
    userSettingsPlugin,
    maturityPlugin,
    navModule,
  ],
});
