import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../channels/render';
import { ROLES, type Role } from '../../domain/roles';
import { screenshot, skipBrowserTests } from '../helpers/browser';
import { cells, consoleInChromium, openFromNav } from '../helpers/console';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// The admin's and manager's desk (issue 16): users and their keys, settings and calendars, webhooks and
// failed deliveries, and the audit log that records it all. A database of its own: the test changes settings
// and reads whole lists (settings, failures) that other files would add to.

let fresh: FreshDatabase;
let h: Harness;
let base: string;
let receiver: Server;

beforeAll(async () => {
  // A webhook receiver that has gone for good: every delivery to it fails at once (410 is not retried).
  receiver = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(410).end()); });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  fresh = await freshDatabase();
  h = await startHarness({ worker: true, env: { DATABASE_URL: fresh.url } });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await h?.close();
  await fresh?.drop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const call = async (role: Role, method: 'GET' | 'PUT', url: string) => {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: h.users[role].auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
/** The refusal a form shows, once the API has answered (an empty alert is hidden, so waiting for it waits for the answer). */
async function alertOf(scope: Locator): Promise<string | null> {
  const alert = scope.getByRole('alert');
  await alert.waitFor();
  return alert.textContent();
}
const keyIdOf = (apiKey: string) => /^crm_(k[0-9a-f]{16})_/.exec(apiKey)![1]!;

describe('admin vocabulary', () => {
  it('offers every role and notification language the API knows', async () => {
    const vocab = await import(new URL('../../console/vocab.js', import.meta.url).href);
    expect({ roles: vocab.ROLES, languages: vocab.LANGUAGES }).toEqual({ roles: [...ROLES], languages: LANGUAGES });
  });
});

describe.skipIf(skipBrowserTests)("the admin's and manager's desk in Chromium", () => {
  const chromium = consoleInChromium('desk-admin', () => h, () => base);
  const name = `Key Holder ${uniq()}`;
  const email = `holder-${uniq()}@test.local`;
  let userId: string;
  const calendar = `office-${uniq()}`;
  let firstKey: string;
  let secondKey: string;
  let admin: Page;

  async function open(page: Page, link: string, heading: string) {
    await openFromNav(page, link);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }

  it('creates a user whose key is shown once and works; a revoked key sends its holder back to sign in', { timeout: 120_000 }, async () => {
    admin = await chromium.signIn('admin', 'My tasks');
    await open(admin, 'Users', 'Users');
    const form = admin.getByRole('form', { name: 'New user' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Notification language').selectOption('de');
    await form.getByLabel('agent', { exact: true }).check();
    await form.getByRole('button', { name: 'Create user' }).click();
    const box = admin.getByRole('dialog', { name: new RegExp(`^API key of ${name}`) });
    await box.waitFor();
    userId = /\((U-\d+)\)$/.exec((await box.getByRole('heading').textContent())!)![1]!;
    firstKey = await box.getByLabel('Secret').inputValue();
    expect(await admin.locator(':focus').textContent()).toBe(`API key of ${name} (${userId})`);
    await admin.locator(`#users tr[data-user="${userId}"]`).waitFor();
    expect(await cells(admin, `#users tr[data-user="${userId}"]`)).toEqual([[userId, name, email, 'agent', 'L1', 'active', 'Deactivate']]);
    await screenshot(admin, '70-admin-user-created-key-once');
    expect(await call('admin', 'GET', `/users/${userId}`)).toEqual({
      id: userId, name, email, roles: ['agent'], tiers: ['L1'], active: true, language: 'de', createdAt: expect.any(String),
      keys: [{ keyId: keyIdOf(firstKey), createdAt: expect.any(String), revokedAt: null }],
    });
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await box.getByRole('button', { name: 'Copy' }).click();
    await admin.locator('#toast', { hasText: 'Copied to the clipboard.' }).waitFor();
    expect(await admin.evaluate('navigator.clipboard.readText()')).toBe(firstKey);
    await box.getByRole('button', { name: 'Done, close' }).click();
    expect(await box.count()).toBe(0);

    // The new user signs in with the key in a browser of their own.
    const holder = await chromium.signIn('agent', 'Front line', firstKey);
    expect(await holder.locator('#user-name').textContent()).toBe(name);

    // The admin issues a second key on the user's page and revokes the first, after a confirmation.
    await admin.locator(`#users tr[data-user="${userId}"] a`).click();
    await admin.getByRole('heading', { name: `${name} (${userId})`, level: 1 }).waitFor();
    await admin.getByRole('button', { name: 'Issue a new key' }).click();
    const issued = admin.getByRole('dialog', { name: /^New API key k[0-9a-f]{16} of / });
    await issued.waitFor();
    secondKey = await issued.getByLabel('Secret').inputValue();
    await admin.locator(`#user-keys tr[data-key="${keyIdOf(secondKey)}"]`).waitFor();
    let asked = '';
    admin.once('dialog', (dialog) => { asked = dialog.message(); void dialog.accept(); });
    await admin.getByRole('button', { name: `Revoke ${keyIdOf(firstKey)}` }).click();
    await admin.locator(`#user-keys tr[data-key="${keyIdOf(firstKey)}"] td:nth-child(3)`, { hasText: /^revoked / }).waitFor();
    expect(asked).toBe(`Revoke key ${keyIdOf(firstKey)} of ${name}? Whoever signs in with it is refused from their next request on.`);
    await admin.locator('#toast', { hasText: `Key ${keyIdOf(firstKey)} of ${name} revoked.` }).waitFor();
    expect(await cells(admin, '#user-keys tbody tr').then((rows) => rows.map((row) => [row[0], row[2]!.startsWith('revoked ') ? 'revoked' : row[2], row[3]]))).toEqual([
      [keyIdOf(secondKey), 'active', `Revoke ${keyIdOf(secondKey)}`],
      [keyIdOf(firstKey), 'revoked', ''],
    ]);
    await screenshot(admin, '71-admin-user-keys');

    // The holder's next call is refused: back to sign in, in the API's words; the old key is refused again.
    await holder.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await holder.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await holder.getByRole('alert').textContent()).toBe('the API key is unknown or revoked');
    await holder.getByLabel('API key').fill(firstKey);
    await holder.getByRole('button', { name: 'Sign in' }).click();
    await holder.getByRole('alert').filter({ hasText: 'the API key is unknown or revoked' }).waitFor();
    expect(await holder.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    // The second key works, on the page the holder was opening.
    await holder.getByLabel('API key').fill(secondKey);
    await holder.getByRole('button', { name: 'Sign in' }).click();
    await holder.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    expect(await holder.locator('#user-name').textContent()).toBe(name);
  });

  it("changes the user's roles, and refuses an admin taking away their own admin role in the API's words", { timeout: 60_000 }, async () => {
    const form = admin.getByRole('form', { name: 'Change' });
    await form.getByLabel('support_l2', { exact: true }).check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await admin.locator('#toast', { hasText: `${name} saved: roles changed.` }).waitFor();
    expect(await call('manager', 'GET', `/users/${userId}`)).toEqual({
      id: userId, name, email, roles: ['agent', 'support_l2'], tiers: ['L1', 'L2'], active: true, language: 'de', createdAt: expect.any(String),
      keys: [
        { keyId: keyIdOf(secondKey), createdAt: expect.any(String), revokedAt: null },
        { keyId: keyIdOf(firstKey), createdAt: expect.any(String), revokedAt: expect.any(String) },
      ],
    });

    await admin.goto(`${base}/console#/users/${h.users.admin.id}`);
    await admin.getByRole('heading', { name: `Test admin (${h.users.admin.id})`, level: 1 }).waitFor();
    const own = admin.getByRole('form', { name: 'Change' });
    await own.getByLabel('admin', { exact: true }).uncheck();
    await own.getByLabel('manager', { exact: true }).check();
    await own.getByRole('button', { name: 'Save changes' }).click();
    expect(await alertOf(own)).toBe('an admin cannot deactivate themselves or take away their own admin role; another admin can');
    expect((await call('admin', 'GET', `/users/${h.users.admin.id}`)).roles).toEqual(['admin']);
  });

  it("changes a setting and a calendar, showing a refused value in the API's words", { timeout: 60_000 }, async () => {
    const before = await call('admin', 'GET', '/settings');
    await open(admin, 'Settings', 'Settings');
    const row = admin.locator('tr[data-setting="sla.urgent.response"]');
    await row.waitFor();
    expect(await cells(admin, 'tr[data-setting="sla.urgent.response"]').then(([r]) => r!.slice(0, 3))).toEqual([
      'sla.urgent.responseurgent tickets: time from entering a queue to being claimed', '15m', '15m',
    ]);
    const value = row.getByLabel('New value of sla.urgent.response');
    await value.fill('20 minutes');
    await row.getByRole('button', { name: 'Save' }).click();
    expect(await alertOf(row)).toBe('some settings are invalid; nothing was changed — /sla.urgent.response: must be a positive duration such as "90s", "15m", "4h" or "14d"');
    expect(await call('admin', 'GET', '/settings')).toEqual(before);

    await value.fill('20m');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.locator('td.value', { hasText: /^20m$/ }).waitFor();
    expect(await row.locator('.error').textContent()).toBe('');
    expect(await call('manager', 'GET', '/settings')).toEqual({ ...before, 'sla.urgent.response': '20m' });

    await admin.getByText('New calendar', { exact: true }).click();
    const create = admin.getByRole('form', { name: 'New calendar' });
    await create.getByLabel('Name').fill(calendar);
    await create.getByLabel('Time zone').fill('Europe/Berlin');
    await create.getByLabel('Monday').fill('08:00-12:00, 13:00-17:00');
    for (const day of ['Tuesday', 'Wednesday', 'Thursday', 'Friday']) await create.getByLabel(day).fill('09:00-17:00');
    await create.getByLabel(/^Holidays/).fill('2026-12-24\n2026-12-25');
    await create.getByRole('button', { name: 'Create calendar' }).click();
    await admin.locator(`#calendars tr[data-key="${calendar}"]`).waitFor();
    const weekly = { mon: [['08:00', '12:00'], ['13:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] };
    expect(await call('supervisor', 'GET', `/calendars/${calendar}`)).toEqual({
      name: calendar, id: calendar, status: 'active', timeZone: 'Europe/Berlin', weekly, holidays: ['2026-12-24', '2026-12-25'],
    });

    // Fridays close at one; the form shows what is stored.
    await admin.getByText(`Change ${calendar}`, { exact: true }).click();
    const change = admin.getByRole('form', { name: `Calendar ${calendar}` });
    expect(await change.getByLabel('Monday').inputValue()).toBe('08:00-12:00, 13:00-17:00');
    await change.getByLabel('Friday').fill('09:00-13:00');
    await change.getByRole('button', { name: `Save ${calendar}` }).click();
    await admin.locator('#toast', { hasText: `Calendar ${calendar} saved.` }).waitFor();
    expect((await call('admin', 'GET', `/calendars/${calendar}`)).weekly).toEqual({ ...weekly, fri: [['09:00', '13:00']] });
    await screenshot(admin, '72-admin-settings');
  });

  it('shows a manager the audit log of that user, newest first, exactly as GET /audit has it', { timeout: 60_000 }, async () => {
    const manager = await chromium.signIn('manager', 'Dashboard');
    await open(manager, 'Audit log', 'Audit log');
    await manager.getByLabel('Resource').fill(`user:${userId}`);
    await manager.getByRole('button', { name: 'Show' }).click();
    await manager.locator('#audit-status', { hasText: '4 entries shown.' }).waitFor();
    const { items } = await call('manager', 'GET', `/audit?resource=user:${userId}`);
    expect(items.map((e: { action: string; actorName: string }) => [e.action, e.actorName])).toEqual([
      ['user.update', 'Test admin'], ['user.key.revoke', 'Test admin'], ['user.key.issue', 'Test admin'], ['user.create', 'Test admin'],
    ]);
    const shown = await cells(manager, '#audit tbody tr');
    expect(shown.map((row) => row.slice(1))).toEqual(items.map((e: { actorId: string; action: string; detail: unknown }) => [
      `Test admin (${e.actorId})`, e.action, `user ${userId}`, JSON.stringify(e.detail, null, 1),
    ]));
    expect(items.map((e: { detail: unknown }) => e.detail)).toEqual([
      { roles: ['agent', 'support_l2'] }, { keyId: keyIdOf(firstKey) }, { keyId: keyIdOf(secondKey) }, { roles: ['agent'] },
    ]);
    await screenshot(manager, '73-admin-audit-manager');

    // The admin's setting and calendar changes, by action.
    await manager.getByLabel('Resource').fill('');
    await manager.getByLabel('Action').fill('settings.update');
    await manager.getByRole('button', { name: 'Show' }).click();
    await manager.locator('#audit-status', { hasText: '1 entry shown.' }).waitFor();
    expect((await cells(manager, '#audit tbody tr')).map((row) => row.slice(1))).toEqual([
      [`Test admin (${h.users.admin.id})`, 'settings.update', 'settings', JSON.stringify({ 'sla.urgent.response': '20m' }, null, 1)],
    ]);

    // The manager reads the settings and calendars the admin changed, without the forms (PUT is the admin's).
    await open(manager, 'Settings', 'Settings');
    await manager.locator('tr[data-setting="sla.urgent.response"]').waitFor();
    expect(await cells(manager, 'tr[data-setting="sla.urgent.response"]').then(([r]) => r!.slice(1))).toEqual(['20m', '15m']);
    expect(await manager.locator('main form').count()).toBe(0);
    expect(await manager.locator(`section[data-calendar="${calendar}"] dd`).allTextContents()).toEqual([
      'Europe/Berlin', '08:00-12:00, 13:00-17:00', '09:00-17:00', '09:00-17:00', '09:00-17:00', '09:00-13:00', 'closed', 'closed', '2026-12-24, 2026-12-25',
    ]);
  });

  it("creates a webhook (its secret shown once), shows its failed delivery, lists it among the failures, deletes it", { timeout: 120_000 }, async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/gone`;
    await open(admin, 'Webhooks', 'Webhooks');
    const form = admin.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('URL').fill('ftp://example.com/hook');
    await form.getByLabel('every kind').check();
    await form.getByRole('button', { name: 'Create webhook' }).click();
    expect(await alertOf(form)).toBe('url must be an http or https URL');

    await form.getByLabel('URL').fill(url);
    await form.getByLabel('Description').fill('Old ticket mirror');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const box = admin.getByRole('dialog', { name: /^Signing secret of webhook / });
    await box.waitFor();
    expect(await box.getByLabel('Secret').inputValue()).toMatch(/^whsec_/);
    const hooks = (await call('admin', 'GET', '/webhooks')).items;
    expect(hooks).toEqual([{ id: expect.any(String), url, kinds: ['*'], description: 'Old ticket mirror', createdBy: h.users.admin.id, createdAt: expect.any(String) }]);
    const hook = hooks[0];

    const ticket = await ticketDriver(h).open();
    const deliveries = await eventually(async () => (await call('admin', 'GET', `/webhooks/${hook.id}/deliveries`)).items as Array<{ status: string; kind: string }>,
      (items) => items.length > 0 && items.every((d) => d.status === 'failed'));
    await admin.getByRole('button', { name: `Deliveries of ${hook.id}` }).click();
    await admin.locator('#webhook-deliveries tbody tr').first().waitFor();
    expect((await cells(admin, '#webhook-deliveries tbody tr')).map((row) => row.slice(1, 5))).toEqual(deliveries.map(() => ['ticket.opened', 'failed', '1', '410 HTTP 410']));
    await screenshot(admin, '74-admin-webhooks');

    // A supervisor finds it among the failed deliveries, linked to the ticket.
    const supervisor = await chromium.signIn('supervisor', 'Queue');
    await open(supervisor, 'Failed deliveries', 'Failed deliveries');
    const failures = (await call('supervisor', 'GET', '/notifications/failures')).items as Array<{ id: string; kind: string; channel: string; address: string; resource: { id: string } }>;
    expect(failures.filter((f) => f.channel === 'webhook')).toEqual([expect.objectContaining({ kind: 'ticket.opened', address: hook.id, resource: { type: 'ticket', id: ticket.id } })]);
    await supervisor.locator('#failures tbody tr').first().waitFor();
    expect((await cells(supervisor, '#failures tbody tr')).map((row) => row.slice(1, 5))).toEqual(failures.map((f) => [f.kind, f.channel, f.address, f.resource.id]));

    let asked = '';
    admin.once('dialog', (dialog) => { asked = dialog.message(); void dialog.accept(); });
    await admin.getByRole('button', { name: `Delete ${hook.id}` }).click();
    await admin.locator('#webhooks', { hasText: 'No webhooks' }).waitFor();
    expect(asked).toBe(`Delete webhook ${hook.id} (${url})? Nothing more is sent to it; its deliveries stay readable.`);
    expect((await call('admin', 'GET', '/webhooks')).items).toEqual([]);
  });
});
