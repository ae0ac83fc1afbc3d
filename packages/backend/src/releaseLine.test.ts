import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(resolvePackagePath('backend'), '../..');

/**
 * Two copies of a core Backstage package (say, two backend-defaults) fail at
 * start in odd ways. Every @backstage package must resolve to exactly the
 * version the root package.json pins for release 1.55.
 */
describe('Backstage release line', () => {
  it('resolves every @backstage package once, to the pinned 1.55 version', () => {
    const { resolutions } = JSON.parse(
      fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
    );
    const lock = fs.readFileSync(path.join(root, 'yarn.lock'), 'utf8');
    const resolved = new Map<string, Set<string>>();
    for (const m of lock.matchAll(
      /^ {2}resolution: "(@backstage\/[^@]+)@npm:([^"]+)"$/gm,
    )) {
      const versions = resolved.get(m[1]) ?? new Set<string>();
      versions.add(m[2]);
      resolved.set(m[1], versions);
    }
    expect(resolved.size).toBeGreaterThan(40);
    const problems = [...resolved]
      .filter(
        ([name, versions]) =>
          versions.size !== 1 || !versions.has(resolutions[name]),
      )
      .map(
        ([name, versions]) =>
          `${name}: ${[...versions].join(', ')} (pinned ${resolutions[name]})`,
      );
    expect(problems).toEqual([]);
    expect(
      JSON.parse(fs.readFileSync(path.join(root, 'backstage.json'), 'utf8')),
    ).toEqual({ version: '1.55.0' });
  });
});
