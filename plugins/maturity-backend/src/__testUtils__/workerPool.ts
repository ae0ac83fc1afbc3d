import { mockServices } from '@backstage/backend-test-utils';
import {
  EvaluationOptions,
  ExtractionPool,
} from '../collectors/ExtractionPool';

/**
 * A pool with one real worker thread. Jest's transform does not reach
 * worker threads, so the worker loads the TypeScript sources through the
 * Backstage CLI's Node hook, as `backstage-cli package start` does.
 */
export function workerPool(
  logger = mockServices.logger.mock(),
  /** What the worker evaluates entities with; without it, it does not. */
  evaluation?: EvaluationOptions,
): ExtractionPool {
  return new ExtractionPool({
    workers: 1,
    logger,
    ...(evaluation ? { evaluation } : {}),
    execArgv: [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    ],
  });
}
