import autocannon from 'autocannon';

/** Latencies of one endpoint under load, from every request's own time. */
export interface LoadResult {
  endpoint: string;
  connections: number;
  durationS: number;
  requests: number;
  /** Requests per second over the run. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Non-2xx responses, errors and timeouts. */
  errors: number;
  /** The backend's peak RSS since the cycles, once this load was over. */
  peakRssBytes?: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Runs autocannon against `paths` (cycled through by each connection) and
 * computes exact p50/p95/p99 from the time of every response, which
 * autocannon reports per request (its own summary has p97.5, not p95).
 */
export async function measure(options: {
  baseUrl: string;
  headers: Record<string, string>;
  endpoint: string;
  paths: string[];
  connections: number;
  durationS: number;
}): Promise<LoadResult> {
  const samples: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationS,
        headers: options.headers,
        timeout: 60,
        requests: options.paths.map(path => ({ method: 'GET', path })),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
      else errors++;
    });
  });
  samples.sort((a, b) => a - b);
  return {
    endpoint: options.endpoint,
    connections: options.connections,
    durationS: options.durationS,
    requests: samples.length + errors,
    throughput: (samples.length + errors) / options.durationS,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: samples[samples.length - 1] ?? NaN,
    errors: errors + result.errors + result.timeouts,
  };
}
