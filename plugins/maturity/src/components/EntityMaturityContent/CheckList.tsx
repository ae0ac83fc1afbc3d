import { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import {
  ANNOTATION_EXEMPT_PREFIX,
  CheckResult,
  levelName,
  MATURITY_AREAS,
  MaturityCheckDefinition,
  parseMaturityAnnotations,
} from '@cnmaturity/plugin-maturity-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { CheckStatusChip } from '../CheckStatusChip';
import { CodeText, Evidence, modelReferenceUrl } from '../Evidence';

const useStyles = makeStyles(theme => ({
  areaRow: {
    backgroundColor: theme.palette.background.default,
  },
  details: { display: 'block', padding: 0, overflowX: 'auto' },
  statusCell: { width: 130, verticalAlign: 'top' },
  topCell: { verticalAlign: 'top' },
}));

interface Row extends CheckResult {
  definition?: MaturityCheckDefinition;
}

interface Exemption {
  reason: string;
  until?: string;
}

/**
 * The reason and end of an exemption: from the entity's annotation when it
 * is there, else from the result's message and evidence.
 */
function exemptionOf(
  row: Row,
  declared: Record<string, { reason: string; until?: string }>,
): Exemption | undefined {
  if (row.status !== 'exempt') return undefined;
  if (Object.prototype.hasOwnProperty.call(declared, row.checkId)) {
    const { reason, until } = declared[row.checkId];
    return { reason, until };
  }
  const fromEvidence = row.evidence.find(
    e =>
      e.type === 'annotation' && e.label.startsWith(ANNOTATION_EXEMPT_PREFIX),
  )?.value;
  const match =
    /^Exempt:\s*(.*?)(?:\s*\(until (\d{4}-\d{2}-\d{2})\))?\s*$/s.exec(
      row.message,
    );
  const reason = fromEvidence ?? match?.[1] ?? row.message;
  return { reason, until: match?.[2] };
}

function CheckRow(props: { row: Row; entity: Entity; exemption?: Exemption }) {
  const { row, entity, exemption } = props;
  const classes = useStyles();
  const def = row.definition;
  return (
    <TableRow>
      <TableCell className={classes.statusCell}>
        <CheckStatusChip status={row.status} />
      </TableCell>
      <TableCell className={classes.topCell}>
        <Typography variant="body2" component="div">
          {def?.title ?? row.checkId}
          {def && def.kind !== 'required' && (
            <Chip
              size="small"
              variant="outlined"
              label={def.kind}
              style={{ marginLeft: 8 }}
            />
          )}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {row.checkId}
        </Typography>
      </TableCell>
      <TableCell className={classes.topCell}>
        {exemption ? (
          <>
            <Typography variant="body2">
              <strong>Exempt:</strong> {exemption.reason}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {exemption.until
                ? `Exemption expires after ${exemption.until}`
                : 'Exemption has no end date'}
            </Typography>
          </>
        ) : (
          <Typography variant="body2">{row.message}</Typography>
        )}
        {row.status === 'fail' && def?.remediation && (
          <Typography variant="caption" component="div">
            To fix: <CodeText text={def.remediation} />
          </Typography>
        )}
        {def && (row.status === 'fail' || row.status === 'unknown') && (
          <Typography variant="caption" component="div">
            <Link to={modelReferenceUrl(def.modelReference)}>
              {def.modelReference || 'CNCF Cloud Native Maturity Model'}
            </Link>
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.topCell}>
        <Evidence evidence={row.evidence} entity={entity} />
      </TableCell>
    </TableRow>
  );
}

function countText(rows: Row[]): string {
  const passed = rows.filter(
    r => r.status === 'pass' || r.status === 'exempt',
  ).length;
  const counted = rows.filter(r => r.status !== 'not-applicable').length;
  return `${passed} of ${counted} pass or are exempt`;
}

/**
 * Every check of the result, grouped by level and then area, with status,
 * message (exemptions with reason and end), fix and evidence. Levels up to
 * the next one are open; higher levels start collapsed.
 */
export function CheckList(props: {
  checks: CheckResult[];
  rubric: Map<string, MaturityCheckDefinition>;
  entity: Entity;
  /** Levels up to this one start expanded. */
  expandUpTo: number;
}) {
  const { checks, rubric, entity, expandUpTo } = props;
  const classes = useStyles();
  // What the reader opened or closed; the rest follows `expandUpTo`, also
  // when a re-evaluation moves the next level.
  const [toggled, setToggled] = useState<Record<number, boolean>>({});
  const declared = parseMaturityAnnotations(entity.metadata.annotations, {
    now: new Date(),
  }).exemptions;

  const rows: Row[] = checks.map(c => ({
    ...c,
    definition: rubric.get(c.checkId),
  }));
  // Checks the rubric does not know (yet) come last, as "Other checks".
  const levels = [1, 2, 3, 4, 5, 0];
  const areaIds = [...MATURITY_AREAS.map(a => a.id as string), ''];

  return (
    <>
      {levels.map(level => {
        const inLevel = rows.filter(r =>
          level === 0 ? !r.definition : r.definition?.level === level,
        );
        if (inLevel.length === 0) return null;
        const title =
          level === 0
            ? 'Other checks'
            : `Checks for Level ${level} · ${levelName(level)}`;
        return (
          <Accordion
            key={level}
            expanded={toggled[level] ?? (level === 0 || level <= expandUpTo)}
            onChange={(_, open) =>
              setToggled(current => ({ ...current, [level]: open }))
            }
          >
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <Box display="flex" alignItems="baseline" style={{ gap: 16 }}>
                <Typography variant="h6" component="h3">
                  {title}
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {countText(inLevel)}
                </Typography>
              </Box>
            </AccordionSummary>
            <AccordionDetails className={classes.details}>
              <Table size="small" aria-label={title}>
                <TableHead>
                  <TableRow>
                    <TableCell>Status</TableCell>
                    <TableCell>Check</TableCell>
                    <TableCell>Result</TableCell>
                    <TableCell>Evidence</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {areaIds.map(areaId => {
                    const inArea = inLevel.filter(
                      r => (r.definition?.area ?? '') === areaId,
                    );
                    if (inArea.length === 0) return null;
                    const areaTitle =
                      MATURITY_AREAS.find(a => a.id === areaId)?.title ??
                      'Unknown area';
                    return [
                      <TableRow
                        key={`area-${areaId}`}
                        className={classes.areaRow}
                      >
                        <TableCell colSpan={4}>
                          <Typography variant="subtitle2" component="span">
                            {areaTitle}
                          </Typography>
                        </TableCell>
                      </TableRow>,
                      ...inArea.map(row => (
                        <CheckRow
                          key={row.checkId}
                          row={row}
                          entity={entity}
                          exemption={exemptionOf(row, declared)}
                        />
                      )),
                    ];
                  })}
                </TableBody>
              </Table>
            </AccordionDetails>
          </Accordion>
        );
      })}
    </>
  );
}
