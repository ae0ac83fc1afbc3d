import { parseArgs } from 'node:util';
import { parseTargetLevel } from '@cnmaturity/plugin-maturity-common';

export const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanCommand {
  command: 'scan';
  dir: string;
  format: Format;
  /** Exit 1 below this level, or below the entity's target. */
  failUnder?: number | 'target';
  type: string;
  entity?: string;
  output?: string;
  maxFileBytes?: number;
}

export type Command =
  | ScanCommand
  | { command: 'help' }
  | { command: 'version' };

export const USAGE = `Usage: cnmaturity scan [dir] [options]

Rates a checkout on the CNCF Cloud Native Maturity Model with the checks of
the Backstage maturity plugins. In a git work tree only tracked files count.

Options:
  --format <text|json|markdown|sarif>  output (default text)
  --fail-under <level|target>          exit 1 when the repository's level is
                                       below 0-5 (or build, operate, scale,
                                       improve, adapt), or below the target
                                       set in catalog-info.yaml
  --type <type>                        spec.type without catalog-info.yaml
                                       (default service; library, website, ...)
  --entity <name>                      which Component of catalog-info.yaml
  --output <file>                      write the report there, not to stdout
  --max-file-bytes <n>                 skip larger files (default 1048576)
  -h, --help                           this text
  -v, --version                        the version
`;

/** A mistake on the command line: printed with the usage, exit 2. */
export class UsageError extends Error {}

function failUnder(value: string): number | 'target' {
  if (value === 'target') return 'target';
  if (value.trim() === '0') return 0;
  const level = parseTargetLevel(value);
  if (level === undefined) {
    throw new UsageError(
      `--fail-under must be a level 0-5, a level name (build, operate, scale, improve, adapt) or "target", got "${value}"`,
    );
  }
  return level;
}

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'fail-under': { type: 'string' },
        type: { type: 'string' },
        entity: { type: 'string' },
        output: { type: 'string' },
        'max-file-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, dir = '.', ...extra] = positionals;
  if (command !== 'scan') {
    throw new UsageError(
      command ? `unknown command "${command}"` : 'a command is needed',
    );
  }
  if (extra.length) {
    throw new UsageError(`scan takes one folder, got also ${extra.join(' ')}`);
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`,
    );
  }
  let maxFileBytes: number | undefined;
  if (values['max-file-bytes'] !== undefined) {
    maxFileBytes = Number(values['max-file-bytes']);
    if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) {
      throw new UsageError(
        `--max-file-bytes must be a positive whole number, got "${values['max-file-bytes']}"`,
      );
    }
  }
  return {
    command: 'scan',
    dir,
    format,
    type: values.type ?? 'service',
    ...(values['fail-under'] !== undefined
      ? { failUnder: failUnder(values['fail-under']) }
      : {}),
    ...(values.entity ? { entity: values.entity } : {}),
    ...(values.output ? { output: values.output } : {}),
    ...(maxFileBytes ? { maxFileBytes } : {}),
  };
}
