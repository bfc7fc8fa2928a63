// Debian's Chromium driven by playwright-core: never a downloaded browser. Outside CI the browser
// tests skip (with a message) when /usr/bin/chromium is absent; in CI they must run.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { root } from '../cli/recwatch.js';

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests run here; in CI a missing Chromium is a failure, not a skip. */
export const hasChromium = existsSync(CHROMIUM) || process.env.CI !== undefined;
if (!hasChromium) {
  console.warn(
    `browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium); CI runs them`,
  );
}

/** Where screenshots go (gitignored). */
export const OUTPUT = join(root, 'test-output');

/** Starts headless Chromium. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(OUTPUT, { recursive: true });
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The built inspector (the page's script exists only in the build). */
export async function builtInspector(): Promise<typeof import('../../src/inspect/index.js')> {
  const entry = join(root, 'dist/src/inspect/index.js');
  if (!existsSync(entry)) throw new Error('build first: npm run build');
  return import(entry);
}
