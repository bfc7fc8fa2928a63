// vitest setupFile of the `xstate` project: every step of the machine in these test files goes
// through XState's own `transition()` instead of the compiled fast path (vitest.config.ts).
import { inject } from 'vitest';
import { type Interpreter, useInterpreter } from '../machines/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Which interpreter the machine runs on in this project (absent: the compiled path). */
    interpreter?: Interpreter;
  }
}

useInterpreter(inject('interpreter') ?? 'compiled');
