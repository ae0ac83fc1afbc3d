import {
  CiDeploy,
  CiPipeline,
  CiSystem,
  CiTriggers,
  FileLocation,
} from '../../model';
import { ToolPatterns } from '../tools';
import { bindsWithoutDeploying } from './notDeploys';
import { readJobRun } from './runningInstance';
import { recognizeStep, StepFindings, StepInput } from './steps';

/** What a CI parser returns: the pipeline and the environments its jobs name. */
export interface ParsedPipeline {
  pipeline: CiPipeline;
  environments: Array<FileLocation & { name: string }>;
  /** References that were not followed, and why. */
  notes?: Array<{ file: string; message: string }>;
}

export function noTriggers(): CiTriggers {
  return {
    pullRequest: false,
    pushDefaultBranch: false,
    tags: false,
    schedule: false,
    manual: false,
  };
}

export function emptyPipeline(system: CiSystem, file: string): CiPipeline {
  return {
    system,
    file,
    triggers: noTriggers(),
    tests: [],
    smokeTests: [],
    imageBuilds: [],
    deploys: [],
    scanners: [],
    actions: { total: 0, pinnedBySha: 0 },
    tools: [],
    shared: [],
  };
}

/** Facts about a job that decide whether (and when) it deploys. */
export interface JobFacts {
  id: string;
  file: string;
  line?: number;
  /** For a job of a shared file: where it was read, and the calling file. */
  url?: string;
  calledFrom?: FileLocation['calledFrom'];
  environment?: string;
  onDefaultBranch: boolean;
  onTags: boolean;
  manualApproval: boolean;
  /**
   * The job binds an environment (or the system's deploy construct), so it
   * deploys even without a recognised deploy tool, unless its steps show
   * otherwise. Words in a job's name are not enough: the steps decide.
   */
  looksLikeDeploy: boolean;
}

/**
 * Runs the recognisers over the steps of one job and adds what they find to
 * the pipeline. A scan step without a visible target inherits the overlay or
 * values file an earlier step of the same job rendered.
 */
export function addJob(
  pipeline: CiPipeline,
  job: JobFacts,
  steps: StepInput[],
  patterns: ToolPatterns,
): void {
  let lastTarget: string | undefined;
  let pushesToGit = false;
  const findings: StepFindings[] = [];
  for (const step of steps) {
    const f = recognizeStep(step, patterns);
    findings.push(f);
    pipeline.tests.push(...f.tests);
    pipeline.smokeTests.push(...f.smokeTests);
    pipeline.imageBuilds.push(...f.imageBuilds);
    for (const s of f.scanners) {
      const target =
        s.kind === 'config' || s.kind === 'policy'
          ? f.target ?? lastTarget
          : undefined;
      pipeline.scanners.push(target ? { ...s, target } : s);
    }
    pipeline.tools.push(...f.tools);
    if (f.target) {
      lastTarget = f.target;
    }
    if (step.commands.some(c => /\bgit\s+push\b/.test(c.text))) {
      pushesToGit = true;
    }
  }
  const run = readJobRun(findings);
  if (run.smokeTest) pipeline.smokeTests.push(run.smokeTest);
  const deploySteps = run.deploys;
  if (
    deploySteps.length === 0 &&
    (!job.looksLikeDeploy || bindsWithoutDeploying(steps))
  ) {
    return;
  }
  // The strongest evidence first: rules earlier in the list win (kubectl apply over a kustomize edit).
  const rank = (tool: string) => {
    const i = patterns.deploys.findIndex(r => r.tool === tool);
    return i < 0 ? patterns.deploys.length : i;
  };
  const first = [...deploySteps].sort((a, b) => rank(a.tool) - rank(b.tool))[0];
  // Without a deploy tool, a deploy job that commits is a GitOps promotion.
  const tool = first?.tool ?? (pushesToGit ? 'git push' : 'deploy job');
  const deploy: CiDeploy = {
    tool,
    file: job.file,
    onDefaultBranch: job.onDefaultBranch,
    onTags: job.onTags,
    manualApproval: job.manualApproval,
  };
  if (job.url) deploy.url = job.url;
  if (job.calledFrom) deploy.calledFrom = job.calledFrom;
  const line = first?.line ?? job.line;
  if (line !== undefined) {
    deploy.line = line;
  }
  if (job.environment) {
    deploy.environment = job.environment;
  }
  pipeline.deploys.push(deploy);
}

const byLocation = <T extends FileLocation & { tool?: string; ref?: string }>(
  a: T,
  b: T,
): number =>
  a.file.localeCompare(b.file) ||
  (a.line ?? 0) - (b.line ?? 0) ||
  (a.tool ?? '').localeCompare(b.tool ?? '') ||
  (a.ref ?? '').localeCompare(b.ref ?? '') ||
  (a.calledFrom?.file ?? '').localeCompare(b.calledFrom?.file ?? '');

/** Sorts every list so the extraction is stable from run to run. */
export function finishPipeline(pipeline: CiPipeline): CiPipeline {
  pipeline.tests.sort(byLocation);
  pipeline.smokeTests.sort(byLocation);
  pipeline.imageBuilds.sort(byLocation);
  pipeline.deploys.sort(byLocation);
  pipeline.scanners.sort(byLocation);
  pipeline.tools = [...new Set(pipeline.tools)].sort();
  pipeline.shared.sort(byLocation);
  return pipeline;
}

export function sortByLocation<T extends FileLocation & { tool?: string }>(
  items: T[],
): T[] {
  return items.sort(byLocation);
}
