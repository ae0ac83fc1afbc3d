import { RepoExtraction } from '../../model';
import { isRecord } from '../yaml';

type DependencyUpdate = RepoExtraction['dependencyUpdates'][number];

const RENOVATE =
  /^(?:\.github\/|\.gitlab\/)?(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/;

export function isRenovateConfig(path: string): boolean {
  return RENOVATE.test(path);
}

export function isDependabotConfig(path: string): boolean {
  return /^\.github\/dependabot\.ya?ml$/.test(path);
}

/** JSON5 is JSON with comments and trailing commas in practice. */
function parseJsonLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const stripped = text
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/,(\s*[}\]])/g, '$1');
    try {
      return JSON.parse(stripped);
    } catch {
      return undefined;
    }
  }
}

/**
 * Renovate opens security PRs when `vulnerabilityAlerts` is configured (and
 * not disabled) or `osvVulnerabilityAlerts` is on. Renovate's own default
 * depends on repository settings that files do not show, so a bare
 * `config:recommended` does not count.
 */
export function readRenovate(file: string, text: string): DependencyUpdate {
  const config = parseJsonLoose(text);
  let securityUpdates = false;
  if (isRecord(config)) {
    const va = config.vulnerabilityAlerts;
    securityUpdates =
      (isRecord(va) && va.enabled !== false) ||
      config.osvVulnerabilityAlerts === true;
  } else {
    // Unparsable JSON5: fall back to the text.
    securityUpdates =
      /vulnerabilityAlerts|osvVulnerabilityAlerts\s*["']?\s*:\s*true/.test(
        text,
      );
  }
  return { tool: 'renovate', file, line: 1, securityUpdates };
}

/**
 * Dependabot security updates are a repository setting, not in the file.
 * A dependabot.yml with at least one `updates` entry means the repository
 * is watched by Dependabot; `open-pull-requests-limit: 0` is GitHub's
 * documented way to get security updates only, so it counts too.
 */
export function readDependabot(file: string, value: unknown): DependencyUpdate {
  const updates = isRecord(value) ? value.updates : undefined;
  return {
    tool: 'dependabot',
    file,
    line: 1,
    securityUpdates: Array.isArray(updates) && updates.some(isRecord),
  };
}
