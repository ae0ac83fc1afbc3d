// The image references a CI step builds or pushes, as written, so the
// container-image check can tell a version/commit tag from `latest`.

// `${{ github.sha }}` and goreleaser's `{{ .Tag }}` carry spaces; close them up
// so one reference stays one word.
const closeUpTemplates = (text: string) =>
  text.replace(/(\$?\{\{)\s*([^{}]*?)\s*(\}\})/g, '$1$2$3');

// A flag and its value: `-t ref`, `--tag=ref` (skaffold: a bare tag),
// `--destination ref`, `-Djib.to.image=ref`.
const FLAG_VALUE =
  /(?:^|\s)(?:-t|--tags?|--destination|-Djib\.to\.image|-Djib\.to\.tags|-Dimage)(?:=|\s+)(\S+)/g;
// `make docker DOCKER_IMAGE_TAG=v1`, `IMAGE_TAG=$SHA make push`: a bare tag;
// a `--build-arg` is not one.
const TAG_ASSIGNMENT = /(?<!--build-arg)(?:^|\s)[A-Z_]*TAG=(\S+)/g;
// `docker tag src dst` names the pushed reference second; `docker push ref`.
const TAG_OR_PUSH =
  /\b(?:docker|podman|buildah)\s+(?:image\s+)?(?:tag\s+\S+|push)\s+(?:--?\S+\s+)*([^\s-]\S*)/g;
// A serialised `uses:` step (see steps.ts): `tags=a,b c` up to the next input.
const TAGS_INPUT = /(?:^|\s)tags=(.*?)(?=\s[\w-]+=|$)/;

const unquote = (word: string) => word.replace(/^["']+|["',;]+$/g, '');

/** Every image reference or tag named on one command line or serialised step. */
export function imageTagsIn(line: string): string[] {
  const text = closeUpTemplates(line);
  const found: string[] = [];
  for (const m of text.matchAll(FLAG_VALUE)) {
    found.push(...m[1].split(','));
  }
  for (const m of text.matchAll(TAG_OR_PUSH)) {
    found.push(m[1]);
  }
  if (text.startsWith('uses ')) {
    // Only the `tags` input: `build-args` hold VERSION=... that are no tags.
    const input = TAGS_INPUT.exec(text);
    if (input) found.push(...input[1].split(/[\s,]+/));
  } else {
    for (const m of text.matchAll(TAG_ASSIGNMENT)) {
      found.push(m[1]);
    }
  }
  return [...new Set(found.map(unquote).filter(Boolean))];
}
