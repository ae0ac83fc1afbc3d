/*
 * The demo portal's backend, wired as an adopter would wire the maturity
 * plugin into their own Backstage backend.
 */
import { createBackend } from '@backstage/backend-defaults';
import { examplesUrlReader } from './modules/examplesUrlReader';
import { maturityChecksModule } from './modules/maturityChecks';
import { demoPermissionPolicyModule } from './modules/permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider, enough for a local demo.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// The catalog subscribes to the events bus; without it, it warns at start.
backend.add(import('@backstage/plugin-events-backend'));
// GitHub webhooks: with `events.modules.github.webhookSecret` set, pushes
// arrive at /api/events/http/github and the maturity plugin re-evaluates
// the pushed repository's entities within seconds.
backend.add(import('@backstage/plugin-events-backend-module-github'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(demoPermissionPolicyModule);

// The example repositories under examples/repos, served to the standard
// UrlReaderService so the maturity plugin reads them like any SCM.
backend.add(examplesUrlReader);

backend.add(import('@cnmaturity/plugin-maturity-backend'));
// An organisation's own check, added through the maturity.checks extension point.
backend.add(maturityChecksModule);

backend.start();
