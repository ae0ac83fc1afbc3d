/*
 * `--scm github`, after the full and unchanged cycles: an hour of churn at
 * the configured rate limit (1% of the repositories change; a cycle every
 * --cycle-minutes), then pushes one at a time, each timed from GitHub's
 * webhook to the entity's new result.
 */
import { JsonObject } from '@backstage/types';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeGitHubScm, ScmCounts } from '../scm/FakeGitHubScm';
import {
  CHURN_PER_HOUR,
  planSteadyState,
  pushableRepositories,
  PushableRepository,
} from '../scm/steadyState';
import { CYCLE_LINE, CycleMetrics, runCycle } from './cycle';
import { BackendClient } from './http';
import { startBackend } from './startBackend';
import type { RunContext } from './tool';

/** Pushes timed one at a time after the hour. */
export const PUSHES = 20;
/** How long a push may take to show in its entity's result. */
export const PUSH_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

/** An hour of 1% churn, in a backend restarted at the configured limit. */
export interface SteadyStateMetrics {
  /** The fake GitHub's limit per resource and hour during the hour and the pushes. */
  limit: number;
  /** The plugin's `maturity.scm.requestShare`. */
  requestShare: number;
  /** Repositories the cycles read successfully (what a push can change). */
  repositories: number;
  /** Share of them that changed in the hour. */
  churnShare: number;
  /** Repositories pushed (head moved, no webhook) before each cycle. */
  changedPerCycle: number[];
  /** The hour's cycles: 60 / --cycle-minutes of them. */
  cycles: CycleMetrics[];
  /** The backend's restart until its catalog was ready. */
  restartMs: number;
}

/** Pushes one at a time: webhook, then polling the entity's result. */
export interface PushLatencyMetrics {
  /** Milliseconds from the push to the entity's new result; null when not seen in time. */
  latenciesMs: Array<number | null>;
  timeoutMs: number;
  /** Deliveries the backend answered with something else than 202. */
  refused: number;
  /** Full cycles logged while the pushes ran (none expected: no trigger). */
  cycles: number;
  /** What the fake GitHub was asked while the pushes ran. */
  github: ScmCounts;
}

async function evaluatedAt(
  client: BackendClient,
  path: string,
): Promise<string | undefined> {
  const res = await client.fetch(path);
  if (res.status === 404) {
    await res.arrayBuffer();
    return undefined;
  }
  if (!res.ok)
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { evaluatedAt?: string }).evaluatedAt;
}

/**
 * Pushes to `target`'s repository through the webhook and polls its
 * entity until its result is newer than before the push: the milliseconds
 * that took, or null when it did not happen within the timeout.
 */
async function timePush(
  client: BackendClient,
  github: FakeGitHubScm,
  target: PushableRepository,
  secret: string,
): Promise<{ ms: number | null; status: number }> {
  const path = `/api/maturity/entities/component/default/${encodeURIComponent(
    target.service.name,
  )}`;
  const before = await evaluatedAt(client, path);
  const started = performance.now();
  const { status } = await github.sendPushWebhook(
    `${client.baseUrl}/api/events/http/github`,
    target.orgRepo,
    { secret },
  );
  if (status !== 202) return { ms: null, status };
  while (performance.now() - started < PUSH_TIMEOUT_MS) {
    const at = await evaluatedAt(client, path);
    if (at && (!before || Date.parse(at) > Date.parse(before))) {
      return { ms: performance.now() - started, status };
    }
    await sleep(POLL_MS);
  }
  return { ms: null, status };
}

/**
 * The steady state after an organisation's first read: sets the fake's
 * configured limit (a new window) and restarts the backend on the same
 * database, since the plugin's request budget remembers in memory what it
 * spent in the last hour, and the first read's requests (made at a raised
 * limit) would otherwise count against the configured one: the restart
 * stands for "an hour or more later". Then one hour of churn, and the
 * pushes.
 */
export async function runScmSteadyState(args: {
  context: RunContext;
  github: FakeGitHubScm;
  /** The backend's whole plugin config, as for the first backend. */
  config: JsonObject;
  requestShare: number;
  webhookSecret: string;
  cycleTimeoutMs: number;
}): Promise<{
  steadyState: SteadyStateMetrics;
  pushes: PushLatencyMetrics;
  warnings: string[];
}> {
  const { context, github } = args;
  const { options, organisation, log } = context;
  const cyclesPerHour = Math.max(1, Math.round(60 / options.cycleMinutes));
  const repositories = pushableRepositories(organisation);
  const plan = planSteadyState(repositories, {
    share: CHURN_PER_HOUR,
    cycles: cyclesPerHour,
    pushes: PUSHES,
  });
  github.setLimit(options.scmLimit);
  log(
    `steady state: restarting the backend at the configured limit, ${options.scmLimit}/h per resource`,
  );
  const restartStarted = Date.now();
  const started = await startBackend(
    context,
    'maturity',
    args.config,
    'github',
    { logName: 'backend-steady-state.log' },
  );
  const restartMs = Date.now() - restartStarted;
  const { backend, client } = started;
  const warnings = [...started.warnings];
  try {
    const cycles: CycleMetrics[] = [];
    for (const [i, changed] of plan.churn.entries()) {
      for (const r of changed) github.push(r.orgRepo);
      log(
        `steady state: cycle ${i + 1}/${plan.churn.length} after ${
          changed.length
        } of ${repositories.length} repositories changed`,
      );
      const cycle = await runCycle(
        backend,
        client,
        args.cycleTimeoutMs,
        undefined,
        github,
      );
      const c = cycle.github!;
      log(
        `  ${cycle.evaluated} evaluated, ${cycle.unchanged} unchanged; ${c.resources.core} core requests, ${c.resources.graphql} GraphQL points, ${cycle.held} reads held`,
      );
      cycles.push(cycle);
    }

    const cycleLines = backend.countLines(CYCLE_LINE);
    const mark = github.requests.length;
    const latenciesMs: Array<number | null> = [];
    let refused = 0;
    for (const [i, target] of plan.pushes.entries()) {
      const { ms, status } = await timePush(
        client,
        github,
        target,
        args.webhookSecret,
      );
      if (status !== 202) refused++;
      latenciesMs.push(ms);
      let outcome = `new result in ${((ms ?? 0) / 1000).toFixed(2)} s`;
      if (status !== 202) outcome = `webhook answered ${status}`;
      else if (ms === null) {
        outcome = `no new result in ${PUSH_TIMEOUT_MS / 1000} s`;
      }
      log(
        `push ${i + 1}/${plan.pushes.length} to ${target.orgRepo}: ${outcome}`,
      );
    }
    const pushes: PushLatencyMetrics = {
      latenciesMs,
      timeoutMs: PUSH_TIMEOUT_MS,
      refused,
      cycles: cycleLines.stop(),
      github: github.counts(mark),
    };

    for (const [i, cycle] of cycles.entries()) {
      if (cycle.held) {
        warnings.push(
          `the request budget held back ${
            cycle.held
          } reads in steady-state cycle ${i + 1}`,
        );
      }
      if (cycle.github?.rateLimited) {
        warnings.push(
          `the fake GitHub refused ${
            cycle.github.rateLimited
          } requests of steady-state cycle ${
            i + 1
          } for its rate limit (--scm-limit ${options.scmLimit})`,
        );
      }
    }
    if (refused) {
      warnings.push(`${refused} push webhooks were not accepted (not 202)`);
    }
    if (pushes.cycles) {
      warnings.push(`${pushes.cycles} cycles ran while the pushes were timed`);
    }
    const missed = latenciesMs.filter(ms => ms === null).length - refused;
    if (missed > 0) {
      warnings.push(
        `${missed} of ${
          latenciesMs.length
        } pushes showed no new result within ${PUSH_TIMEOUT_MS / 1000} s`,
      );
    }
    return {
      steadyState: {
        limit: options.scmLimit,
        requestShare: args.requestShare,
        repositories: repositories.length,
        churnShare: CHURN_PER_HOUR,
        changedPerCycle: plan.churn.map(c => c.length),
        cycles,
        restartMs,
      },
      pushes,
      warnings,
    };
  } finally {
    await backend.stop();
  }
}
