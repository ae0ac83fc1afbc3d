import {
  MATURITY_SUMMARY_FILTER_KEYS,
  MaturitySummaryFilter,
  MaturitySummaryQuery,
  summaryQueryFromParams,
  summaryQueryToParams,
} from '@cnmaturity/plugin-maturity-common';
import { useCallback, useMemo } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';

/** The filter fields, as opposed to ordering and paging. */
const FILTER_KEYS = MATURITY_SUMMARY_FILTER_KEYS;

/** The URL parameters this page owns; any other parameter is left alone. */
const QUERY_PARAMS = [...FILTER_KEYS, 'order', 'cursor', 'limit'];

/** Kept in the history entry, so Back and Forward keep "Previous page" right. */
const CURSOR_STACK_STATE = 'maturityCursorStack';

/** The default page size of `GET /summary`. */
export const DEFAULT_PAGE_SIZE = 50;

export function filterOf(query: MaturitySummaryQuery): MaturitySummaryFilter {
  const filter: MaturitySummaryFilter = {};
  for (const key of FILTER_KEYS) {
    if (query[key] !== undefined) (filter as any)[key] = query[key];
  }
  return filter;
}

export function hasFilters(query: MaturitySummaryQuery): boolean {
  return FILTER_KEYS.some(key => query[key] !== undefined);
}

/**
 * The filters `GET /trend` supports: the trend is per entity and day, so
 * text and target filters apply to the table only.
 */
export function trendFilterOf(
  query: MaturitySummaryQuery,
): MaturitySummaryFilter {
  const { q, behindTarget, overdue, ...rest } = filterOf(query);
  return rest;
}

/** Whether a table-only filter is set, which the trend cannot follow. */
export function hasTableOnlyFilters(query: MaturitySummaryQuery): boolean {
  return (
    query.q !== undefined ||
    query.behindTarget !== undefined ||
    query.overdue !== undefined
  );
}

/** A stable string for a query, for memo and effect keys. */
export const queryKeyOf = (query: MaturitySummaryQuery) =>
  summaryQueryToParams(query).toString();

function cursorStackOf(state: unknown): string[] {
  const stack = (state as Record<string, unknown> | null)?.[CURSOR_STACK_STATE];
  return Array.isArray(stack) && stack.every(c => typeof c === 'string')
    ? stack
    : [];
}

export interface SummaryQueryState {
  /** The query in the URL. */
  query: MaturitySummaryQuery;
  /** Changes only when the query does; key requests on it. */
  queryKey: string;
  /** Zero-based page number when known (not when opened on a shared cursor). */
  pageIndex: number | undefined;
  hasPreviousPage: boolean;
  /** Changes filters and goes back to the first page. */
  setFilter(
    patch: Partial<MaturitySummaryFilter>,
    options?: { replace?: boolean },
  ): void;
  /** Removes every filter, keeping order and page size. */
  clearFilters(): void;
  /** Removes every parameter of this page: filters, order, paging. */
  resetAll(): void;
  setOrder(order: string | undefined): void;
  setLimit(limit: number): void;
  nextPage(cursor: string): void;
  previousPage(): void;
  firstPage(): void;
}

/**
 * The summary query, kept in the page URL so a filtered view can be shared:
 * read with `summaryQueryFromParams`, written with `summaryQueryToParams`.
 * Filters, order and page size return to the first page; the cursors of the
 * pages before the current one live in the history entry's state.
 */
export function useSummaryQuery(): SummaryQueryState {
  const [searchParams, setSearchParams] = useSearchParams();
  const location = useLocation();
  const search = searchParams.toString();
  const query = useMemo(
    () => summaryQueryFromParams(new URLSearchParams(search)),
    [search],
  );
  const queryKey = queryKeyOf(query);
  const stack = useMemo(() => cursorStackOf(location.state), [location.state]);

  const write = useCallback(
    (
      next: MaturitySummaryQuery,
      options: { replace?: boolean; stack?: string[] } = {},
    ) => {
      const params = new URLSearchParams(search);
      for (const key of QUERY_PARAMS) params.delete(key);
      summaryQueryToParams(next).forEach((value, key) =>
        params.set(key, value),
      );
      const nextStack = options.stack ?? [];
      if (
        params.toString() === search &&
        nextStack.join('\n') === stack.join('\n')
      ) {
        return;
      }
      const base =
        location.state && typeof location.state === 'object'
          ? { ...(location.state as object) }
          : {};
      setSearchParams(params, {
        replace: options.replace,
        state: { ...base, [CURSOR_STACK_STATE]: nextStack },
      });
    },
    [search, stack, location.state, setSearchParams],
  );

  const setFilter = useCallback(
    (
      patch: Partial<MaturitySummaryFilter>,
      options?: { replace?: boolean },
    ) => {
      const next: MaturitySummaryQuery = { ...query, ...patch };
      for (const key of FILTER_KEYS) {
        const value = next[key];
        if (Array.isArray(value) && value.length === 0) delete next[key];
        if (value === undefined || value === '') delete next[key];
      }
      delete next.cursor;
      write(next, options);
    },
    [query, write],
  );

  const clearFilters = useCallback(
    () => write({ order: query.order, limit: query.limit }),
    [query.order, query.limit, write],
  );

  const resetAll = useCallback(() => write({}), [write]);

  const setOrder = useCallback(
    (order: string | undefined) => {
      const { cursor, ...rest } = query;
      write({ ...rest, order });
    },
    [query, write],
  );

  const setLimit = useCallback(
    (limit: number) => {
      const { cursor, ...rest } = query;
      write({
        ...rest,
        limit: limit === DEFAULT_PAGE_SIZE ? undefined : limit,
      });
    },
    [query, write],
  );

  const nextPage = useCallback(
    (cursor: string) =>
      write({ ...query, cursor }, { stack: [...stack, query.cursor ?? ''] }),
    [query, write, stack],
  );

  const previousPage = useCallback(() => {
    if (!stack.length) return;
    const previous = stack[stack.length - 1];
    write(
      { ...query, cursor: previous || undefined },
      { stack: stack.slice(0, -1) },
    );
  }, [query, write, stack]);

  const firstPage = useCallback(() => {
    const { cursor, ...rest } = query;
    write(rest);
  }, [query, write]);

  let pageIndex: number | undefined;
  if (!query.cursor) pageIndex = 0;
  else if (stack.length) pageIndex = stack.length;

  return {
    query,
    queryKey,
    pageIndex,
    hasPreviousPage: Boolean(query.cursor) && stack.length > 0,
    setFilter,
    clearFilters,
    resetAll,
    setOrder,
    setLimit,
    nextPage,
    previousPage,
    firstPage,
  };
}
