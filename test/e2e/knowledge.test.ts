import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pageErrors, screenshot, skipBrowserTests, CHROMIUM_PATH } from '../helpers/browser';
import { madeUpWord, stackOnOwnDatabase } from '../helpers/own-database';
import { ticketDriver } from '../helpers/tickets';

// The knowledge base in the console: suggestions as the agent writes a complaint, and an article search on
// the ticket page from which the resolution cites. Suggestions match any word of the text against every
// published article, so the file has a database of its own: other files' articles share words like "tariff".
const stack = stackOnOwnDatabase();

if (skipBrowserTests) console.warn(`test/e2e/knowledge.test.ts: browser tests skipped, ${CHROMIUM_PATH} is missing`);

describe.skipIf(skipBrowserTests)('knowledge base in the console', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser?.close(); });

  async function signedInAsAgent(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${stack.base}/console`);
    await page.getByLabel('API key').fill(stack.h.users.agent.auth.authorization.slice('Bearer '.length));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#user-name', { hasText: 'Test agent' }).waitFor();
    return { page, errors };
  }

  it('suggests published articles while the agent writes the complaint, and cites the picked ones when resolving', { timeout: 90_000 }, async () => {
    const t = ticketDriver(stack.h);
    const w = madeUpWord();
    const write = async (title: string, body: string) => {
      const article = await t.call('knowledge_engineer', 'POST', '/articles', { title, body, category: 'consultation' }, 201);
      return article.id as string;
    };
    const best = await write(`${w} tariff change`, `How to change the ${w} tariff.`);
    const other = await write(`Roaming abroad`, `The ${w} roaming zones.`);
    const draft = await write(`${w} unpublished`, `${w} ${w}`);
    for (const id of [best, other]) await t.call('knowledge_engineer', 'POST', `/articles/${id}/publish`, {});

    const { page, errors } = await signedInAsAgent();
    await page.getByRole('heading', { name: 'Front line' }).waitFor();
    await page.getByLabel('Subject').fill(`Question about the ${w}`);
    await page.getByLabel('What the customer reports').fill('Wants to change the tariff');
    const suggested = page.getByRole('region', { name: 'Suggested articles' });
    await suggested.locator(`li[data-article="${other}"]`).waitFor();
    expect(await suggested.locator('li').evaluateAll((els) => els.map((el) => el.getAttribute('data-article')))).toEqual([best, other]);
    await screenshot(page, 'knowledge-01-intake-suggestions');

    const ticket = await t.open({ category: 'consultation', subject: 'Tariff question', description: 'Which tariff fits?' });
    await page.goto(`${stack.base}/console#/tickets/${ticket.id}`);
    await page.locator('#ticket-status[data-status="new"]').waitFor();
    await page.getByLabel('Search articles').fill(w);
    const result = page.locator(`li[data-article="${best}"]`);
    await result.getByRole('button', { name: 'Cite' }).click();
    await page.locator('#cited-articles', { hasText: best }).waitFor();
    expect(await page.locator(`li[data-article="${draft}"]`).count()).toBe(0);

    await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Resolve', exact: true }).click();
    const form = page.getByRole('form', { name: 'Resolve' });
    await form.getByLabel('Resolution').fill('Moved the customer to the new tariff');
    await form.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.locator('#ticket-status[data-status="resolved"]').waitFor();
    await page.getByText(`Cited articles: ${w} tariff change (${best})`).waitFor();
    await page.locator('#cited-articles', { hasText: 'No article picked to cite.' }).waitFor();
    await screenshot(page, 'knowledge-02-resolution-cites');
    expect((await t.get(ticket.id)).citedArticles.map((c: { articleId: string }) => c.articleId)).toEqual([best]);
    expect(errors).toEqual([]);
  });
});
