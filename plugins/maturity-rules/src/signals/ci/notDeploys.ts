import { StepInput } from './steps';

// A job bound to an environment that removes it: a cleanup, teardown or
// preview deletion.
const TEARDOWN = [
  /\bhelm\s+(?:uninstall|delete|del)\b/,
  /\bkubectl\b.*\sdelete\b/,
  /\b(?:terraform|tofu)\s+destroy\b|\bpulumi\s+destroy\b|\bazd\s+down\b/,
  /\bgh\s+api\b.*\bdeployments\b/,
  /delete-deployment-environment|deployment-cleanup|\bcleanup\b|\bteardown\b|\btear-down\b/i,
];

// A job that only publishes release artifacts: archives, binaries, packages,
// charts, images. Publishing is not deploying anything.
const PUBLISH = [
  /\bgh\s+release\b/,
  /softprops\/action-gh-release|actions\/(?:create-release|upload-release-asset)|ncipollo\/release-action|release-drafter|googleapis\/release-please-action/,
  /\bgoreleaser\b/,
  /\b(?:npm|yarn|pnpm)\s+publish\b|JS-DevTools\/npm-publish/,
  /\bhelm\s+push\b|helm\/chart-releaser-action|\bcr\s+upload\b|\bhelm\s+cm-push\b/,
  /\boras\s+push\b|\bcrane\s+(?:push|copy)\b/,
  /\b(?:docker|podman|buildah)\s+(?:image\s+)?push\b|docker\/build-push-action/,
  /\btwine\s+upload\b|pypa\/gh-action-pypi-publish|\bcargo\s+publish\b|\bgem\s+push\b/,
  /\b(?:mvn|mvnw)\b.*\sdeploy\b|\bgradlew?\b.*\spublish/,
];

const texts = (s: StepInput) => [
  ...(s.uses ? [s.uses] : []),
  ...s.commands.map(c => c.text),
];

/**
 * True when a job bound to an environment shows, by its steps, that it does
 * not deploy: it tears the environment down or only publishes artifacts.
 */
export function bindsWithoutDeploying(steps: StepInput[]): boolean {
  const all = steps.flatMap(texts);
  return [...TEARDOWN, ...PUBLISH].some(p => all.some(t => p.test(t)));
}
