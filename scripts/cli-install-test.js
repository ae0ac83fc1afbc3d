#!/usr/bin/env node
/*
 * The CLI as an adopter gets it: packs @cnmaturity/maturity-cli and the two
 * packages it needs from the workspace (built beforehand), installs the
 * tarballs with this machine's Node and npm (Node 20 is enough) into an
 * empty folder, and runs `cnmaturity scan` on an example repository. Checks
 * the install stays under 50 MB, each format prints, and --fail-under sets
 * the exit code.
 *
 * YARN names the yarn to pack with (npm test passes its shim).
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGES = [
  'plugins/maturity-common',
  'plugins/maturity-rules',
  'packages/cli',
];
const MAX_INSTALL_BYTES = 50 * 1024 * 1024;
const yarn = process.env.YARN ?? 'yarn';

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  if (ok) passed++;
  else failed++;
}

function sh(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.error) throw res.error;
  return res;
}

function du(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += du(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cnmaturity-cli-'));
const packs = path.join(work, 'packs');
fs.mkdirSync(packs);
for (const pkg of PACKAGES) {
  const res = sh(yarn, ['pack', '-o', path.join(packs, '%s-%v.tgz')], {
    cwd: path.join(ROOT, pkg),
  });
  if (res.status !== 0) {
    console.error(res.stdout, res.stderr);
    throw new Error(`yarn pack failed in ${pkg}`);
  }
}

const app = path.join(work, 'app');
fs.mkdirSync(app);
fs.writeFileSync(path.join(app, 'package.json'), '{"private":true}\n');
const tarballs = fs.readdirSync(packs).map(f => path.join(packs, f));
// The machine's npm, without the workspace's yarn or Node 22 in the way.
const env = { ...process.env };
for (const k of Object.keys(env)) if (/^npm_/.test(k)) delete env[k];
const install = sh(
  'npm',
  ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs],
  { cwd: app, env },
);
check(
  'npm installs the packed tarballs',
  install.status === 0,
  install.stderr.trim(),
);

const size = du(path.join(app, 'node_modules'));
check(
  `the install is under 50 MB with Node ${process.version}`,
  size < MAX_INSTALL_BYTES,
  `${(size / 1024 / 1024).toFixed(1)} MB`,
);
const backstageBackend = fs.existsSync(
  path.join(app, 'node_modules/@backstage/backend-plugin-api'),
);
check('it carries no Backstage backend framework', !backstageBackend);

const bin = path.join(app, 'node_modules/.bin/cnmaturity');
const repo = path.join(ROOT, 'examples/repos/checkout-service');
const scan = (...args) =>
  sh(process.execPath, [bin, 'scan', repo, ...args], { cwd: app, env });

const json = scan('--format', 'json');
let result;
try {
  result = JSON.parse(json.stdout);
} catch {
  result = undefined;
}
check(
  'scan --format json prints the entity result',
  json.status === 0 && result?.checks?.length > 0 && result.level >= 0,
  json.stderr.trim(),
);
const text = scan();
check('scan prints text', text.status === 0 && /^Level \d/m.test(text.stdout));
const md = scan('--format', 'markdown');
check('scan prints markdown', md.status === 0 && md.stdout.startsWith('### '));
const sarif = scan('--format', 'sarif');
check(
  'scan prints SARIF 2.1.0',
  sarif.status === 0 && JSON.parse(sarif.stdout).version === '2.1.0',
);
const level = result?.scan?.repositoryLevel ?? 0;
check(
  '--fail-under at the level exits 0',
  scan('--fail-under', String(level)).status === 0,
);
check(
  '--fail-under above the level exits 1',
  level === 5 || scan('--fail-under', String(level + 1)).status === 1,
);
check('a wrong option exits 2', scan('--format', 'xml').status === 2);

fs.rmSync(work, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
