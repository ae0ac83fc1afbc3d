/*
 * Preloaded (--require) into the bench backend, which runs the workspace's
 * TypeScript compiled beforehand (driver/compileBackend.ts) rather than under
 * the CLI's transform. A compiled module resolves its imports as its source
 * file would; a workspace .ts file it resolves to is loaded from its
 * compiled copy. Extraction workers inherit the preload.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const { root, outDir } = JSON.parse(process.env.CNM_BENCH_COMPILED);

// Lets resolution find ./file.ts and a package's src/index.ts, which are
// then loaded from their compiled copies, never as TypeScript.
Module._extensions['.ts'] = (_module, filename) => {
  throw new Error(`${filename} cannot be loaded as TypeScript`);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveCompiled(request, parent, ...rest) {
  let from = parent;
  if (parent?.filename?.startsWith(outDir + path.sep)) {
    const source = path
      .join(root, path.relative(outDir, parent.filename))
      .replace(/\.js$/, '.ts');
    from = {
      id: source,
      filename: source,
      paths: Module._nodeModulePaths(path.dirname(source)),
    };
  }
  const resolved = resolve.call(this, request, from, ...rest);
  if (
    !resolved.endsWith('.ts') ||
    !resolved.startsWith(root + path.sep) ||
    resolved.includes(`${path.sep}node_modules${path.sep}`)
  ) {
    return resolved;
  }
  const compiled = path
    .join(outDir, path.relative(root, resolved))
    .replace(/\.ts$/, '.js');
  if (!fs.existsSync(compiled)) {
    throw new Error(`${resolved} has no compiled copy in ${outDir}`);
  }
  return compiled;
};
