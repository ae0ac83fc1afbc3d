import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';
import { ScanReport } from '../scan';

const SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The repository file a piece of evidence points at: the caller, for a shared file. */
function location(e: CheckEvidence, files: ReadonlySet<string>) {
  const file = e.via ? e.via.label : e.label;
  const line = e.via ? e.via.line : e.line;
  if (e.type !== 'file' || !files.has(file)) return undefined;
  return {
    physicalLocation: {
      artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' },
      region: { startLine: line ?? 1 },
    },
  };
}

/**
 * SARIF 2.1.0 for code scanning: one result per failing check that names a
 * file of the checkout (a check that fails for want of a file has nowhere to
 * be annotated, and is left to the other formats).
 */
export function formatSarif(report: ScanReport, version: string): string {
  const files = new Set(report.extraction.files);
  const defs = new Map(report.checks.map(c => [c.id, c]));
  const results = report.record.checks.flatMap(r => {
    const def = defs.get(r.checkId);
    if (r.status !== 'fail' || !def) return [];
    const locations = r.evidence
      .map(e => location(e, files))
      .filter(<T>(l: T | undefined): l is T => l !== undefined)
      .slice(0, 10);
    if (locations.length === 0) return [];
    return [
      {
        ruleId: r.checkId,
        level: def.kind === 'required' ? 'warning' : 'note',
        message: { text: `${r.message} Fix: ${def.remediation}` },
        locations,
      },
    ];
  });
  const sarif = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cnmaturity',
            informationUri: 'https://maturitymodel.cncf.io/',
            version,
            rules: report.checks.map(c => ({
              id: c.id,
              name: c.id.replace(/[.-](\w)/g, (_, ch: string) =>
                ch.toUpperCase(),
              ),
              shortDescription: { text: c.title },
              fullDescription: { text: c.rule ?? c.title },
              help: { text: c.remediation },
              properties: { level: c.level, area: c.area, kind: c.kind },
            })),
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
