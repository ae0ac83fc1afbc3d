import { Table, TableColumn } from '@backstage/core-components';
import { MaturityRollup } from '@cnmaturity/plugin-maturity-common';
import MuiLink from '@material-ui/core/Link';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { memo, MouseEvent, useMemo } from 'react';
import { humanizeRef } from '../refs';
import { formatLevel, formatShare } from './format';

interface RollupRow extends MaturityRollup {
  id: string;
  /** The ref as people say it, for display, search and sorting. */
  label: string;
  /** On target over those with a target, as a percentage; -1 when none has one. */
  onTargetPercent: number;
}

export interface RollupTableProps {
  title: string;
  /** Column heading for the owner or system. */
  nameTitle: string;
  rollups: MaturityRollup[];
  /** The kind left out when showing refs, e.g. `group` for owners. */
  defaultKind: string;
  /** Shown for the entities without an owner or system. */
  noneLabel: string;
  /** Filters the page to this owner or system. */
  onSelect(ref: string): void;
}

const PAGE_SIZE = 10;

/**
 * How each owner or system stands. Every rollup is in the response, so the
 * table pages, sorts and searches on the client; a click filters the page.
 */
export const RollupTable = memo(function RollupTableComponent(
  props: RollupTableProps,
) {
  const { rollups, defaultKind, noneLabel, onSelect, nameTitle } = props;
  // Fresh objects: the table writes its own bookkeeping into its rows.
  const data = useMemo<RollupRow[]>(
    () =>
      rollups.map(r => ({
        ...r,
        id: r.ref,
        label: r.ref ? humanizeRef(r.ref, defaultKind) : noneLabel,
        onTargetPercent:
          r.withoutTarget === r.entities
            ? -1
            : Math.round(r.onTargetShare * 100),
      })),
    [rollups, defaultKind, noneLabel],
  );

  const columns = useMemo<TableColumn<RollupRow>[]>(
    () => [
      {
        title: nameTitle,
        field: 'label',
        highlight: true,
        render: row =>
          row.ref ? (
            <MuiLink
              component="button"
              variant="body2"
              title={`Filter to ${row.ref}`}
              onClick={(e: MouseEvent) => {
                e.stopPropagation();
                onSelect(row.ref);
              }}
            >
              {row.label}
            </MuiLink>
          ) : (
            <Typography variant="body2" color="textSecondary">
              {row.label}
            </Typography>
          ),
      },
      { title: 'Entities', field: 'entities', type: 'numeric' },
      {
        title: 'Average level',
        field: 'averageLevel',
        type: 'numeric',
        render: row => formatLevel(row.averageLevel),
      },
      {
        title: 'Median level',
        field: 'medianLevel',
        type: 'numeric',
        render: row => formatLevel(row.medianLevel),
      },
      {
        title: 'On target',
        field: 'onTargetPercent',
        type: 'numeric',
        render: row =>
          row.onTargetPercent < 0 ? (
            <Tooltip title="No target set">
              <span>—</span>
            </Tooltip>
          ) : (
            <Tooltip
              title={`${row.onTarget} of ${
                row.entities - row.withoutTarget
              } with a target`}
            >
              <span>{formatShare(row.onTargetShare)}</span>
            </Tooltip>
          ),
      },
      { title: 'Behind', field: 'behindTarget', type: 'numeric' },
      { title: 'Overdue', field: 'overdue', type: 'numeric' },
    ],
    [nameTitle, onSelect],
  );

  return (
    <Table<RollupRow>
      title={props.title}
      subtitle={`${data.length} in total`}
      data={data}
      columns={columns}
      onRowClick={(_event, row) => {
        if (row?.ref) onSelect(row.ref);
      }}
      options={{
        paging: data.length > PAGE_SIZE,
        pageSize: PAGE_SIZE,
        pageSizeOptions: [PAGE_SIZE, 25, 50],
        search: data.length > PAGE_SIZE,
        padding: 'dense',
        emptyRowsWhenPaging: false,
      }}
    />
  );
});
