import { RepoExtraction } from '../../model';
import { asStringList, isRecord } from '../yaml';
import { parseJson5 } from './json5';

type DependencyUpdate = RepoExtraction['dependencyUpdates'][number];

const RENOVATE =
  /^(?:\.github\/|\.gitlab\/)?(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/;

export function isRenovateConfig(path: string): boolean {
  return RENOVATE.test(path);
}

export function isDependabotConfig(path: string): boolean {
  return /^\.github\/dependabot\.ya?ml$/.test(path);
}

/**
 * Renovate opens security PRs when `vulnerabilityAlerts` is configured (and
 * not disabled) or `osvVulnerabilityAlerts` is on. Renovate's own default
 * depends on repository settings that files do not show, so a bare
 * `config:recommended` does not count.
 */
export function readRenovate(file: string, text: string): DependencyUpdate {
  const config = parseJson5(text);
  let securityUpdates = false;
  let sharedPresets: string[] = [];
  if (isRecord(config)) {
    const va = config.vulnerabilityAlerts;
    securityUpdates =
      (isRecord(va) && va.enabled !== false) ||
      config.osvVulnerabilityAlerts === true;
    // An explicit `enabled: false` is the repository's last word.
    if (!(isRecord(va) && va.enabled === false)) {
      sharedPresets = (asStringList(config.extends) ?? []).filter(
        isSharedPreset,
      );
    }
  } else {
    // Unparsable JSON5: fall back to the text.
    securityUpdates =
      /vulnerabilityAlerts|osvVulnerabilityAlerts\s*["']?\s*:\s*true/.test(
        text,
      );
  }
  return {
    tool: 'renovate',
    file,
    line: 1,
    securityUpdates,
    ...(sharedPresets.length && !securityUpdates ? { sharedPresets } : {}),
  };
}

// Renovate's built-in preset namespaces (`config:recommended`, `:semanticCommits`, ...).
const BUILTIN_PRESET =
  /^(?:config|default|docker|group|helpers|monorepo|npm|packages|preview|replacements|schedule|security|workarounds|regexManagers|customManagers|abandonments|mergeConfidence)?:[\w.-]+(?:\(.*\))?$/;

/** A preset from another repository or package: `github>org/repo`, `local>...`, `@org/x`. */
function isSharedPreset(preset: string): boolean {
  return !BUILTIN_PRESET.test(preset.trim());
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
