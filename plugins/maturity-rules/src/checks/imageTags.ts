// What an image reference's tag says about the version shipped: a version or
// commit (`1.4.2`, `${{ github.sha }}`), a floating name (`latest`, none,
// `alpine`), or not knowable from the file (`$IMAGE`, a Helm template).

/** @see imageTagKind */
export type ImageTagKind = 'version' | 'floating' | 'unknown';

// `${{ github.sha }}`, `{{ .Tag }}`, `$(TAG)`, `${TAG}`, `$TAG`.
const VARIABLE =
  /\$\{\{([^}]*)\}\}|\{\{([^}]*)\}\}|\$[({]([^)}]*)[)}]|\$([A-Za-z_]\w*)/g;
// Unrendered Helm values as the template reader leaves them.
const TEMPLATE = /HELM_TEMPLATE|\.Values\b|\{\{|\$/;
// Words in a variable's name that make it a version, commit or ref.
const VERSION_WORDS = new Set([
  'sha',
  'commit',
  'ref',
  'tag',
  'tags',
  'version',
  'semver',
  'release',
  'digest',
  'major',
  'minor',
  'patch',
]);

const isVersionVariable = (name: string) =>
  name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some(word => VERSION_WORDS.has(word));

/** The variable names in a reference, e.g. `github.sha`, `.Tag`, `CI_COMMIT_SHA`. */
function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map(m =>
    (m[1] ?? m[2] ?? m[3] ?? m[4]).trim(),
  );
}

/** The tag of `registry:5000/team/app:tag@sha256:...`, if written. */
function tagOf(ref: string): { tag?: string; digest: boolean } {
  const at = ref.indexOf('@sha256:');
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  return {
    tag: colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined,
    digest: at >= 0,
  };
}

/**
 * What an image reference (or a bare tag, as `--tag=$GITHUB_SHA` gives)
 * ships: `version` for a version, commit, ref or digest; `floating` for
 * `latest`, `latest-amd64`, no tag or a name like `alpine`; `unknown` when a
 * variable or template hides it.
 */
export function imageTagKind(reference: string): ImageTagKind {
  const ref = reference.replace(/(\$?\{\{)\s*([^{}]*?)\s*(\}\})/g, '$1$2$3');
  const whole = /^(?:\$\{\{[^}]*\}\}|\{\{[^}]*\}\}|\$[({][^)}]*[)}]|\$\w+)$/;
  if (whole.test(ref)) {
    // The reference is one variable: its name is all there is to go by.
    return variablesIn(ref).some(isVersionVariable) ? 'version' : 'unknown';
  }
  const { tag, digest } = tagOf(ref);
  if (digest) return 'version';
  // A bare tag (`--tag=v1.2.3`, `IMAGE_TAG=1.4`) rather than a name.
  if (tag === undefined)
    return /^v?\d+(?:\.\d+)*$/.test(ref) ? 'version' : 'floating';
  if (/^latest(?:$|[-_.])/i.test(tag)) return 'floating';
  if (TEMPLATE.test(tag) || tag === '') {
    return variablesIn(tag).some(isVersionVariable) ? 'version' : 'unknown';
  }
  return /\d/.test(tag) ? 'version' : 'floating';
}

/**
 * Docker's official images (`postgres`, `docker.io/redis`, a mirror of
 * `library/redis`) are what a service runs beside, not the image it ships;
 * another bare name (`frontend`) is a local one a build tool replaces.
 */
export function isOfficialImage(reference: string): boolean {
  const name = reference
    .split('@')[0]
    .replace(/:[^/]*$/, '')
    .replace(/^(?:index\.)?docker\.io\//, '');
  return (
    !TEMPLATE.test(name) &&
    (!name.includes('/') || /(?:^|\/)library\/[^/]+$/.test(name))
  );
}
