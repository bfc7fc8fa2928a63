import { openSqliteLog } from '../../src/index.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { eventLogContract } from './event-log.contract.js';

eventLogContract('SQLite store', {
  durable: true,
  makeStore: () => {
    const dir = tempDir();
    return { open: () => openSqliteLog(dir.file('log.db')), dispose: dir.remove };
  },
});
