import { metrics, Meter } from '@opentelemetry/api';
import { RepositoryReadOutcome } from '../collectors/RepositoryCollector';

/**
 * The plugin's own OpenTelemetry metrics. Without a configured SDK the
 * global meter is a no-op, as for Backstage's core plugins.
 */
export class MaturityMetrics {
  private readonly entities;
  private readonly cycleDuration;
  private readonly repositoryReads;

  constructor(meter: Meter = metrics.getMeter('cnmaturity-maturity-backend')) {
    this.entities = meter.createCounter('maturity.entities', {
      description:
        'Entities handled by the evaluation cycle, by outcome: evaluated, skipped (inputs unchanged) or failed',
    });
    this.cycleDuration = meter.createHistogram('maturity.cycle.duration', {
      description: 'Duration of a full evaluation cycle',
      unit: 's',
    });
    this.repositoryReads = meter.createCounter('maturity.repository.reads', {
      description:
        'Repository reads by outcome: downloaded, not-modified (cache hit, no download) or failed',
    });
  }

  entitiesHandled(
    outcome: 'evaluated' | 'skipped' | 'failed',
    count: number,
  ): void {
    if (count > 0) this.entities.add(count, { outcome });
  }

  cycleFinished(seconds: number, result: 'completed' | 'failed'): void {
    this.cycleDuration.record(seconds, { result });
  }

  repositoryRead(outcome: RepositoryReadOutcome): void {
    this.repositoryReads.add(1, { outcome });
  }
}
