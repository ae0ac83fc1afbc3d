import { FoundTool } from '../../model';
import { StepFindings } from './steps';

/** What a job's steps, in order, do with a running instance. */
export interface JobRun {
  /** Deploys to a lasting environment (not to a cluster the job started itself). */
  deploys: FoundTool[];
  /** The first test of a running instance: a probe or test after a start or deploy. */
  smokeTest?: FoundTool;
}

const order = (step: number, t: FoundTool) => [step, t.line ?? 0] as const;
const before = (a: readonly [number, number], b: readonly [number, number]) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);

/**
 * A deploy after the job started its own kind/minikube cluster or compose
 * stack goes to that throwaway instance: a test setup, not a deploy. A
 * probe (curl, kubectl wait) or a test run after a start or a deploy tests
 * the running instance, which is what a smoke test is.
 */
export function readJobRun(steps: StepFindings[]): JobRun {
  let local: readonly [number, number] | undefined;
  let started: { at: readonly [number, number]; tool: string } | undefined;
  const deploys: FoundTool[] = [];
  let smokeTest: FoundTool | undefined;
  steps.forEach((f, i) => {
    for (const l of f.localInstances) {
      const at = order(i, l);
      if (!local || before(at, local)) local = at;
      if (!started || before(at, started.at)) started = { at, tool: l.tool };
    }
    for (const d of f.deploys) {
      const at = order(i, d);
      if (local && before(local, at)) continue;
      deploys.push(d);
      if (!started || before(at, started.at)) started = { at, tool: d.tool };
    }
    if (smokeTest || !started) return;
    const after = [...f.probes, ...f.tests]
      .filter(p => started && before(started.at, order(i, p)))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))[0];
    if (after) {
      smokeTest = { ...after, tool: `${after.tool} after ${started.tool}` };
    }
  });
  return { deploys, ...(smokeTest ? { smokeTest } : {}) };
}
