import type { ReaderCounters } from '../server/benchUrlReader';
import type { ScmCounts } from './FakeGitHubScm';

/**
 * The bench reader's counters, as far as the SCM side shows them, so that a
 * `--scm github` run fills the same report columns: GithubUrlReader asks
 * for the commit status once per readTree and downloads only when its etag
 * is not that commit, and reads single files through `contents`. Whether a
 * readTree carried an etag is not visible to the SCM (the reader compares
 * it itself): NaN.
 */
export function readerCountersOf(counts: ScmCounts): ReaderCounters {
  const status = (endpoint: string, code: number) =>
    counts.statuses[`${endpoint} ${code}`] ?? 0;
  const { endpoints } = counts;
  const requests = endpoints['commit-status'];
  const downloads = status('codeload', 200);
  // Failed at the status, the redirect or the download (404, 503, limits).
  const failed =
    requests -
    status('commit-status', 200) +
    endpoints.tarball -
    status('tarball', 302) +
    endpoints.codeload -
    downloads;
  const files = endpoints.contents;
  const fileDownloads = status('contents', 200);
  const fileNotModified = status('contents', 304);
  return {
    requests,
    conditional: NaN,
    // Stopped at the commit status: the etag was that commit.
    notModified: status('commit-status', 200) - endpoints.tarball,
    downloads,
    downloadedBytes: counts.codeloadBytes,
    failed,
    fileRequests: files,
    // Only contents requests carry If-None-Match.
    fileConditional: counts.conditional,
    fileNotModified,
    fileDownloads,
    fileFailed: files - fileDownloads - fileNotModified,
  };
}
