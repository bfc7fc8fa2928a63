import type { EventLog } from '../../src/index.js';

/** An event log passing every call to `log`: spread it and override what a test breaks. */
export function delegate(log: EventLog): EventLog {
  return {
    append: (...args) => log.append(...args),
    readStream: (...args) => log.readStream(...args),
    readAll: (...args) => log.readAll(...args),
    streamVersion: (...args) => log.streamVersion(...args),
    saveSnapshot: (...args) => log.saveSnapshot(...args),
    loadSnapshot: (...args) => log.loadSnapshot(...args),
    close: () => log.close(),
  };
}
