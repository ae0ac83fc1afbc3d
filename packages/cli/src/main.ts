import fs from 'node:fs';
import { Command, parseCommand, ScanCommand, USAGE, UsageError } from './args';
import { formatJson } from './format/json';
import { formatMarkdown } from './format/markdown';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { scan, ScanReport } from './scan';

/**
 * Where output goes; a parameter so tests can catch it.
 * @public
 */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: t => process.stdout.write(t),
  stderr: t => process.stderr.write(t),
};

/**
 * Exit codes: 0 done, 1 below --fail-under, 2 a usage or read error.
 * @public
 */
export const EXIT = { ok: 0, belowThreshold: 1, error: 2 } as const;

function version(): string {
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
  return require('../package.json').version;
}

function render(command: ScanCommand, report: ScanReport): string {
  switch (command.format) {
    case 'json':
      return formatJson(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'sarif':
      return formatSarif(report, version());
    default:
      return formatText(report);
  }
}

/** The exit code of `--fail-under`, with a line saying why when it fails. */
function threshold(
  command: ScanCommand,
  report: ScanReport,
): { code: number; message?: string } {
  if (command.failUnder === undefined) return { code: EXIT.ok };
  let wanted = command.failUnder;
  if (wanted === 'target') {
    const target = report.record.details?.target;
    if (!target) {
      return {
        code: EXIT.error,
        message:
          '--fail-under target: catalog-info.yaml sets no cloud-native-maturity/target-level',
      };
    }
    wanted = target.level;
  }
  const level = report.repositoryLevel;
  return level < wanted
    ? {
        code: EXIT.belowThreshold,
        message: `cnmaturity: the repository is at level ${level}, below ${wanted} (--fail-under ${command.failUnder})\n`,
      }
    : { code: EXIT.ok };
}

function runScan(command: ScanCommand, io: Io): number {
  if (!fs.existsSync(command.dir) || !fs.statSync(command.dir).isDirectory()) {
    io.stderr(`cnmaturity: ${command.dir} is not a folder\n`);
    return EXIT.error;
  }
  const report = scan({
    dir: command.dir,
    type: command.type,
    entity: command.entity,
    maxFileBytes: command.maxFileBytes,
  });
  const text = render(command, report);
  if (command.output) {
    fs.writeFileSync(command.output, text);
  } else {
    io.stdout(text);
  }
  const { code, message } = threshold(command, report);
  if (message) io.stderr(message.endsWith('\n') ? message : `${message}\n`);
  return code;
}

/**
 * Runs one command line; never throws.
 * @public
 */
export function main(argv: readonly string[], io: Io = processIo): number {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cnmaturity: ${e.message}\n\n${USAGE}`);
    return EXIT.error;
  }
  if (command.command === 'help') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  if (command.command === 'version') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  try {
    return runScan(command, io);
  } catch (e) {
    io.stderr(`cnmaturity: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
}
