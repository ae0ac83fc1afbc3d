import { imageTagKind, isOfficialImage } from './imageTags';

describe('imageTagKind', () => {
  it.each([
    ['ghcr.io/acme/app:1.4.2', 'version'],
    ['ghcr.io/acme/app:v5', 'version'],
    ['ghcr.io/acme/app@sha256:ab12', 'version'],
    ['ghcr.io/acme/app:${{ github.sha }}', 'version'],
    ['ghcr.io/acme/app:${{ github.ref_name }}', 'version'],
    ['$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA', 'version'],
    ['$(IMAGE):$(TAG)', 'version'],
    ['traefik/whoami:{{ .Tag }}', 'version'],
    ['acme/app:v{{ .Major }}.{{ .Minor }}', 'version'],
    ['${{ steps.meta.outputs.tags }}', 'version'],
    ['$GITHUB_SHA', 'version'],
    ['v1.2.3', 'version'],
    ['ghcr.io/acme/app', 'floating'],
    ['ghcr.io/acme/app:latest', 'floating'],
    ['gcr.io/distroless/static:latest-amd64', 'floating'],
    ['registry:5000/app', 'floating'],
    ['ghcr.io/acme/app:main', 'floating'],
    ['$IMAGE', 'unknown'],
    ['ghcr.io/acme/app:pr-${{ github.event.number }}', 'unknown'],
    ['ghcr.io/acme/app:.Values.image.tag', 'unknown'],
    ['ghcr.io/acme/app:', 'unknown'],
  ])('%s is %s', (ref, kind) => {
    expect(imageTagKind(ref)).toBe(kind);
  });
});

describe('isOfficialImage', () => {
  it.each([
    ['postgres:16', true],
    ['docker.io/redis:7', true],
    ['public.ecr.aws/docker/library/mysql:8.0', true],
    ['ghcr.io/acme/app:1.0', false],
    ['dsyer/petclinic', false],
    ['HELM_TEMPLATE:HELM_TEMPLATE', false],
  ])('%s: %s', (ref, official) => {
    expect(isOfficialImage(ref)).toBe(official);
  });
});
