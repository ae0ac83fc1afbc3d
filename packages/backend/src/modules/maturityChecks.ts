import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  MaturityCheck,
  maturityChecksExtensionPoint,
} from '@cnmaturity/plugin-maturity-node';

/**
 * An organisation's own check, added through the maturity extension point:
 * production services link a runbook (a `metadata.links` entry of type
 * `runbook`), so whoever is paged knows what to do.
 */
export const runbookLinkedCheck: MaturityCheck = {
  id: 'process.runbook-linked',
  title: 'Runbook linked',
  area: 'process',
  level: 3,
  kind: 'supporting',
  weight: 1,
  signal: 'catalog',
  appliesTo: ['service', 'website'],
  rule: 'metadata.links has an entry of type runbook.',
  remediation:
    'Add a link of type runbook to metadata.links in catalog-info.yaml, pointing at the service runbook.',
  modelReference:
    'Level 3 Scale, Process: incident response (organisation standard)',
  evaluate({ entity }) {
    const links = Array.isArray(entity.metadata.links)
      ? entity.metadata.links
      : [];
    const runbook = links.find(l => l?.type === 'runbook' && l.url);
    return runbook
      ? {
          status: 'pass',
          message: `Runbook linked: ${runbook.title ?? runbook.url}.`,
          evidence: [
            {
              type: 'catalog',
              label: 'metadata.links',
              value: runbook.url,
              ref: runbook.url,
            },
          ],
        }
      : {
          status: 'fail',
          message: 'No link of type runbook in metadata.links.',
          evidence: [],
        };
  },
};

export const maturityChecksModule = createBackendModule({
  pluginId: 'maturity',
  moduleId: 'demo-checks',
  register(reg) {
    reg.registerInit({
      deps: { checks: maturityChecksExtensionPoint },
      async init({ checks }) {
        checks.addChecks(runbookLinkedCheck);
      },
    });
  },
});
