import { openSqliteLog } from '../../src/index.js';
import { eventLogContract } from './event-log.contract.js';
import { tempDir } from './temp-dir.js';

eventLogContract('SQLite store', {
  durable: true,
  makeStore: () => {
    const dir = tempDir();
    return { open: () => openSqliteLog(dir.file('log.db')), dispose: dir.remove };
  },
});
