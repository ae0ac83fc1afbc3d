import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { transformFileSync } from '@swc/core';
import fs from 'node:fs';
import path from 'node:path';

/** The backend under test, compiled to JavaScript. */
export interface CompiledBackend {
  /** The compiled bench server, to fork. */
  server: string;
  /** Preload (--require) that resolves workspace modules to their copies. */
  preload: string;
  /** Environment the preload reads. */
  env: Record<string, string>;
}

const BENCH = '@cnmaturity/bench';

function packageDir(name: string): string {
  return path.dirname(resolvePackagePath(name, 'package.json'));
}

/** This package and the workspace packages it depends on, transitively. */
function workspacePackages(): string[] {
  const dirs = new Set<string>();
  const visit = (name: string) => {
    const dir = packageDir(name);
    if (dirs.has(dir)) return;
    dirs.add(dir);
    const pkg = JSON.parse(
      fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
    );
    for (const [dep, range] of Object.entries<string>(pkg.dependencies ?? {})) {
      if (range.startsWith('workspace:')) visit(dep);
    }
  };
  visit(BENCH);
  return [...dirs];
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      f =>
        f.isFile() &&
        f.name.endsWith('.ts') &&
        !f.name.endsWith('.d.ts') &&
        !f.name.endsWith('.test.ts'),
    )
    .map(f => path.join(f.parentPath, f.name));
}

/**
 * Compiles the bench server and the workspace packages it loads to
 * JavaScript under `outDir`, so that the backend runs as a deployed one
 * does. Under the CLI's TypeScript transform the process also holds the SWC
 * compiler, a module-hooks thread and inline source maps, in the extraction
 * worker too: about 65 MiB of RSS that no production backend has.
 */
export function compileBackend(outDir: string): CompiledBackend {
  const root = path.resolve(packageDir(BENCH), '../..');
  for (const dir of workspacePackages()) {
    for (const file of sourceFiles(path.join(dir, 'src'))) {
      const { code } = transformFileSync(file, {
        swcrc: false,
        module: { type: 'commonjs' },
        jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
      });
      const target = path
        .join(outDir, path.relative(root, file))
        .replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, code);
    }
  }
  const benchDir = path.relative(root, packageDir(BENCH));
  return {
    server: path.join(outDir, benchDir, 'src/server/server.js'),
    preload: resolvePackagePath(BENCH, 'src/server/compiledModules.cjs'),
    env: { CNM_BENCH_COMPILED: JSON.stringify({ root, outDir }) },
  };
}
