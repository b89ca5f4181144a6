import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; CI installs it (.ci/run), playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Browser tests may be skipped on a developer machine without chromium, never in CI. */
export const skipBrowserTests = !existsSync(CHROMIUM_PATH) && !process.env.CI;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Saves a full-page screenshot as test-artifacts/run/<folder>/<name>.png (ignored by git), or, with
 * UPDATE_SCREENSHOTS=1, as test-artifacts/<folder>/<name>.png, where the console's are committed: a plain
 * test run leaves the working tree as it found it.
 */
export async function screenshot(page: Page, name: string, folder = 'console') {
  const dir = new URL(`../../test-artifacts/${process.env.UPDATE_SCREENSHOTS === '1' ? '' : 'run/'}${folder}/`, import.meta.url);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, dir).pathname, fullPage: true });
}

/**
 * Errors the page itself reports: uncaught exceptions and console errors such as CSP violations.
 * Refused requests (a 409 shown to the user on purpose) also log an error line; those are expected.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  return errors;
}
