/*
 * `npm run bench`: generates a synthetic organisation of N services, runs
 * the real maturity backend against it, and Tech Insights on the same
 * catalog (per engine, per run, each in a fresh child process and
 * database), and prints a Markdown report.
 *
 *   npm run bench -- --entities 10000 [--runs 3] [--engine sqlite|pg|both]
 *                    [--seed 1] [--broken 0.02] [--out FILE] [--scm github]
 *
 * Progress goes to stderr, the report to stdout (and FILE with --out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BenchDatabase,
  pgDatabase,
  pgReachable,
  sqliteDatabase,
} from './driver/database';
import { compileBackend } from './driver/compileBackend';
import { maturityTool, RunMetrics } from './driver/maturityTool';
import { parseOptions, USAGE, UsageError } from './driver/options';
import {
  TechInsightsMetrics,
  techInsightsTool,
} from './driver/techInsightsTool';
import { BenchTool } from './driver/tool';
import { generateOrganisation } from './generator/generate';
import { DEFAULT_EXAMPLES_DIR, loadTemplates } from './generator/templates';
import { writeRepositories } from './generator/writeRepositories';
import { MachineInfo, OrganisationInfo, renderReport } from './report';

/** The tools measured side by side, each with its own result list. */
const TOOLS = {
  maturity: maturityTool,
  'tech-insights': techInsightsTool,
} as const;

function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

const redact = (url: string) =>
  url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function main() {
  const started = Date.now();
  const log = (message: string) =>
    process.stderr.write(
      `[bench ${((Date.now() - started) / 1000)
        .toFixed(0)
        .padStart(5)} s] ${message}\n`,
    );
  const options = parseOptions(process.argv.slice(2));
  const notes: string[] = [];

  let engines = options.engines;
  if (engines.includes('pg') && !(await pgReachable(options.pgUrl))) {
    if (options.engineExplicit) {
      throw new Error(
        `PostgreSQL is not reachable at ${redact(options.pgUrl)}`,
      );
    }
    engines = engines.filter(e => e !== 'pg');
    notes.push(
      `PostgreSQL was not reachable at ${redact(options.pgUrl)}: SQLite only.`,
    );
  }

  const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cnm-bench-'));
  log(`work directory ${workRoot}; engines ${engines.join(', ')}`);
  const templates = loadTemplates(DEFAULT_EXAMPLES_DIR);
  const compiled = compileBackend(path.join(workRoot, 'backend'));
  const results: RunMetrics[] = [];
  const techInsights: TechInsightsMetrics[] = [];
  const collect = (name: keyof typeof TOOLS, result: any) => {
    if (name === 'maturity') results.push(result);
    else techInsights.push(result);
  };
  const organisations: OrganisationInfo[] = [];
  let failed = false;
  try {
    for (const size of options.entities) {
      const generationStarted = Date.now();
      const organisation = generateOrganisation(
        { seed: options.seed, entities: size, broken: options.broken },
        templates,
      );
      const reposDir = path.join(workRoot, `repos-${size}`);
      const written = writeRepositories(organisation, templates, reposDir);
      const generationMs = Date.now() - generationStarted;
      organisations.push({
        counts: organisation.counts,
        repositories: organisation.repositories.length,
        repositoryFiles: written.files,
        repositoryBytes: written.bytes,
        generationMs,
      });
      log(
        `generated ${size} services, ${
          organisation.entities.length
        } entities, ${organisation.repositories.length} repositories in ${(
          generationMs / 1000
        ).toFixed(1)} s`,
      );
      for (const engine of engines) {
        for (const toolName of options.tools) {
          const tool: BenchTool<RunMetrics | TechInsightsMetrics> =
            TOOLS[toolName];
          for (let run = 0; run < options.runs; run++) {
            const workDir = path.join(
              workRoot,
              `${tool.name}-${engine}-${size}-run${run + 1}`,
            );
            fs.mkdirSync(workDir, { recursive: true });
            const database: BenchDatabase =
              engine === 'sqlite'
                ? sqliteDatabase(path.join(workDir, 'db'))
                : pgDatabase(options.pgUrl);
            log(
              `${tool.name} on ${engine}, ${size} services, run ${run + 1}/${
                options.runs
              }`,
            );
            try {
              const result = await tool.run({
                options,
                organisation,
                examplesDir: DEFAULT_EXAMPLES_DIR,
                reposDir,
                workDir,
                compiled,
                database,
                run,
                log: m => log(`  ${m}`),
              });
              collect(toolName, result);
              log(
                `  done in ${(result.wallMs / 1000).toFixed(0)} s${
                  result.warnings.length
                    ? `; ${result.warnings.join('; ')}`
                    : ''
                }`,
              );
            } catch (e) {
              failed = true;
              log(`  FAILED: ${e instanceof Error ? e.stack : e}`);
              log(`  backend log: ${path.join(workDir, 'backend.log')}`);
              throw e;
            } finally {
              await database.dispose(
                options.keep || (failed && engine === 'sqlite'),
              );
            }
          }
        }
      }
    }
  } finally {
    if (options.keep || failed) {
      log(`kept ${workRoot}`);
    } else {
      fs.rmSync(workRoot, { recursive: true, force: true });
    }
  }

  const report = renderReport({
    machine: machineInfo(),
    organisations,
    seed: options.seed,
    broken: options.broken,
    runs: options.runs,
    durationS: options.duration,
    connections: options.connections,
    historyDays: options.historyDays,
    heapLimitMiB: options.heapLimitMiB,
    memoryLimitMiB: options.memoryLimitMiB,
    cpuLimitCores: options.cpuLimitCores,
    results,
    techInsights,
    notes,
    ...(options.scm === 'github'
      ? {
          scm: { limit: options.scmLimit, cycleMinutes: options.cycleMinutes },
        }
      : {}),
  });
  process.stdout.write(report);
  if (options.out) {
    // Relative to where `npm run bench` was typed, not this package.
    const out = path.resolve(
      process.env.INIT_CWD ?? process.cwd(),
      options.out,
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, report);
    fs.writeFileSync(
      `${out}.json`,
      `${JSON.stringify(
        {
          options,
          machine: machineInfo(),
          organisations,
          results,
          techInsights,
        },
        null,
        2,
      )}\n`,
    );
    log(`report written to ${out} (raw results in ${out}.json)`);
  }
  log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  e => {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`${e.message}\n\n`);
      process.stderr.write(USAGE);
      process.exit(e.message ? 2 : 0);
    }
    process.stderr.write(
      `Benchmark failed: ${e instanceof Error ? e.stack : e}\n`,
    );
    process.exit(1);
  },
);
