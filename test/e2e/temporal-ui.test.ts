import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_PATH, launchChromium, screenshot, skipBrowserTests } from '../helpers/browser';
import { resolveTemporalCli } from '../../temporal/cli';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { registerSearchAttributes } from '../../temporal/search-attributes';
import { freePort } from '../helpers/environment';
import { startHarness, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// What a manager does (README "For managers"): open the Temporal UI of the run's dev server, filter the
// workflow list by our search attributes, open a ticket and read its summary and current details.
// Summaries are encrypted payloads (temporal/codec.ts), so the UI decodes them through the API's codec
// endpoint, set as its Data Encoder. The UI cannot send an API key itself; here the browser adds the
// manager's key to those calls, as a single-sign-on proxy in front of the UI would.
if (skipBrowserTests) console.warn(`test/e2e/temporal-ui.test.ts: browser tests skipped, ${CHROMIUM_PATH} is missing (apt-get install chromium); CI always runs them`);

describe.skipIf(skipBrowserTests)('Temporal UI in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;

  const ui = inject('crm').temporalUiUrl;

  beforeAll(async () => {
    h = await startHarness({ worker: true, env: { TEMPORAL_UI_URL: ui } });
    const api = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const codec = `${api}/codec`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // The UI keeps its Data Encoder endpoint in local storage (JSON), read when it starts.
    await page.addInitScript(`localStorage.setItem('endpoint', ${JSON.stringify(JSON.stringify(codec))})`);
    await page.route(`${codec}/**`, (route) => route.continue({ headers: { ...route.request().headers(), ...h.users.manager.auth } }));
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Text anywhere on the page, including the sandboxed frames in which the UI renders summaries and details. */
  async function pageText(): Promise<string> {
    const texts = await Promise.all(page.frames().map((frame) => frame.locator('body').innerText().catch(() => '')));
    return texts.join('\n');
  }

  it('lists a seeded ticket for a CrmKind="ticket" query and shows its summary and current details', async () => {
    const t = ticketDriver(h);
    const customer = await t.customer('vip');
    const ticket = await t.open({ customerId: customer.id, priority: 'high', category: 'fault' });
    const workflowId = `ticket-${ticket.id}`;
    const summary = `Ticket ${ticket.id} · VIP · high · fault`;
    const query = `CrmKind="ticket" AND CrmCustomerId="${customer.id}"`;

    // The list reads visibility, which lags a moment behind the workflow: reload until the ticket is listed.
    await eventually(async () => {
      await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
      return page.getByRole('link', { name: workflowId }).first().waitFor({ timeout: 5_000 }).then(() => true, () => false);
    }, (listed) => listed, { timeoutMs: 60_000, intervalMs: 500 });
    await screenshot(page, 'ticket-list', 'temporal-ui');

    await page.getByRole('link', { name: workflowId }).first().click();
    await page.getByRole('link', { name: 'User Metadata' }).or(page.getByText('User Metadata', { exact: true })).first().click();
    const shown = await eventually(pageText, (text) => text.includes(summary) && text.includes('next deadline'), { timeoutMs: 30_000, intervalMs: 500 });
    expect(shown).toContain(`Customer ${customer.id} via phone`);
    expect(shown).toMatch(/new at L1 · next deadline \d{4}-/);
    await screenshot(page, 'ticket-summary', 'temporal-ui');
  });
});

// What `npm start` sets up: the dev server's UI is given the API's codec endpoint, and the codec admits
// the UI's own origin from this machine, so a manager reads current details in clear text with nothing
// to type or configure. A dev server of its own, started as `npm start` starts it.
describe.skipIf(skipBrowserTests)('Temporal UI as npm start runs it', () => {
  let dir: string;
  let server: DevServer;
  let h: Harness;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'crmflow-ui-codec-'));
    const [port, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    server = await startDevServer({
      cli: await resolveTemporalCli({ explicit: process.env.TEMPORAL_CLI || null }), port, uiPort, uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
      dbFile: null, namespace: 'default', logFile: path.join(dir, 'temporal.log'),
    });
    const connection = await Connection.connect({ address: server.address });
    await registerSearchAttributes(connection, 'default');
    await connection.close();
    h = await startHarness({ worker: true, env: { TEMPORAL_ADDRESS: server.address, TEMPORAL_UI_URL: `http://localhost:${uiPort}` } });
    await h.app.listen({ port: apiPort, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a ticket\'s summary and current details decrypted on a fresh start, without a key or a Data Encoder to set', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const t = ticketDriver(h);
    const customer = await t.customer();
    const ticket = await t.open({ customerId: customer.id, priority: 'high', category: 'fault' });
    await page.goto(`${h.config.temporal.uiUrl}/namespaces/default/workflows/ticket-${ticket.id}`);
    await page.getByRole('link', { name: 'User Metadata' }).or(page.getByText('User Metadata', { exact: true })).first().click();
    const texts = async () => (await Promise.all(page.frames().map((frame) => frame.locator('body').innerText().catch(() => '')))).join('\n');
    const shown = await eventually(texts, (text) => text.includes(`Ticket ${ticket.id} · STANDARD · high · fault`) && text.includes('next deadline'), { timeoutMs: 60_000, intervalMs: 500 });
    expect(shown).toMatch(/new at L1 · next deadline \d{4}-/);
    await screenshot(page, 'ticket-decoded-under-npm-start', 'temporal-ui');
  });
});

