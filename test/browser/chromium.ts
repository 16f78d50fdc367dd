import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
// The flags of ../shared/TESTING.md; playwright gives every launch a fresh temporary user-data-dir.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Whether Debian's Chromium is here. Where it is not, the browser suites are skipped, and the run
 * says so once, on one line (test/browser/global-setup.ts; CI installs it, so there they always run).
 */
export const chromiumPresent = (): boolean => existsSync(CHROMIUM);

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
