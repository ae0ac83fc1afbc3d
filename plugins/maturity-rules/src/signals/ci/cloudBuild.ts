import { ToolPatterns } from '../tools';
import { asString, isRecord, YamlDoc } from '../yaml';
import {
  addJob,
  emptyPipeline,
  finishPipeline,
  ParsedPipeline,
} from './pipeline';
import { commandLines, StepInput } from './steps';

/** `cloudbuild.yaml`, `cloudbuild-*.yaml`, or a file in a `cloudbuild/` directory. */
export const CLOUD_BUILD =
  /(?:^|\/)(?:cloudbuild[\w.-]*\.ya?ml|cloudbuild\/[^/]+\.ya?ml)$/;

const SHELLS = new Set(['bash', 'sh', '/bin/bash', '/bin/sh']);

/** `gcr.io/cloud-builders/docker:latest` -> `docker`. */
const toolOfImage = (image: string) =>
  image
    .replace(/[@:][^/]*$/, '')
    .split('/')
    .pop() ?? image;

/**
 * One Cloud Build step as shell lines: its `script`, a shell entrypoint's
 * `-c` argument, or the builder image's tool (or `entrypoint`) with `args`,
 * e.g. `docker build -t ...` for `gcr.io/cloud-builders/docker`.
 */
function stepOf(
  file: string,
  doc: YamlDoc,
  path: Array<string | number>,
  step: Record<string, unknown>,
): StepInput {
  const image = asString(step.name) ?? '';
  const entrypoint = asString(step.entrypoint);
  const args = Array.isArray(step.args)
    ? step.args.map(a => String(a ?? ''))
    : [];
  const line = doc.lineAt(path);
  const script = asString(step.script);
  let commands;
  if (script) {
    const at = doc.lineAt([...path, 'script']);
    commands = commandLines(script, at === undefined ? at : at + 1);
  } else if (entrypoint && SHELLS.has(entrypoint) && args[0] === '-c') {
    const at = doc.lineAt([...path, 'args', 1]);
    commands = commandLines(args[1] ?? '', at);
  } else {
    const tool = entrypoint ?? toolOfImage(image);
    commands = [
      {
        text: [tool, ...args].join(' '),
        line: doc.lineAt([...path, 'args']) ?? line,
      },
    ];
  }
  return {
    file,
    line,
    name: asString(step.id),
    commands,
    ...(image ? { uses: `image ${image}` } : {}),
  };
}

/**
 * A Google Cloud Build config. Its triggers are configured in Google Cloud
 * (or in Terraform), not in the file, so they are marked as unknown.
 */
export function parseCloudBuild(
  file: string,
  doc: YamlDoc,
  patterns: ToolPatterns,
): ParsedPipeline {
  const pipeline = emptyPipeline('cloud-build', file);
  pipeline.triggers.configuredOutside = true;
  const v = isRecord(doc.value) ? doc.value : {};
  const steps = Array.isArray(v.steps) ? v.steps : [];
  const inputs = steps
    .map((s, i) =>
      isRecord(s) ? stepOf(file, doc, ['steps', i], s) : undefined,
    )
    .filter((s): s is StepInput => s !== undefined);
  addJob(
    pipeline,
    {
      id: file,
      file,
      line: doc.lineAt(['steps']),
      onDefaultBranch: false,
      onTags: false,
      manualApproval: false,
      looksLikeDeploy: false,
    },
    inputs,
    patterns,
  );
  return { pipeline: finishPipeline(pipeline), environments: [] };
}
