import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, skipBrowserTests } from '../helpers/browser';
import { buttonsOf, cells, consoleInChromium } from '../helpers/console';
import { contractDriver } from '../helpers/contracts';
import { startHarness, type Harness } from '../helpers/harness';

// The retention step (issue 17) as an agent takes it on the contract page: the customer asks to leave, the
// agent records an offer, and the customer's answer either amends the prices at once or lets the notice run.

let h: Harness;
let base: string;
let c: ReturnType<typeof contractDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  c = contractDriver(h);
});
afterAll(async () => { await h?.close(); });

const DAY_MS = 86_400_000;
type Event = { action: string; actorId: string; note: string | null };

/** A price less `percent`, half up to the cent, as the API writes money. */
const discounted = (price: string, percent: number) => (Math.round(Math.round(Number(price) * 100) * (100 - percent) / 100) / 100).toFixed(2);

/** The value the page's particulars show for `term`. */
const pair = (page: Page, term: string) => page.locator(`dt:text-is("${term}") + dd`).textContent();
/** An instant as the console writes it (console/dom.js formatTime, in the browser's locale and zone). */
// A string, so that vitest's transform leaves the browser's own import() alone.
const shownTime = (page: Page, iso: string): Promise<string> => page.evaluate(`import('/console/dom.js').then((dom) => dom.formatTime(${JSON.stringify(iso)}))`);

describe.skipIf(skipBrowserTests)('retention on the contract page in Chromium', () => {
  const chromium = consoleInChromium('retention', () => h, () => base);

  /** The agent on the contract's page. */
  async function contractPage(id: string): Promise<Page> {
    const page = await chromium.signIn('agent', 'Front line');
    await page.goto(`${base}/console#/contracts/${id}`);
    await page.getByRole('heading', { name: `Contract ${id}`, level: 1 }).waitFor();
    await page.locator('#contract-status[data-status="active"]').waitFor();
    return page;
  }

  /** Opens the action's form, fills `fields` (label → value) and sends it; waits for the buttons the API allows next. */
  async function act(page: Page, action: string, form: string, fields: Record<string, string>, next: string[]) {
    await page.locator(`button[data-action="${action}"]`).click();
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
    await page.getByRole('form', { name: form }).getByRole('button', { name: form }).click();
    await expect.poll(() => buttonsOf(page)).toEqual(next);
    expect(await page.locator('#action-error').textContent()).toBe('');
  }

  it('records a request, an offer and the acceptance: every price is amended by old × (1 − discount)', { timeout: 120_000 }, async () => {
    const [a, b] = [await c.product('150.00'), await c.product('40.00')];
    const old = [{ sku: a.sku, unitPrice: '100.00' }, { sku: b.sku, unitPrice: '33.33' }];
    const contract = await c.active({ prices: old, noticeDays: 30 });
    const page = await contractPage(contract.id);
    expect(await buttonsOf(page)).toEqual(['termination-request']);

    await act(page, 'termination-request', 'Customer wants to leave', { 'Why the customer wants to leave': 'a competitor is cheaper' }, ['retention-offer', 'retention-decline']);
    expect(await page.locator('#toast').textContent()).toBe('Customer wants to leave: done. The contract is now active.');
    // An offer of nothing: the API refuses it and the page says so in its words, keeping the form.
    await page.locator('button[data-action="retention-offer"]').click();
    await page.getByRole('form', { name: 'Record a retention offer' }).getByRole('button', { name: 'Record a retention offer' }).click();
    await page.locator('#action-error', { hasText: 'a retention offer names a discount, a term extension or an alternative' }).waitFor();
    await page.getByLabel('Discount on every price, in percent').fill('7.5');
    await page.getByRole('form', { name: 'Record a retention offer' }).getByRole('button', { name: 'Record a retention offer' }).click();
    await expect.poll(() => buttonsOf(page)).toEqual(['retention-offer', 'retention-accept', 'retention-decline']);
    expect(await page.locator('#action-error').textContent()).toBe('');

    await act(page, 'retention-accept', 'Customer accepts the offer', { Note: 'agreed on the phone' }, ['termination-request']);
    // The new version's diff on the page: each price before and after, nothing else changed.
    const amended = old.map((p) => ({ sku: p.sku, unitPrice: discounted(p.unitPrice, 7.5) }));
    expect(amended.map((p) => p.unitPrice)).toEqual(['92.50', '30.83']);
    // The diff lists changed prices by SKU (random here); the price table keeps the contract's order.
    const bySku = <T extends { sku: string }>(list: T[]) => list.slice().sort((x, y) => x.sku.localeCompare(y.sku));
    await page.locator('li[data-version="2"] table.diff').waitFor();
    expect(await cells(page, 'li[data-version="2"] table.diff tbody tr')).toEqual(bySku(old).map((p) => [`price ${p.sku}`, p.unitPrice, discounted(p.unitPrice, 7.5)]));
    expect(await page.locator('li[data-version="2"]').textContent()).toContain('retention case 1: 7.5 % off');
    expect(await cells(page, 'table:has(caption:text-is("Contract prices")) tbody tr')).toEqual(amended.map((p) => [p.sku, p.unitPrice]));
    const requestedAt = (await c.get(contract.id)).live.retention.requestedAt;
    expect(await pair(page, 'Retention')).toBe(`retained asked ${await shownTime(page, requestedAt)}: a competitor is cheaper · offered 7.5 % off`);
    await screenshot(page, '60-retention-accepted');

    // The API holds what was typed and who did it.
    const detail = await c.get(contract.id);
    expect(detail.live).toMatchObject({
      version: 2, prices: amended, terminationAt: null,
      retention: { case: 1, status: 'retained', requestedBy: h.users.agent.id, reason: 'a competitor is cheaper', offer: { discountPercent: 7.5, months: null, alternative: null } },
    });
    expect(detail.versions.map((v: { version: number; status: string; createdBy: string }) => [v.version, v.status, v.createdBy])).toEqual([
      [1, 'superseded', h.users.agent.id], [2, 'in_force', h.users.agent.id],
    ]);
    // The refused empty offer left no trace.
    expect(detail.timeline.filter((e: Event) => e.action === 'retention-offer')).toHaveLength(1);
    expect(detail.timeline.slice(-3).map((e: Event) => [e.action, e.actorId, e.note])).toEqual([
      ['termination-request', h.users.agent.id, 'a competitor is cheaper'], ['retention-offer', h.users.agent.id, '7.5 % off'], ['retention-accept', h.users.agent.id, 'agreed on the phone'],
    ]);
  });

  it('records a declined offer: the contract ends noticeDays after the request, not after the answer', { timeout: 120_000 }, async () => {
    const contract = await c.active({ noticeDays: 45 });
    const page = await contractPage(contract.id);
    await act(page, 'termination-request', 'Customer wants to leave', { 'Why the customer wants to leave': 'moving abroad' }, ['retention-offer', 'retention-decline']);
    await act(page, 'retention-offer', 'Record a retention offer', { 'Extend the term by months': '3', 'An alternative in words': 'pause the contract instead' },
      ['retention-offer', 'retention-accept', 'retention-decline']);
    await act(page, 'retention-decline', 'Customer declines: terminate with notice', { Note: 'no thanks' }, []);

    const detail = await c.get(contract.id);
    const requestedAt = Date.parse(detail.live.retention.requestedAt);
    expect(detail.live).toMatchObject({ status: 'active', retention: { status: 'lost', requestedBy: h.users.agent.id, offer: { discountPercent: null, months: 3, alternative: 'pause the contract instead' } } });
    expect(Date.parse(detail.live.terminationAt)).toBe(requestedAt + 45 * DAY_MS);
    expect(Date.parse(detail.live.retention.decidedAt)).toBeGreaterThan(requestedAt);
    expect(detail.timeline.slice(-2).map((e: Event) => [e.action, e.actorId, e.note])).toEqual([
      ['retention-offer', h.users.agent.id, 'term extended by 3 months; pause the contract instead'], ['retention-decline', h.users.agent.id, 'no thanks'],
    ]);
    // The page shows the same instants the API holds.
    expect(await pair(page, 'Terminates')).toBe(await shownTime(page, detail.live.terminationAt));
    expect(await pair(page, 'Retention')).toBe(`lost asked ${await shownTime(page, detail.live.retention.requestedAt)}: moving abroad · offered 3 more months, pause the contract instead`);
    await screenshot(page, '61-retention-declined');
  });
});
