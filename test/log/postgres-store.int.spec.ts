import { openPostgresLog } from '../../src/postgres.js';
import { describePostgres, freshSchema } from '../fixtures/postgres.js';
import { eventLogContract } from './event-log.contract.js';

describePostgres('PostgreSQL store', (url) => {
  eventLogContract('PostgreSQL store', {
    durable: true,
    makeStore: () => {
      const schema = freshSchema();
      return { open: () => openPostgresLog(url, { schema }), dispose: () => {} };
    },
  });
});
