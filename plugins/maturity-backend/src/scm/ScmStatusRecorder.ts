import {
  MaturityScmHostStatus,
  MaturityScmStatus,
} from '@cnmaturity/plugin-maturity-common';
import { HostReads } from '../collectors/RepositoryCollector';
import { ScmRequestBudget } from './RequestBudget';

/** What a GitHub readTree costs, for the estimate (a branch named). */
const REQUESTS_PER_READ = 2;

interface StatusRows {
  put(key: string, status: MaturityScmHostStatus): Promise<void>;
  list(): Promise<MaturityScmHostStatus[]>;
}

/** Hours `reads` repositories take at `allowance` requests per hour. */
function estimateHours(reads: number, allowance: number): number | undefined {
  if (reads <= 0 || allowance <= 0) return undefined;
  return Math.round(((reads * REQUESTS_PER_READ) / allowance) * 10) / 10;
}

/**
 * One status per host from the rows of each shard: repositories added up,
 * the latest hold, the newest budget figures.
 */
export function mergeHostStatuses(
  rows: readonly MaturityScmHostStatus[],
): MaturityScmHostStatus[] {
  const byHost = new Map<string, MaturityScmHostStatus>();
  const newestFirst = [...rows].sort((a, b) =>
    b.updatedAt.localeCompare(a.updatedAt),
  );
  for (const row of newestFirst) {
    const merged = byHost.get(row.host);
    if (!merged) {
      byHost.set(row.host, {
        ...row,
        repositories: { ...row.repositories },
      });
      continue;
    }
    merged.repositories.seen += row.repositories.seen;
    merged.repositories.unread += row.repositories.unread;
    merged.repositories.held += row.repositories.held;
    if (
      row.heldUntil &&
      (!merged.heldUntil || row.heldUntil > merged.heldUntil)
    ) {
      merged.heldUntil = row.heldUntil;
      merged.heldReason = row.heldReason;
    }
  }
  return [...byHost.values()].map(status => {
    const core = status.resources.find(r => r.resource === 'core');
    const { unread, held } = status.repositories;
    const hours = core
      ? estimateHours(unread + held, core.allowance)
      : undefined;
    const { estimateHours: _, ...rest } = status;
    return hours === undefined ? rest : { ...rest, estimateHours: hours };
  });
}

/**
 * Records, after each cycle, how reading each budgeted SCM host went (what
 * is unread, what is held until when, the budget's figures), and answers
 * the scorecard's question "are results held back, and until when?".
 */
export class ScmStatusRecorder {
  constructor(
    private readonly options: {
      rows: StatusRows;
      budget: ScmRequestBudget;
      now?: () => Date;
    },
  ) {}

  /** Stores the cycle's view of each host; `shard` keeps shards apart. */
  async record(
    hosts: ReadonlyMap<string, HostReads>,
    shard = '',
  ): Promise<void> {
    const updatedAt = (this.options.now?.() ?? new Date()).toISOString();
    for (const [host, reads] of hosts) {
      await this.options.rows.put(`${host}${shard ? ` ${shard}` : ''}`, {
        host,
        updatedAt,
        repositories: {
          seen: reads.seen,
          unread: reads.unread,
          held: reads.held,
        },
        ...(reads.heldUntil
          ? {
              heldUntil: reads.heldUntil.toISOString(),
              heldReason: reads.heldReason,
            }
          : {}),
        resources: this.options.budget.status(host),
      });
    }
  }

  async current(): Promise<MaturityScmStatus> {
    return { hosts: mergeHostStatuses(await this.options.rows.list()) };
  }
}
