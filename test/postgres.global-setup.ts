// vitest globalSetup: one throwaway PostgreSQL cluster for the whole run, when the binaries exist.
// Its URL reaches the tests through `inject('postgresUrl')` (null when there is none). Under CI a
// missing server fails the run: the PostgreSQL tests must not silently skip there.
import type { TestProject } from 'vitest/node';
import { postgresBinaries, startPostgresCluster } from './fixtures/postgres-cluster.js';

export default async function setup(project: TestProject): Promise<() => void> {
  if (postgresBinaries() === null) {
    if (process.env.CI) {
      throw new Error('CI is set but PostgreSQL is not installed: .ci/run installs it');
    }
    project.provide('postgresUrl', null);
    return () => {};
  }
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
