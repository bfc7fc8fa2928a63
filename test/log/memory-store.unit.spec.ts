import { createMemoryLog } from '../../src/index.js';
import { eventLogContract } from './event-log.contract.js';

eventLogContract('memory store', {
  durable: false,
  makeStore: () => ({ open: async () => createMemoryLog(), dispose: () => {} }),
});
