import { chromiumPresent, CHROMIUM } from './chromium.js';

/**
 * Says once per run, on one line, that the browser suites are skipped where Chromium is missing.
 * vitest runs a global setup for each project that has it, in the one main process: the
 * environment remembers that the line was written.
 */
export default function setup(): void {
  if (chromiumPresent() || process.env['PARLEY_CHROMIUM_MISSING_SAID']) return;
  process.env['PARLEY_CHROMIUM_MISSING_SAID'] = '1';
  console.warn(`Browser suites (GraphiQL, the Parley Console): skipped, ${CHROMIUM} is missing (install it with \`apt-get install -y chromium\`; .ci/run does so)`);
}
