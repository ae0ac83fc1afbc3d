import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createHash } from 'node:crypto';
import {
  findSharedReferences,
  parseYaml,
  referenceKey,
  SharedCiContext,
  SharedCiFile,
  SharedReference,
  targetLabel,
  YamlDoc,
} from '@cnmaturity/plugin-maturity-rules';
import { repositoryOwner, SharedCiHost, sharedCiUrls } from './sharedCiUrls';

/** A shared file a cached extraction was made with, to see if it changed. */
export interface SharedFileVersion {
  url: string;
  /** The SCM's etag, or a hash of the content; absent when the read failed. */
  etag?: string;
}

export interface SharedCiOptions {
  /** How many levels of shared files calling shared files are followed. */
  maxDepth: number;
  /** Owners (GitHub organisations) whose actions are read, besides the repository's own. */
  organizations: string[];
  hosts: SharedCiHost[];
}

type Fetched =
  | { ok: true; url: string; etag: string; docs: YamlDoc[]; text: string }
  | { ok: false; url: string; reason: string; notFound: boolean };

/** Shared files are small; a larger one is not parsed. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Files remembered across cycles for conditional reads. */
const REMEMBERED = 2_000;

const hashText = (text: string) =>
  `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;

/** A shared file as an extraction worker receives it: the text, not the parse. */
export type SharedCiFileText =
  | Exclude<SharedCiFile, { status: 'read' }>
  | { status: 'read'; label: string; url: string; etag: string; text: string };

/** The shared files of one repository, resolved for extraction. */
export interface ResolvedSharedCi {
  context: SharedCiContext;
  /** The same files by reference key, for a worker to parse (cached there). */
  texts: Array<[string, SharedCiFileText]>;
  /** Every URL the extraction depends on, to revalidate an unchanged repository. */
  files: SharedFileVersion[];
}

export class SharedCiCycle {
  private readonly reads = new Map<string, Promise<Fetched>>();

  constructor(
    private readonly reader: { fetch(url: string): Promise<Fetched> },
    private readonly deps: {
      integrations?: ScmIntegrationRegistry;
      options: SharedCiOptions;
    },
  ) {}

  private read(url: string): Promise<Fetched> {
    let pending = this.reads.get(url);
    if (!pending) {
      pending = this.reader.fetch(url);
      this.reads.set(url, pending);
    }
    return pending;
  }

  /** The first URL that exists, for files with alternative names (action.yml/.yaml). */
  private async readFirst(urls: string[]): Promise<Fetched> {
    let result: Fetched | undefined;
    for (const url of urls) {
      result = await this.read(url);
      if (result.ok || !result.notFound) return result;
    }
    return result!;
  }

  /**
   * Reads what the references point at, and what those files call in turn,
   * up to the configured depth. Never throws: a file that cannot be read is
   * an `unreadable` entry with the reason.
   */
  async resolve(
    references: readonly SharedReference[],
    repositoryUrl: string,
    organizations: ReadonlySet<string>,
  ): Promise<ResolvedSharedCi> {
    const { options, integrations } = this.deps;
    const files = new Map<string, SharedCiFile>();
    const texts = new Map<string, SharedCiFileText>();
    const versions = new Map<string, SharedFileVersion>();
    let level = [...references];
    for (let depth = 1; depth <= options.maxDepth && level.length; depth++) {
      const next: SharedReference[] = [];
      await Promise.all(
        level.map(async reference => {
          const key = referenceKey(reference);
          if (files.has(key)) return;
          const label = targetLabel(reference);
          const located = sharedCiUrls(reference, repositoryUrl, {
            integrations,
            hosts: options.hosts,
          });
          if ('reason' in located) {
            files.set(key, {
              status: 'not-inspected',
              label,
              reason: located.reason,
            });
            return;
          }
          // Set before reading, so that a file reached twice is read once.
          files.set(key, { status: 'unreadable', label, reason: 'being read' });
          const fetched = await this.readFirst(located.urls);
          versions.set(fetched.url, {
            url: fetched.url,
            ...(fetched.ok ? { etag: fetched.etag } : {}),
          });
          if (!fetched.ok) {
            files.set(key, {
              status: 'unreadable',
              label,
              url: fetched.url,
              reason: `${label} could not be read: ${fetched.reason}`,
            });
            return;
          }
          files.set(key, {
            status: 'read',
            label,
            url: fetched.url,
            docs: fetched.docs,
          });
          texts.set(key, {
            status: 'read',
            label,
            url: fetched.url,
            etag: fetched.etag,
            text: fetched.text,
          });
          next.push(
            ...findSharedReferences(
              reference.kind,
              fetched.docs,
              reference.target.type === 'repo' ? undefined : reference.target,
              organizations,
            ),
          );
        }),
      );
      level = next;
    }
    return {
      context: {
        lookup: { get: key => files.get(key) },
        organizations,
        maxDepth: options.maxDepth,
      },
      texts: [...files].map(([key, file]) => [
        key,
        texts.get(key) ?? (file as SharedCiFileText),
      ]),
      files: [...versions.values()].sort((a, b) => a.url.localeCompare(b.url)),
    };
  }

  /**
   * Whether the shared files an extraction was made with are as they were:
   * `unchanged`, `changed` (re-extract), or the reason a file that was read
   * before cannot be read now (keep the last good result, marked stale).
   */
  async compare(
    files: readonly SharedFileVersion[],
  ): Promise<'unchanged' | 'changed' | { failed: string }> {
    const now = await Promise.all(files.map(f => this.read(f.url)));
    let changed = false;
    for (let i = 0; i < files.length; i++) {
      const before = files[i];
      const after = now[i];
      if (!after.ok && before.etag) {
        return {
          failed: `reading shared CI file ${before.url} failed: ${after.reason}`,
        };
      }
      if (
        after.ok !== Boolean(before.etag) ||
        (after.ok && after.etag !== before.etag)
      ) {
        changed = true;
      }
    }
    return changed ? 'changed' : 'unchanged';
  }
}

/**
 * Reads the shared CI files (reusable workflows, actions, included templates)
 * that repositories call, through the UrlReaderService so that every SCM
 * integration works. Each URL is read at most once per cycle, however many
 * repositories call it, and conditionally (by etag) from one cycle to the
 * next; what is read is parsed once per cycle too.
 */
export class SharedCiReader {
  private readonly remembered = new Map<
    string,
    { etag: string; docs: YamlDoc[]; text: string }
  >();

  constructor(
    private readonly deps: {
      urlReader: UrlReaderService;
      logger: LoggerService;
      integrations?: ScmIntegrationRegistry;
      options: SharedCiOptions;
      maxFileBytes: number;
      timeoutMs?: number;
    },
  ) {
    this.organizations = new Set(
      deps.options.organizations.map(o => o.toLocaleLowerCase('en-US')),
    );
  }

  private readonly organizations: ReadonlySet<string>;

  /** Whose actions a repository's CI may call: the configured owners and its own. */
  organizationsOf(repositoryUrl: string): ReadonlySet<string> {
    const owner = repositoryOwner(repositoryUrl, this.deps.integrations);
    return owner && !this.organizations.has(owner)
      ? new Set([...this.organizations, owner])
      : this.organizations;
  }

  /** One cycle's reads: every URL once. */
  startCycle(): SharedCiCycle {
    return new SharedCiCycle(this, this.deps);
  }

  /** @internal Reads one URL, conditionally when it was read before. */
  async fetch(url: string): Promise<Fetched> {
    const last = this.remembered.get(url);
    const { urlReader, maxFileBytes } = this.deps;
    try {
      const response = await withTimeout(
        urlReader.readUrl(url, last ? { etag: last.etag } : {}),
        this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      const buffer = await withTimeout(
        response.buffer(),
        this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      if (buffer.length > maxFileBytes) {
        return {
          ok: false,
          url,
          reason: `${buffer.length} bytes is over the ${maxFileBytes} byte limit`,
          notFound: false,
        };
      }
      const text = buffer.toString('utf8');
      const parsed = parseYaml(text);
      if (parsed.errors.length > 0) {
        return { ok: false, url, reason: parsed.errors[0], notFound: false };
      }
      const etag = response.etag || hashText(text);
      this.remember(url, { etag, docs: parsed.docs, text });
      return { ok: true, url, etag, docs: parsed.docs, text };
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      if (name === 'NotModifiedError' && last) {
        return { ok: true, url, ...last };
      }
      const reason = e instanceof Error ? e.message : String(e);
      this.deps.logger.warn(`Could not read shared CI file ${url}: ${reason}`);
      return {
        ok: false,
        url,
        reason: `reading it failed: ${reason}`.slice(0, 500),
        notFound: name === 'NotFoundError',
      };
    }
  }

  private remember(
    url: string,
    entry: { etag: string; docs: YamlDoc[]; text: string },
  ) {
    this.remembered.delete(url);
    this.remembered.set(url, entry);
    if (this.remembered.size > REMEMBERED) {
      this.remembered.delete(this.remembered.keys().next().value!);
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${ms / 1000} s`)),
          ms,
        );
        // A pending read must not keep a stopping backend alive.
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The repository's version with the versions of the shared files it calls. */
export function combinedEtag(
  etag: string | undefined,
  files: readonly SharedFileVersion[] | undefined,
): string | undefined {
  if (!files?.length || etag === undefined) return etag;
  const shared = createHash('sha256')
    .update(JSON.stringify(files.map(f => [f.url, f.etag ?? null])))
    .digest('hex')
    .slice(0, 16);
  return `${etag}+${shared}`;
}
