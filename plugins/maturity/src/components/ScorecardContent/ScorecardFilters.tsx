import {
  levelName,
  MATURITY_LEVELS,
  MaturityLevelNumber,
  MaturitySummaryFilter,
  MaturitySummaryQuery,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import InputAdornment from '@material-ui/core/InputAdornment';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import Autocomplete, {
  createFilterOptions,
} from '@material-ui/lab/Autocomplete';
import { memo, useEffect, useId, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { humanizeRef, normalizeRef } from '../refs';

export const SEARCH_DEBOUNCE_MS = 300;

type SetFilter = (
  patch: Partial<MaturitySummaryFilter>,
  options?: { replace?: boolean },
) => void;

const filterOptions = createFilterOptions<string>({ limit: 100 });

/**
 * Picks values of one list filter: from the options, or typed. Entity refs
 * show the way people say them and are kept in full.
 */
function ValuePicker(props: {
  label: string;
  values: string[] | undefined;
  options: string[];
  onChange(values: string[]): void;
  /** Set for entity ref filters: typed text becomes a ref of this kind. */
  refKind?: string;
  /** Values with no suggestions: typed text is taken when leaving the field. */
  typed?: boolean;
  /** For case-insensitive values such as kinds. */
  lowerCase?: boolean;
  helperText?: string;
}) {
  const { refKind, lowerCase } = props;
  const label = (value: string) =>
    refKind ? humanizeRef(value, refKind) : value;
  const normalize = (value: string) => {
    if (refKind) return normalizeRef(value, refKind);
    const text = value.trim();
    if (!text) return undefined;
    return lowerCase ? text.toLocaleLowerCase('en-US') : text;
  };
  return (
    <Autocomplete<string, true, false, true>
      multiple
      freeSolo
      autoHighlight={!props.typed}
      autoSelect={props.typed}
      size="small"
      options={props.options}
      filterOptions={filterOptions}
      value={props.values ?? []}
      getOptionLabel={label}
      onChange={(_event, values) => {
        const next = values
          .map(v => normalize(v))
          .filter((v): v is string => Boolean(v));
        props.onChange([...new Set(next)]);
      }}
      renderTags={(values, getTagProps) =>
        values.map((value, index) => (
          <Chip
            {...getTagProps({ index })}
            key={value}
            size="small"
            label={label(value)}
            title={value}
          />
        ))
      }
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          variant="outlined"
          helperText={props.helperText}
        />
      )}
    />
  );
}

export interface ScorecardFiltersProps {
  query: MaturitySummaryQuery;
  setFilter: SetFilter;
  clearFilters(): void;
  /** Whether any filter is set, for the clear action. */
  filtered: boolean;
  owners: string[];
  systems: string[];
  kinds: string[];
  types: string[];
  lifecycles: string[];
}

/**
 * The filters, all kept in the URL. The text search waits for a pause in
 * typing before it asks the backend again.
 */
export const ScorecardFilters = memo(function ScorecardFiltersComponent(
  props: ScorecardFiltersProps,
) {
  const { query, setFilter } = props;
  const [text, setText] = useState(query.q ?? '');
  const id = useId();

  // The URL wins when it changes elsewhere (Clear filters, Back), but not
  // while the user types trailing spaces the URL does not keep.
  useEffect(() => {
    setText(current =>
      current.trim() === (query.q ?? '') ? current : query.q ?? '',
    );
  }, [query.q]);

  useDebounce(
    () => {
      const q = text.trim() || undefined;
      if (q !== query.q) setFilter({ q }, { replace: true });
    },
    SEARCH_DEBOUNCE_MS,
    [text],
  );

  const levels = (query.level ?? []).map(String);

  return (
    <Grid container spacing={2} alignItems="flex-start">
      <Grid item xs={12} md={6} lg={3}>
        <TextField
          id={`${id}-search`}
          label="Search"
          placeholder="Name, title or entity ref"
          variant="outlined"
          size="small"
          fullWidth
          value={text}
          onChange={e => setText(e.target.value)}
          inputProps={{ maxLength: 200 }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
        />
      </Grid>
      <Grid item xs={12} md={6} lg={3}>
        <ValuePicker
          label="Owner"
          refKind="group"
          values={query.owner}
          options={props.owners}
          onChange={owner => setFilter({ owner })}
        />
      </Grid>
      <Grid item xs={12} md={6} lg={3}>
        <ValuePicker
          label="System"
          refKind="system"
          values={query.system}
          options={props.systems}
          onChange={system => setFilter({ system })}
        />
      </Grid>
      <Grid item xs={12} md={6} lg={3}>
        <ValuePicker
          label="Domain"
          refKind="domain"
          typed
          values={query.domain}
          options={[]}
          onChange={domain => setFilter({ domain })}
          helperText="Type a domain name and press Enter"
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} lg={2}>
        <ValuePicker
          label="Kind"
          lowerCase
          values={query.kind}
          options={props.kinds}
          onChange={kind => setFilter({ kind })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} lg={2}>
        <ValuePicker
          label="Type"
          values={query.type}
          options={props.types}
          onChange={type => setFilter({ type })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} lg={2}>
        <ValuePicker
          label="Lifecycle"
          values={query.lifecycle}
          options={props.lifecycles}
          onChange={lifecycle => setFilter({ lifecycle })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} lg={2}>
        <TextField
          id={`${id}-level`}
          select
          label="Level"
          variant="outlined"
          size="small"
          fullWidth
          value={levels}
          SelectProps={{
            multiple: true,
            renderValue: selected =>
              (selected as string[])
                .map(l => `${l} ${levelName(Number(l))}`)
                .join(', '),
          }}
          onChange={e => {
            const value = e.target.value as unknown as string[];
            setFilter({
              level: value
                .map(Number)
                .sort((a, b) => a - b) as MaturityLevelNumber[],
            });
          }}
        >
          {MATURITY_LEVELS.map(l => (
            <MenuItem key={l.level} value={String(l.level)}>
              <Checkbox
                size="small"
                checked={levels.includes(String(l.level))}
              />
              <ListItemText primary={`${l.level} · ${l.name}`} />
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} lg={4}>
        <Box display="flex" alignItems="center" flexWrap="wrap">
          <FormControlLabel
            label="Behind target"
            control={
              <Checkbox
                checked={query.behindTarget === true}
                onChange={(_e, checked) =>
                  setFilter({ behindTarget: checked || undefined })
                }
              />
            }
          />
          <FormControlLabel
            label="Overdue"
            control={
              <Checkbox
                checked={query.overdue === true}
                onChange={(_e, checked) =>
                  setFilter({ overdue: checked || undefined })
                }
              />
            }
          />
          <FormControlLabel
            label="Stale"
            control={
              <Checkbox
                checked={query.stale === true}
                onChange={(_e, checked) =>
                  setFilter({ stale: checked || undefined })
                }
              />
            }
          />
          <Button
            onClick={() => {
              setText('');
              props.clearFilters();
            }}
            disabled={!props.filtered && !text}
          >
            Clear filters
          </Button>
        </Box>
      </Grid>
    </Grid>
  );
});
