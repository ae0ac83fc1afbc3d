import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileBackend } from './compileBackend';

describe('compileBackend', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnm-compile-test-'));
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  /** Runs a script in a plain Node process with the preload, no transform. */
  function runCompiled(script: string) {
    const compiled = compileBackend(outDir);
    const output = execFileSync(
      process.execPath,
      ['--require', compiled.preload, '-e', script],
      {
        env: { ...process.env, ...compiled.env },
        encoding: 'utf8',
        stdio: 'pipe',
      },
    );
    return { compiled, output: output.trim() };
  }

  it('runs the workspace packages as JavaScript, resolved to their compiled copies', () => {
    const { compiled, output } = runCompiled(`
      const { generateOrganisation } = require(${JSON.stringify(
        path.join(outDir, 'packages/bench/src/generator/generate.js'),
      )});
      const { loadTemplates } = require(${JSON.stringify(
        path.join(outDir, 'packages/bench/src/generator/templates.js'),
      )});
      const org = generateOrganisation(
        { seed: 1, entities: 20, broken: 0 },
        loadTemplates(),
      );
      const plugin = require(${JSON.stringify(
        path.join(outDir, 'plugins/maturity-backend/src/index.js'),
      )});
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify({
        services: org.services.length,
        plugin: typeof plugin.default,
        common: loaded.filter(f => f.includes('plugins/maturity-common/')).length > 0,
        typescript: loaded.filter(f => f.endsWith('.ts')),
        outside: loaded.filter(f => f.startsWith(${JSON.stringify(
          path.resolve(__dirname, '../../../../plugins'),
        )})),
      }));
    `);
    expect(fs.existsSync(compiled.server)).toBe(true);
    expect(compiled.server.startsWith(outDir)).toBe(true);
    // Test files are not compiled.
    expect(
      fs.existsSync(path.join(outDir, 'packages/bench/src/report.test.js')),
    ).toBe(false);
    expect(JSON.parse(output)).toEqual({
      services: 20,
      plugin: 'object',
      // Reached through its package name, from compiled code.
      common: true,
      typescript: [],
      outside: [],
    });
  });

  it('names the file when a workspace module has no compiled copy', () => {
    // Tests are left out of the compiled copy.
    const test = path.join(__dirname, 'compileBackend.test');
    expect(() => runCompiled(`require(${JSON.stringify(test)})`)).toThrow(
      /compileBackend\.test\.ts has no compiled copy/,
    );
  });
});
