import { useApi } from '@backstage/core-plugin-api';
import { MaturityScmHostStatus } from '@cnmaturity/plugin-maturity-common';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { maturityApiRef } from '../../api';
import { formatCount } from './format';

const when = (iso: string) =>
  `${new Date(iso).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/**
 * What a platform lead needs to know about one SCM host: reads held back by
 * the request budget and until when, and the first read's progress.
 */
export function describeScmHost(
  status: MaturityScmHostStatus,
  now: Date,
): string[] {
  const lines: string[] = [];
  const { host, repositories: r } = status;
  if (status.heldUntil && new Date(status.heldUntil) > now) {
    lines.push(
      `Repository reads on ${host} are held back by the SCM request budget until ${when(
        status.heldUntil,
      )}${status.heldReason ? ` (${status.heldReason})` : ''}.`,
    );
  }
  if (r.unread > 0) {
    const estimate =
      status.estimateHours !== undefined
        ? `, about ${status.estimateHours} h to go at this plugin's share of the rate limit`
        : '';
    lines.push(
      `${host}: ${formatCount(r.seen - r.unread)} of ${formatCount(
        r.seen,
      )} repositories read; ${formatCount(
        r.unread,
      )} services wait for their first result${estimate}.`,
    );
  }
  if (r.held > 0) {
    lines.push(
      `${host}: ${formatCount(
        r.held,
      )} changed repositories wait for their read; their services show their last results, marked stale.`,
    );
  }
  return lines;
}

/** A notice above the scorecard while the SCM's rate limit holds reads back. */
export function ScmStatusBanner() {
  const maturityApi = useApi(maturityApiRef);
  const { value } = useAsync(
    async () => (await maturityApi.getScmStatus?.())?.hosts ?? [],
    [maturityApi],
  );
  const now = new Date();
  const lines = (value ?? []).flatMap(host => describeScmHost(host, now));
  if (lines.length === 0) return null;
  return (
    <Grid item xs={12}>
      <Alert severity="info" role="status">
        {lines.map(line => (
          <div key={line}>{line}</div>
        ))}
      </Alert>
    </Grid>
  );
}
