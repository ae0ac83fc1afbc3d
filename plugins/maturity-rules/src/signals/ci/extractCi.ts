import { CiPipeline, CiSystem, RepoExtraction } from '../../model';
import { ToolPatterns } from '../tools';
import { buildTargetRules } from './buildTargets';
import { isRecord, YamlDoc } from '../yaml';
import {
  LocalActions,
  parseCompositeAction,
  parseGithubWorkflow,
} from './githubActions';
import { CLOUD_BUILD, parseCloudBuild } from './cloudBuild';
import { parseGitlabCi } from './gitlab';
import { parseJenkinsfile } from './jenkins';
import { parseOtherCi } from './otherSystems';
import { ParsedPipeline } from './pipeline';
import {
  findSharedReferences,
  noSharedCi,
  SharedCiContext,
  SharedReference,
} from './sharedReferences';

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const COMPOSITE_ACTION = /^(\.github\/actions\/.+)\/action\.ya?ml$/;
const GITLAB_ROOT = /^\.gitlab-ci\.ya?ml$/;
const GITLAB_INCLUDE = /^\.gitlab\/ci\/.+\.ya?ml$/;
const JENKINSFILE = /(?:^|\/)Jenkinsfile(?:\.[\w-]+)?$/;
const OTHER: Array<[CiSystem, RegExp]> = [
  ['circleci', /^\.circleci\/config\.ya?ml$/],
  ['azure-pipelines', /^(?:\.azure-pipelines\/.+|azure-pipelines)\.ya?ml$/],
  ['tekton', /^\.tekton\/.+\.ya?ml$/],
  ['bitbucket-pipelines', /^bitbucket-pipelines\.ya?ml$/],
  ['drone', /^\.drone\.ya?ml$/],
];

/** True for files that are CI configuration (and so not manifests). */
export function isCiFile(path: string): boolean {
  return (
    WORKFLOW.test(path) ||
    COMPOSITE_ACTION.test(path) ||
    GITLAB_ROOT.test(path) ||
    GITLAB_INCLUDE.test(path) ||
    JENKINSFILE.test(path) ||
    CLOUD_BUILD.test(path) ||
    OTHER.some(([, p]) => p.test(path))
  );
}

/**
 * The shared CI files the repository's CI calls directly, to be read before
 * extraction (those files' own calls are found as they are read).
 */
export function findRepositorySharedReferences(
  paths: ReadonlyArray<string>,
  yaml: ReadonlyMap<string, YamlDoc[]>,
  organizations: ReadonlySet<string>,
): SharedReference[] {
  return paths.flatMap(path => {
    const docs = yaml.get(path) ?? [];
    if (WORKFLOW.test(path)) {
      return findSharedReferences(
        'github-workflow',
        docs,
        undefined,
        organizations,
      );
    }
    if (COMPOSITE_ACTION.test(path)) {
      return findSharedReferences(
        'github-action',
        docs,
        undefined,
        organizations,
      );
    }
    if (GITLAB_ROOT.test(path) || GITLAB_INCLUDE.test(path)) {
      return findSharedReferences(
        'gitlab',
        docs,
        undefined,
        organizations,
        yaml,
      );
    }
    return [];
  });
}

/** The patterns plus rules for the repository's own build targets. */
function withRepositoryTargets(
  patterns: ToolPatterns,
  extra: Partial<ToolPatterns>,
): ToolPatterns {
  const out = { ...patterns };
  for (const key of Object.keys(extra) as Array<keyof ToolPatterns>) {
    const more = extra[key] ?? [];
    if (more.length > 0) (out[key] as unknown[]) = [...out[key], ...more];
  }
  return out;
}

/** Every CI pipeline in the repository and the environments its jobs deploy to. */
export function extractCi(
  paths: ReadonlyArray<string>,
  texts: ReadonlyMap<string, string>,
  yaml: ReadonlyMap<string, YamlDoc[]>,
  patterns: ToolPatterns,
  shared: SharedCiContext = noSharedCi,
): {
  ci: CiPipeline[];
  environments: RepoExtraction['environments'];
  notes: RepoExtraction['notes'];
} {
  const repoPatterns = withRepositoryTargets(
    patterns,
    buildTargetRules(
      paths,
      texts,
      yaml,
      patterns,
      paths.filter(isCiFile).map(p => texts.get(p) ?? ''),
    ),
  );
  const parsed: ParsedPipeline[] = [];
  const localActions = new Map<
    string,
    ReturnType<typeof parseCompositeAction>
  >();
  for (const path of paths) {
    const m = COMPOSITE_ACTION.exec(path);
    const doc = yaml.get(path)?.[0];
    if (m && doc) {
      localActions.set(m[1], parseCompositeAction(path, doc));
    }
  }
  const actions: LocalActions = localActions;
  const gitlabFiles: Array<{ file: string; doc: YamlDoc }> = [];
  const workflows = new Map<string, YamlDoc>();
  for (const path of paths) {
    const doc = yaml.get(path)?.[0];
    if (WORKFLOW.test(path) && doc) workflows.set(path, doc);
  }
  for (const path of paths) {
    const docs = yaml.get(path) ?? [];
    if (WORKFLOW.test(path) && docs[0]) {
      parsed.push(
        parseGithubWorkflow(path, docs[0], repoPatterns, actions, {
          shared,
          workflows,
        }),
      );
    } else if (GITLAB_ROOT.test(path) && docs[0]) {
      gitlabFiles.unshift({ file: path, doc: docs[0] });
    } else if (GITLAB_INCLUDE.test(path)) {
      docs.forEach(doc => gitlabFiles.push({ file: path, doc }));
    } else if (JENKINSFILE.test(path)) {
      parsed.push(parseJenkinsfile(path, texts.get(path) ?? '', repoPatterns));
    } else if (CLOUD_BUILD.test(path)) {
      // Only a file with build steps is a build config.
      const doc = docs[0];
      if (doc && isRecord(doc.value) && Array.isArray(doc.value.steps)) {
        parsed.push(parseCloudBuild(path, doc, repoPatterns));
      }
    } else {
      const other = OTHER.find(([, p]) => p.test(path));
      if (other && docs.length > 0) {
        parsed.push(parseOtherCi(other[0], path, docs, repoPatterns));
      }
    }
  }
  // Included files alone are no pipeline: GitLab needs the root file.
  if (gitlabFiles.length > 0 && GITLAB_ROOT.test(gitlabFiles[0].file)) {
    parsed.push(
      parseGitlabCi(gitlabFiles, repoPatterns, { shared, repoYaml: yaml }),
    );
  }
  return {
    ci: parsed
      .map(p => p.pipeline)
      .sort((a, b) => a.file.localeCompare(b.file)),
    environments: parsed.flatMap(p =>
      p.environments.map(e => ({ ...e, via: 'ci-environment' as const })),
    ),
    notes: parsed.flatMap(p => p.notes ?? []),
  };
}
