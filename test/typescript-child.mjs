// Lets a child process load recwatch's TypeScript sources (a bench server forked by a test that
// imports the bench from source): `node --import test/typescript-child.mjs child.ts`. Registers
// the hooks in every thread, the main one included; the SQLite log's writer thread inherits it.
import { register } from 'node:module';

register(new URL('./worker-typescript-hooks.mjs', import.meta.url));
