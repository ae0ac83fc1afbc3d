import { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  MATURITY_ANNOTATION_PREFIX,
  MaturityAnnotationMessage,
} from '@cnmaturity/plugin-maturity-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ErrorIcon from '@material-ui/icons/ErrorOutline';

interface AnnotationRow {
  key: string;
  value: string;
  messages: string[];
}

/** The entity's maturity annotations, each with the problems found in it. */
function annotationRows(
  entity: Entity,
  messages: MaturityAnnotationMessage[],
): AnnotationRow[] {
  const annotations = entity.metadata.annotations ?? {};
  const rows = new Map<string, AnnotationRow>();
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(MATURITY_ANNOTATION_PREFIX)) continue;
    rows.set(key, { key, value: String(value), messages: [] });
  }
  // A message can name an annotation the catalog no longer shows as is
  // (e.g. the entity changed since the evaluation); it still gets a row.
  for (const m of messages) {
    const row = rows.get(m.annotation) ?? {
      key: m.annotation,
      value: m.value,
      messages: [],
    };
    row.messages.push(m.message);
    rows.set(m.annotation, row);
  }
  return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * The `cloud-native-maturity/*` annotations of the entity with their values
 * and, next to each invalid one, what is wrong with it.
 */
export function AnnotationsCard(props: {
  entity: Entity;
  messages?: MaturityAnnotationMessage[];
}) {
  const rows = annotationRows(props.entity, props.messages ?? []);
  const problems = rows.filter(r => r.messages.length > 0).length;
  return (
    <InfoCard
      title="Annotations"
      subheader={
        problems > 0
          ? `${problems} annotation${
              problems === 1 ? ' is' : 's are'
            } invalid and ignored`
          : undefined
      }
    >
      {rows.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          This entity sets no <code>{MATURITY_ANNOTATION_PREFIX}*</code>{' '}
          annotations. Targets, exemptions and attestations are set in
          catalog-info.yaml, e.g.{' '}
          <code>cloud-native-maturity/target-level: "3"</code>.
        </Typography>
      ) : (
        <Table size="small" aria-label="Maturity annotations">
          <TableHead>
            <TableRow>
              <TableCell>Annotation</TableCell>
              <TableCell>Value</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.key}>
                <TableCell style={{ overflowWrap: 'anywhere' }}>
                  <code>{row.key}</code>
                </TableCell>
                <TableCell style={{ overflowWrap: 'anywhere' }}>
                  {row.value}
                </TableCell>
                <TableCell>
                  {row.messages.length === 0 ? (
                    <Typography variant="body2" color="textSecondary">
                      OK
                    </Typography>
                  ) : (
                    row.messages.map((message, i) => (
                      <Typography
                        key={i}
                        variant="body2"
                        color="error"
                        style={{ display: 'flex', gap: 4 }}
                      >
                        <ErrorIcon fontSize="small" aria-hidden />
                        <span>{message}</span>
                      </Typography>
                    ))
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
