import path from 'path';

/** The demo's example repositories, which the tests read as an SCM would hand them over. */
export const EXAMPLE_REPOS = path.resolve(
  __dirname,
  '../../../../examples/repos',
);
