// The package as a user gets it: packed, linted by publint and attw, installed into an app that
// compiles under strict settings without skipLibCheck, and loaded by import and by require.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.js';

const root = resolve(import.meta.dirname, '../..');
const temp = tempDir('recwatch-package-');
afterAll(() => temp.remove());
let tarball: string;
let files: string[];

beforeAll(() => {
  // Scripts skipped: `prepare` would rebuild; `npm test` has built dist already.
  const out = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', temp.path],
    { cwd: root, encoding: 'utf8' },
  );
  const [packed] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
  tarball = join(temp.path, packed.filename);
  files = packed.files.map((file) => file.path);
}, 60_000);

describe('the packed package', () => {
  it('ships the code, its types, the docs and the licence, and no source maps', () => {
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('docs/lifecycle.md');
    expect(files).toContain('docs/trace-format.md');
    expect(files).toContain('LICENSE');
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('test/') || file.startsWith('src/'))).toEqual([]);
  });

  it('has every relative link of its Markdown files resolve inside the package', () => {
    const broken: string[] = [];
    for (const file of files.filter((name) => name.endsWith('.md'))) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (target === undefined || /^[a-z]+:/i.test(target)) continue;
        const linked = join(file, '..', target).replaceAll('\\', '/');
        if (!files.includes(linked) && !files.some((name) => name.startsWith(`${linked}/`))) {
          broken.push(`${file} → ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('passes publint with no warning or error', async () => {
    const { messages } = await publint({
      pkgDir: 'package',
      strict: true,
      pack: { tarball: readFileSync(tarball).buffer as ArrayBuffer },
    });
    expect(messages.filter((message) => message.type !== 'suggestion')).toEqual([]);
  });

  it('resolves its types under every module resolution (arethetypeswrong)', async () => {
    const result = await checkPackage(createPackageFromTarballData(readFileSync(tarball)));
    const problems = 'problems' in result ? result.problems : [];
    // ESM only, loaded by require() through Node's require(esm) (engines: >= 20.19); TypeScript
    // allows that under `module: nodenext`, which the CommonJS app below compiles with.
    const kinds = problems
      .map((problem) => problem.kind)
      .filter((kind) => kind !== 'CJSResolvesToESM');
    expect(kinds).toEqual([]);
  }, 60_000);
});

describe('an app that installs it', () => {
  let app: string;

  beforeAll(() => {
    app = join(temp.path, 'app');
    const installed = join(app, 'node_modules', 'recwatch');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    // The package's runtime dependencies, as npm would install them; no @types the app lacks.
    for (const dependency of ['xstate', 'rxjs', 'zod', 'better-sqlite3', '@opentelemetry/api']) {
      mkdirSync(dirname(join(app, 'node_modules', dependency)), { recursive: true });
      symlinkSync(join(root, 'node_modules', dependency), join(app, 'node_modules', dependency));
    }
    mkdirSync(join(app, 'node_modules', '@types'));
    symlinkSync(join(root, 'node_modules/@types/node'), join(app, 'node_modules/@types/node'));
  });

  it('compiles under strict with skipLibCheck off', () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          noEmit: true,
          types: ['node'],
        },
        files: ['app.ts', 'required.cts'],
      }),
    );
    writeFileSync(
      join(app, 'app.ts'),
      [
        "import { createCore, picture, step, type CoreOutput } from 'recwatch';",
        "const { state, outputs } = step(createCore(), { at: 0, type: 'start', recording: 'r1', cname: 'room', uid: '1', mode: 'mix' });",
        'const kinds: string[] = outputs.map((output: CoreOutput) => output.kind);',
        'console.log(kinds, picture(state));',
        '// @ts-expect-error a misspelt record does not compile against the published types',
        "step(createCore(), { at: 0, type: 'strat', recordin: 'r1' });",
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'required.cts'),
      [
        "import recwatch = require('recwatch');",
        "const first = recwatch.step(recwatch.createCore(), { at: 0, type: 'tick' });",
        'console.log(first.outputs.length);',
      ].join('\n'),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = () => {
      try {
        return execFileSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8' });
      } catch (error) {
        // The compiler's own words, not just its exit status.
        throw new Error(String((error as { stdout?: string }).stdout ?? error));
      }
    };
    expect(run).not.toThrow();
  }, 60_000);

  it('opens without pg installed, and a PostgreSQL log then asks for it by name (npm install pg)', () => {
    // pg is an optional peer dependency: loaded only when a PostgreSQL log opens its own pool.
    writeFileSync(
      join(app, 'postgres-without-pg.mjs'),
      [
        "import { openPostgresLog } from 'recwatch/postgres';",
        "const main = await import('recwatch');",
        'try {',
        "  await openPostgresLog('postgres://127.0.0.1:9/none');",
        "  console.log('opened');",
        '} catch (error) {',
        '  console.log(JSON.stringify({ main: typeof main.createSupervisor, recwatch: main.isRecwatchError(error, "CONFIGURATION"), message: error.message }));',
        '}',
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, [join(app, 'postgres-without-pg.mjs')], {
      encoding: 'utf8',
    });
    const seen = JSON.parse(out.trim()) as { main: string; recwatch: boolean; message: string };
    expect(seen).toMatchObject({ main: 'function', recwatch: true });
    expect(seen.message).toContain('npm install pg');
  });

  it('loads with require() as well as import', () => {
    writeFileSync(
      join(app, 'required.cjs'),
      "const recwatch = require('recwatch'); console.log(typeof recwatch.createCore, typeof recwatch.step);",
    );
    writeFileSync(
      join(app, 'imported.mjs'),
      "import { createCore, step } from 'recwatch'; console.log(typeof createCore, typeof step);",
    );
    for (const script of ['required.cjs', 'imported.mjs']) {
      const out = execFileSync(process.execPath, [join(app, script)], { encoding: 'utf8' });
      expect(out.trim()).toBe('function function');
    }
  });
});
