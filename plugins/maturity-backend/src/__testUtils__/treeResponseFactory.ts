import { mockServices } from '@backstage/backend-test-utils';
import {
  ReadTreeResponseFactory,
  UrlReaders,
} from '@backstage/backend-defaults/urlReader';

/**
 * The installed Backstage's own ReadTreeResponseFactory (what every SCM
 * reader builds its readTree responses with), taken from UrlReaders.
 */
export function backstageTreeResponseFactory(): ReadTreeResponseFactory {
  let factory: ReadTreeResponseFactory | undefined;
  UrlReaders.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
    factories: [
      ({ treeResponseFactory }) => {
        factory = treeResponseFactory;
        return [];
      },
    ],
  });
  return factory!;
}
