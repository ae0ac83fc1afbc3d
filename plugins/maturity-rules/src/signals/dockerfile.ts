import { DockerfileFacts } from '../model';

/** Instructions with their first line; continuation lines (`\`) joined. */
function instructions(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!pending && (!trimmed || trimmed.startsWith('#'))) {
      return;
    }
    if (pending && trimmed.startsWith('#')) {
      return; // comments inside a continued instruction are dropped by Docker too
    }
    const body = trimmed.replace(/\\$/, '').trim();
    if (pending) {
      pending.text += ` ${body}`;
    } else {
      pending = { text: body, line: i + 1 };
    }
    if (!trimmed.endsWith('\\')) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) {
    out.push(pending);
  }
  return out;
}

/** `${NAME}`/`$NAME` from global ARG defaults; undefined when one has no default. */
function substitute(
  value: string,
  args: Map<string, string | undefined>,
): string | undefined {
  let unresolved = false;
  const result = value.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g,
    (_, name: string, fallback?: string) => {
      const v = args.get(name) ?? fallback;
      if (v === undefined) {
        unresolved = true;
        return '';
      }
      return v;
    },
  );
  return unresolved ? undefined : result;
}

/** Splits `registry:5000/repo/name:tag@sha256:...` into image, tag and digest. */
export function parseImageRef(ref: string): {
  image: string;
  tag?: string;
  digest?: string;
} {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return {
    image: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

type BaseImage = DockerfileFacts['baseImages'][number];

/**
 * Every FROM (image, tag, digest, line) and the runtime user of a Dockerfile.
 * Images built from ARGs resolve through global ARG defaults; without a
 * default the reference is kept as written (`golang:${GO_VERSION}`), so a
 * check can tell it apart from an untagged image. A FROM that names an earlier
 * stage is not an image: it carries that stage's base image and `fromStage`.
 * The user is the last USER of the final stage, or of the stage it builds on,
 * as Docker inherits it; a USER in a build stage that is only copied from
 * does not count.
 */
export function parseDockerfile(file: string, text: string): DockerfileFacts {
  const facts: DockerfileFacts = { file, baseImages: [] };
  const globalArgs = new Map<string, string | undefined>();
  const stages: Array<{
    name?: string;
    base: BaseImage;
    user?: DockerfileFacts['user'];
  }> = [];
  for (const ins of instructions(text)) {
    const m = /^(\w+)\s*(.*)$/.exec(ins.text);
    if (!m) {
      continue;
    }
    const keyword = m[1].toUpperCase();
    const args = m[2].trim();
    if (keyword === 'ARG' && stages.length === 0) {
      const a = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(args);
      if (a) {
        globalArgs.set(a[1], a[2]?.replace(/^["']|["']$/g, ''));
      }
    } else if (keyword === 'FROM') {
      const words = args.split(/\s+/).filter(w => !w.startsWith('--'));
      const raw = words[0];
      if (!raw) {
        continue;
      }
      const ref =
        (raw.includes('$') ? substitute(raw, globalArgs) : raw) ?? raw;
      // Stage names are case-insensitive; the latest stage of a name wins.
      const parent = [...stages]
        .reverse()
        .find(s => s.name === ref.toLowerCase());
      const at = { line: ins.line, file };
      const base: BaseImage = parent
        ? { ...parent.base, ...at, fromStage: parent.name }
        : { ...parseImageRef(ref), ...at };
      facts.baseImages.push(base);
      stages.push({
        name:
          words[1]?.toLowerCase() === 'as'
            ? words[2]?.toLowerCase()
            : undefined,
        base,
        user: parent?.user,
      });
    } else if (keyword === 'USER' && args && stages.length > 0) {
      stages[stages.length - 1].user = { value: args, line: ins.line, file };
    }
  }
  const user = stages[stages.length - 1]?.user;
  return user ? { ...facts, user } : facts;
}
