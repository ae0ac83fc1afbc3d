import { Link } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import {
  levelName,
  MATURITY_AREAS,
  MATURITY_SUMMARY_ORDER_FIELDS,
  MaturitySummaryOrder,
  MaturitySummaryOrderField,
  MaturitySummaryRow,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { memo, useId, useMemo } from 'react';
import { humanizeRef } from '../refs';
import { formatCount } from './format';
import { useLevelColors } from './levelColors';
import { DEFAULT_PAGE_SIZE } from './useSummaryQuery';

const useStyles = makeStyles((theme: Theme) => ({
  scroll: { overflowX: 'auto' },
  head: {
    fontWeight: theme.typography.fontWeightBold as number,
    textTransform: 'uppercase',
    whiteSpace: 'nowrap',
  },
  nowrap: { whiteSpace: 'nowrap' },
  level: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    whiteSpace: 'nowrap',
  },
  swatch: { width: 10, height: 10, borderRadius: 2, flexShrink: 0 },
  areas: {
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  },
  area: {
    padding: theme.spacing(0, 0.5),
    borderRadius: 2,
    border: `1px solid ${theme.palette.divider}`,
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
  abbr: { textDecoration: 'none', cursor: 'help' },
  marker: { marginTop: theme.spacing(0.5), marginRight: theme.spacing(0.5) },
  footer: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 2),
  },
  grow: { flexGrow: 1 },
}));

/** Reads `field:direction`; the backend sorts by name ascending by default. */
export function parseOrder(order: string | undefined): MaturitySummaryOrder {
  const [field, direction] = (order ?? '').split(':');
  if (
    (MATURITY_SUMMARY_ORDER_FIELDS as readonly string[]).includes(field) &&
    (direction === undefined || direction === 'asc' || direction === 'desc')
  ) {
    return {
      field: field as MaturitySummaryOrderField,
      direction: direction ?? 'asc',
    };
  }
  return { field: 'name', direction: 'asc' };
}

const AREA_SHORT: Record<string, string> = {
  people: 'Pe',
  process: 'Pr',
  policy: 'Po',
  technology: 'Te',
  business: 'Bu',
};

const dateFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

function formatTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateFormat.format(time);
}

type RowClasses = ReturnType<typeof useStyles>;

/** One service; memoised so a page re-renders only the rows that changed. */
const ServiceRow = memo(function ServiceRowComponent(props: {
  row: MaturitySummaryRow;
  maturityPath: string;
  levelColor: string;
  classes: RowClasses;
}) {
  const { row, classes } = props;
  const areas = row.areaLevels;
  return (
    <TableRow hover>
      <TableCell>
        <Link to={props.maturityPath}>{row.title || row.name}</Link>
        <Typography variant="caption" component="div" color="textSecondary">
          <EntityRefLink entityRef={row.entityRef} color="inherit">
            {humanizeRef(row.entityRef)}
          </EntityRefLink>
        </Typography>
      </TableCell>
      <TableCell>
        {row.owner ? (
          <EntityRefLink entityRef={row.owner} defaultKind="group">
            {humanizeRef(row.owner, 'group')}
          </EntityRefLink>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        {row.system ? (
          <EntityRefLink entityRef={row.system} defaultKind="system">
            {humanizeRef(row.system, 'system')}
          </EntityRefLink>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>{row.lifecycle ?? '—'}</TableCell>
      <TableCell>
        <span className={classes.level}>
          <span
            className={classes.swatch}
            style={{ backgroundColor: props.levelColor }}
            aria-hidden
          />
          {row.level} · {levelName(row.level)}
        </span>
      </TableCell>
      <TableCell>
        {areas ? (
          <span className={classes.areas}>
            {MATURITY_AREAS.map(a => (
              <span key={a.id} className={classes.area}>
                <abbr title={a.title} className={classes.abbr}>
                  {AREA_SHORT[a.id]}
                </abbr>{' '}
                {areas[a.id]}
              </span>
            ))}
          </span>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell align="right">{row.scorePercent}%</TableCell>
      <TableCell>
        {row.targetLevel === undefined ? (
          '—'
        ) : (
          <>
            <span className={classes.nowrap}>
              {row.targetLevel} · {levelName(row.targetLevel)}
            </span>
            <Typography variant="caption" component="div" color="textSecondary">
              {row.gap > 0 ? `${row.gap} to go` : 'reached'}
              {row.targetDate ? ` · by ${row.targetDate}` : ''}
            </Typography>
            {row.overdue && (
              <Chip
                size="small"
                color="secondary"
                label="Overdue"
                className={classes.marker}
              />
            )}
          </>
        )}
      </TableCell>
      <TableCell>
        <span className={classes.nowrap} title={row.evaluatedAt}>
          {formatTime(row.evaluatedAt)}
        </span>
        {row.stale && (
          <Tooltip title="The latest evaluation failed; this is the last good result">
            <Chip
              size="small"
              variant="outlined"
              label="Stale"
              className={classes.marker}
            />
          </Tooltip>
        )}
      </TableCell>
    </TableRow>
  );
});

const COLUMNS: {
  title: string;
  field?: MaturitySummaryOrderField;
  align?: 'right';
}[] = [
  { title: 'Service', field: 'name' },
  { title: 'Owner', field: 'owner' },
  { title: 'System', field: 'system' },
  { title: 'Lifecycle' },
  { title: 'Level', field: 'level' },
  { title: 'Areas' },
  { title: 'Score', field: 'score', align: 'right' },
  { title: 'Target', field: 'gap' },
  { title: 'Evaluated', field: 'evaluatedAt' },
];

export const PAGE_SIZES = [25, 50, 100];

export interface ServiceTableProps {
  rows: MaturitySummaryRow[];
  order: string | undefined;
  onOrderChange(order: string): void;
  /** All services that match, over every page. */
  total: number;
  limit: number | undefined;
  onLimitChange(limit: number): void;
  /** Zero-based, when known. */
  pageIndex: number | undefined;
  nextCursor: string | undefined;
  hasPreviousPage: boolean;
  isFirstPage: boolean;
  onNextPage(cursor: string): void;
  onPreviousPage(): void;
  onFirstPage(): void;
  /** A request is under way: paging waits for it. */
  loading: boolean;
}

/**
 * One page of services. The backend sorts and pages: a header click sets
 * the order, "Next page" follows the cursor of the page shown.
 */
export const ServiceTable = memo(function ServiceTableComponent(
  props: ServiceTableProps,
) {
  const classes = useStyles();
  const colors = useLevelColors();
  const entityLink = useEntityRefLink();
  const id = useId();
  const order = parseOrder(props.order);
  const limit = props.limit ?? DEFAULT_PAGE_SIZE;
  const pageSizes = PAGE_SIZES.includes(limit)
    ? PAGE_SIZES
    : [...PAGE_SIZES, limit].sort((a, b) => a - b);
  const maturityPaths = useMemo(
    () => props.rows.map(r => `${entityLink(r.entityRef)}/maturity`),
    [props.rows, entityLink],
  );

  const sortBy = (field: MaturitySummaryOrderField) => {
    const direction =
      order.field === field && order.direction === 'asc' ? 'desc' : 'asc';
    props.onOrderChange(`${field}:${direction}`);
  };

  let range: string;
  if (props.rows.length === 0) {
    range = `No services on this page of ${formatCount(props.total)}`;
  } else if (props.pageIndex !== undefined) {
    const first = props.pageIndex * limit + 1;
    range = `${formatCount(first)}–${formatCount(
      first + props.rows.length - 1,
    )} of ${formatCount(props.total)}`;
  } else {
    range = `${formatCount(props.rows.length)} of ${formatCount(props.total)}`;
  }

  return (
    <>
      <Box className={classes.scroll}>
        <Table size="small" aria-label="Services">
          <TableHead>
            <TableRow>
              {COLUMNS.map(column => {
                const active = column.field && order.field === column.field;
                return (
                  <TableCell
                    key={column.title}
                    className={classes.head}
                    align={column.align}
                    sortDirection={active ? order.direction : false}
                  >
                    {column.field ? (
                      <TableSortLabel
                        active={Boolean(active)}
                        direction={active ? order.direction : 'asc'}
                        onClick={() => sortBy(column.field!)}
                      >
                        {column.title}
                      </TableSortLabel>
                    ) : (
                      column.title
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          </TableHead>
          <TableBody>
            {props.rows.map((row, i) => (
              <ServiceRow
                key={row.entityRef}
                row={row}
                maturityPath={maturityPaths[i]}
                levelColor={colors[row.level] ?? colors[0]}
                classes={classes}
              />
            ))}
          </TableBody>
        </Table>
      </Box>
      <Box className={classes.footer}>
        <Typography variant="body2" color="textSecondary">
          {range}
          {props.pageIndex !== undefined && props.pageIndex > 0
            ? ` · page ${props.pageIndex + 1}`
            : ''}
        </Typography>
        <span className={classes.grow} />
        <TextField
          id={`${id}-page-size`}
          select
          size="small"
          label="Rows per page"
          value={limit}
          onChange={e => props.onLimitChange(Number(e.target.value))}
          style={{ minWidth: 120 }}
        >
          {pageSizes.map(size => (
            <MenuItem key={size} value={size}>
              {size}
            </MenuItem>
          ))}
        </TextField>
        <Button
          size="small"
          disabled={props.isFirstPage || props.loading}
          onClick={props.onFirstPage}
        >
          First page
        </Button>
        <Button
          size="small"
          disabled={!props.hasPreviousPage || props.loading}
          onClick={props.onPreviousPage}
        >
          Previous page
        </Button>
        <Button
          size="small"
          variant="outlined"
          color="primary"
          disabled={!props.nextCursor || props.loading}
          onClick={() => props.nextCursor && props.onNextPage(props.nextCursor)}
        >
          Next page
        </Button>
      </Box>
    </>
  );
});
