import { Config } from '@backstage/config';
import { DEFAULT_SHARED_CI_DEPTH } from '@cnmaturity/plugin-maturity-rules';
import { SharedCiOptions } from './SharedCiReader';

const PLACEHOLDER = /\{(owner|repo|project|ref|path)\}/;

function invalid(key: string, problem: string): Error {
  return new Error(`Invalid config at 'maturity.sharedCi.${key}': ${problem}`);
}

/**
 * `maturity.sharedCi`: how deep shared CI definitions are followed, whose
 * actions are read, and URL templates for hosts that are not a GitHub or
 * GitLab integration. Problems throw at start, naming the key.
 */
export function readSharedCiOptions(config: Config): SharedCiOptions {
  const root = config.getOptionalConfig('maturity.sharedCi');
  const maxDepth =
    root?.getOptionalNumber('maxDepth') ?? DEFAULT_SHARED_CI_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 10) {
    throw invalid(
      'maxDepth',
      `must be a whole number from 0 to 10, got ${maxDepth}`,
    );
  }
  const organizations = root?.getOptionalStringArray('organizations') ?? [];
  const hosts = (root?.getOptionalConfigArray('hosts') ?? []).map((c, i) => {
    const host = c.getString('host');
    const fileUrl = c.getString('fileUrl');
    if (!/^[a-z0-9.-]+(?::\d+)?$/i.test(host)) {
      throw invalid(`hosts[${i}].host`, `"${host}" is not a host name`);
    }
    if (!/^https?:\/\//.test(fileUrl) || !PLACEHOLDER.test(fileUrl)) {
      throw invalid(
        `hosts[${i}].fileUrl`,
        `"${fileUrl}" must be an http(s) URL template using {owner}, {repo}, {project}, {ref} or {path}`,
      );
    }
    return { host, fileUrl };
  });
  return { maxDepth, organizations, hosts };
}
