// Module hooks (node:module `register`) that strip the types of our .ts sources with oxc (the
// transformer Vite itself uses, through rolldown), and resolve a `./x.js` import of a .ts module
// to `./x.ts` when only that exists, as TypeScript's NodeNext resolution reads it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/experimental';

export async function resolve(specifier, context, next) {
  const fromTypeScript = context.parentURL?.endsWith('.ts') === true;
  if (fromTypeScript && specifier.startsWith('.') && specifier.endsWith('.js')) {
    try {
      return await next(`${specifier.slice(0, -'.js'.length)}.ts`, context);
    } catch {
      // No .ts of that name: the .js itself.
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const { code, errors } = transformSync(path, await readFile(path, 'utf8'), { lang: 'ts' });
  if (errors.length > 0) throw new Error(`${path}: ${errors[0].message}`);
  return { format: 'module', source: code, shortCircuit: true };
}
