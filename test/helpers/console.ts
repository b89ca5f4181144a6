import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Role } from '../../domain/roles';
import { launchChromium, pageErrors, screenshot } from './browser';
import { startHarness, type Harness } from './harness';

/**
 * The console in Chromium for one describe block: a browser for the block, a context per signed-in user,
 * screenshots of every open page when a test fails, and no page error left unexplained at the end (refusals
 * shown on purpose log a failed request, which pageErrors leaves out; anything else is a bug).
 * `harness` and `base` are read when a user signs in, after the file's own beforeAll has set them.
 */
export function consoleInChromium(name: string, harness: () => Harness, base: () => string) {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => {
    await browser?.close();
    expect(errors.flat()).toEqual([]);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const pages = contexts.flatMap((c) => c.pages());
    await Promise.all(pages.map((page, i) => screenshot(page, `failed-${name}-${task.name.slice(0, 30).replace(/\W+/g, '-')}-${i}`)));
  });

  return {
    /** Signs `role`'s test user in (or `key`, another user's) and waits for their home page's heading. */
    async signIn(role: Role, home: string, key = harness().users[role].auth.authorization.slice('Bearer '.length)): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      const page = await context.newPage();
      errors.push(pageErrors(page));
      await page.goto(`${base()}/console`);
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: home, level: 1 }).waitFor();
      return page;
    },
  };
}

/** The actions the page's action panel offers now, by their `data-action`. */
export const buttonsOf = (page: Page) => page.locator('[role=group][aria-label=Actions] button').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
/** The text of each cell of the table rows `selector` finds. */
export const cells = (page: Page, selector: string) => page.locator(selector).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent)));

/** Opens a page from the header's nav by its link, through the "More" menu where it sits there. */
export async function openFromNav(page: Page, name: string) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const link = nav.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) await nav.locator('#nav-more > summary').click();
  await link.click();
}

/** The real stack with the API listening on a loopback port, where a browser can reach the console. */
export async function listeningHarness(options: Parameters<typeof startHarness>[0]): Promise<{ h: Harness; base: string }> {
  const h = await startHarness(options);
  // Fastify answers with the address it listens on.
  return { h, base: await h.app.listen({ port: 0, host: '127.0.0.1' }) };
}
