import { FileLocation } from '../../model';

/**
 * OpenTelemetry SDKs a service depends on directly, read from its dependency
 * manifests line by line (no lock files, no full parse). Monorepos keep one
 * manifest per service, so each manifest is read on its own.
 */

/** The manifests read; lock files (package-lock.json, go.sum, ...) never are. */
export const DEPENDENCY_MANIFEST =
  /(?:^|\/)(?:go\.mod|package\.json|requirements[\w.-]*\.(?:txt|in)|pyproject\.toml|pom\.xml|build\.gradle(?:\.kts)?|[^/]+\.csproj)$/;

export type OpenTelemetryDependency = FileLocation & { dependency: string };

type Found = { name: string; line: number } | undefined;

const lines = (text: string) => text.split('\n');

/** go.mod: a `go.opentelemetry.io/otel|contrib` requirement not marked `// indirect`. */
function goMod(text: string): Found {
  let block = '';
  for (const [i, raw] of lines(text).entries()) {
    const line = raw.trim();
    const open = /^(\w+)\s*\($/.exec(line);
    if (open) block = open[1];
    else if (line === ')') block = '';
    const m =
      /^(?:require\s+)?(go\.opentelemetry\.io\/(?:otel|contrib)\S*)\s+v\S+(.*)$/.exec(
        line,
      );
    const required = block === 'require' || line.startsWith('require ');
    if (m && required && !/\/\/\s*indirect\b/.test(m[2])) {
      return { name: m[1], line: i + 1 };
    }
  }
  return undefined;
}

/** package.json: an `@opentelemetry/*` entry of `dependencies` (not dev). */
function packageJson(text: string): Found {
  let deps: unknown;
  try {
    deps = (JSON.parse(text) as { dependencies?: unknown })?.dependencies;
  } catch {
    return undefined;
  }
  if (!deps || typeof deps !== 'object') return undefined;
  const name = Object.keys(deps).find(k => k.startsWith('@opentelemetry/'));
  if (!name) return undefined;
  // The entry's line: the first mention after the "dependencies" key.
  const at = text.indexOf(`"${name}"`, text.indexOf('"dependencies"'));
  return { name, line: text.slice(0, Math.max(at, 0)).split('\n').length };
}

/**
 * requirements*.txt/.in: an `opentelemetry-*` requirement. In pip-compile
 * output, one pulled in only `# via` other packages is transitive.
 */
function requirements(text: string): Found {
  const all = lines(text);
  for (const [i, raw] of all.entries()) {
    const m = /^(opentelemetry-[\w.-]+)/i.exec(raw);
    if (!m) continue;
    const via: string[] = [];
    for (let j = i + 1; j < all.length && /^\s+#/.test(all[j]); j++) {
      via.push(all[j]);
    }
    const transitive =
      via.length > 0 &&
      /#\s*via\b/.test(via[0]) &&
      !via.some(v => /#\s*(?:via\s+)?-r\s/.test(v));
    if (!transitive) return { name: m[1], line: i + 1 };
  }
  return undefined;
}

/** pyproject.toml: an `opentelemetry-*` entry outside dev/test tables and groups. */
function pyproject(text: string): Found {
  const DEV = /^(?:dev|test|tests|lint|docs)$/i;
  let skip = false;
  let group = false;
  for (const [i, raw] of lines(text).entries()) {
    const line = raw.replace(/(?:^|\s)#.*$/, '');
    const table = /^\s*\[+([^\]]+)\]/.exec(line);
    if (table) {
      skip = table[1].split('.').some(part => DEV.test(part.trim()));
      skip ||= table[1].trim() === 'dependency-groups';
      group = false;
      continue;
    }
    // A named list in a table: `dev = [` under optional-dependencies.
    const list = /^\s*([\w-]+)\s*=\s*\[/.exec(line);
    if (list) group = DEV.test(list[1]);
    const m = /(?:^\s*|["'])(opentelemetry-[\w.-]+)/i.exec(line);
    if (m && !skip && !group && !/^\s*name\s*=/.test(line)) {
      return { name: m[1], line: i + 1 };
    }
  }
  return undefined;
}

/** pom.xml: an `io.opentelemetry*` dependency, or the Java agent. */
function pom(text: string): Found {
  // A BOM import or an exclusion names the group without using it.
  let managed = false;
  for (const [i, raw] of lines(text).entries()) {
    if (/<(?:dependencyManagement|exclusions)>/.test(raw)) managed = true;
    if (/<\/(?:dependencyManagement|exclusions)>/.test(raw)) managed = false;
    const m = /<groupId>\s*(io\.opentelemetry[\w.]*)\s*<\/groupId>/.exec(raw);
    const agent = /opentelemetry-javaagent/.test(raw);
    if (!managed && agent)
      return { name: 'opentelemetry-javaagent', line: i + 1 };
    if (!managed && m) return { name: m[1], line: i + 1 };
  }
  return undefined;
}

/** build.gradle(.kts): an `io.opentelemetry*:` coordinate, not a BOM or test-only, or the agent. */
function gradle(text: string): Found {
  for (const [i, raw] of lines(text).entries()) {
    if (/^\s*\/\/|\bplatform\s*\(|^\s*test\w*\s*[(\s'"]/.test(raw)) continue;
    const m = /["'](io\.opentelemetry[\w.]*:[\w.-]+)/.exec(raw);
    if (m) return { name: m[1], line: i + 1 };
    if (/opentelemetry-javaagent/.test(raw)) {
      return { name: 'opentelemetry-javaagent', line: i + 1 };
    }
  }
  return undefined;
}

/** *.csproj: a `PackageReference` to `OpenTelemetry*`. */
function csproj(text: string): Found {
  for (const [i, raw] of lines(text).entries()) {
    const m = /<PackageReference\s+Include\s*=\s*"(OpenTelemetry[\w.]*)"/i.exec(
      raw,
    );
    if (m) return { name: m[1], line: i + 1 };
  }
  return undefined;
}

/** The first direct OpenTelemetry dependency of a manifest, as evidence. */
export function openTelemetryDependency(
  path: string,
  text: string,
): OpenTelemetryDependency | undefined {
  const base = path.split('/').pop() ?? '';
  let found: Found;
  if (base === 'go.mod') found = goMod(text);
  else if (base === 'package.json') found = packageJson(text);
  else if (base.startsWith('requirements')) found = requirements(text);
  else if (base === 'pyproject.toml') found = pyproject(text);
  else if (base === 'pom.xml') found = pom(text);
  else if (base.startsWith('build.gradle')) found = gradle(text);
  else if (base.endsWith('.csproj')) found = csproj(text);
  return found
    ? { file: path, line: found.line, dependency: found.name }
    : undefined;
}
