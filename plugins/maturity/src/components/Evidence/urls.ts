import { Entity } from '@backstage/catalog-model';

/** The CNCF Cloud Native Maturity Model site. */
export const MODEL_URL = 'https://maturitymodel.cncf.io/';

const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';

/**
 * The value as an absolute http(s) URL, else undefined. Everything that is
 * not http(s) (`javascript:`, `data:`, relative paths, entity refs) is shown
 * as text, never as a link.
 */
export function safeHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    return undefined;
  }
  try {
    const url = new URL(value.trim());
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname.length > 0
    ) {
      return url.href;
    }
  } catch {
    // not a URL
  }
  return undefined;
}

/**
 * The entity's `backstage.io/source-location` as an http(s) URL ending in a
 * slash, or undefined when it is missing, not of type `url:` or not http(s).
 */
export function sourceLocationUrl(entity: Entity): string | undefined {
  const raw = entity.metadata.annotations?.[SOURCE_LOCATION_ANNOTATION];
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  const target = trimmed.startsWith('url:') ? trimmed.slice(4) : trimmed;
  const href = safeHttpUrl(target);
  if (!href) return undefined;
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  let path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  // `https://github.com/<org>/<repo>` alone has no file view: open the
  // default branch, as GitHub does for `tree/HEAD`.
  if (
    url.hostname === 'github.com' &&
    path.split('/').filter(Boolean).length === 2
  ) {
    path = `${path}tree/HEAD/`;
  }
  url.pathname = path;
  return url.href;
}

/** Whether the entity declares a source location at all. */
export function hasSourceLocation(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[SOURCE_LOCATION_ANNOTATION]);
}

/**
 * The URL of a repository file, from the entity's source location and a path
 * relative to the repository root; undefined without an http(s) source
 * location. Each path segment is encoded and `.`/`..` are dropped, so the link
 * never leaves the repository location it starts from.
 */
export function repositoryFileUrl(
  entity: Entity,
  file: string,
  line?: number,
): string | undefined {
  const base = sourceLocationUrl(entity);
  if (!base || typeof file !== 'string') return undefined;
  const segments = file
    .split(/[\\/]+/)
    .filter(s => s.length > 0 && s !== '.' && s !== '..')
    .map(encodeURIComponent);
  if (segments.length === 0) return undefined;
  const anchor =
    typeof line === 'number' && Number.isInteger(line) && line > 0
      ? `#L${line}`
      : '';
  return `${base}${segments.join('/')}${anchor}`;
}

/**
 * The link behind a check's model reference. Built-in references read
 * `Level 2 Operate, People: organizational change`; the model has one page
 * per level (`/level-2/`), so the link opens that page. A reference that is
 * itself an http(s) URL is used as is; anything else opens the model's home.
 */
export function modelReferenceUrl(reference: string | undefined): string {
  const direct = safeHttpUrl(reference);
  if (direct) return direct;
  const match = /^\s*level\s+([1-5])\b/i.exec(reference ?? '');
  return match ? `${MODEL_URL}level-${match[1]}/` : MODEL_URL;
}
