import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../domain/dates';
import { startHarness, type Harness } from '../helpers/harness';
import { ticketDriver } from '../helpers/tickets';

// Appendix A for reports: a report's days are the business time zone's, as invoices' and contracts' are. The
// zone is one whose day differs from UTC's while the test runs (UTC+14 from 10:00 UTC, UTC−11 before
// 11:00 UTC), so counting UTC days would fail the test at any hour.
const ZONE = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';

let h: Harness;
let t: ReturnType<typeof ticketDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['tickets', 'notifications'], env: { CRM_BUSINESS_TIME_ZONE: ZONE } });
  t = ticketDriver(h);
});
afterAll(async () => { await h?.close(); });

describe('reports in the business time zone', () => {
  it("counts a ticket on the zone's day of its intake, and replays the queue at the end of the zone's days", async () => {
    const customer = await t.customer();
    const ticket = await t.open({ customerId: customer.id });
    const created = Date.parse((await t.get(ticket.id)).createdAt);
    const zoneDay = dayOf(created, ZONE);
    const utcDay = dayOf(created);
    expect(zoneDay).not.toBe(utcDay);

    const report = (path: string) => t.call('manager', 'GET', `/reports/${path}&customerId=${customer.id}`);
    expect((await report(`tickets?from=${zoneDay}&to=${zoneDay}`)).total).toBe(1);
    expect((await report(`tickets?from=${utcDay}&to=${utcDay}`)).total).toBe(0);

    // The new ticket waits at L1 from its intake on: at the end of the zone's day of intake, and of the day after;
    // the zone's day before had none. Both days of the range are the zone's.
    const [first, last] = [zoneDay, utcDay].sort();
    const daily = await report(`tickets/daily?from=${first}&to=${last}`);
    expect(daily.queueDepth).toEqual(zoneDay === first
      ? [{ day: zoneDay, L1: 1, L2: 0, L3: 0 }, { day: utcDay, L1: 1, L2: 0, L3: 0 }]
      : [{ day: utcDay, L1: 0, L2: 0, L3: 0 }, { day: zoneDay, L1: 1, L2: 0, L3: 0 }]);

    // Receivables are aged to the zone's today unless asked otherwise, and the console counts the same days.
    expect((await t.call('finance', 'GET', `/reports/receivables?customerId=${customer.id}`)).asOf).toBe(dayOf(Date.now(), ZONE));
    const settings = await h.app.inject({ method: 'GET', url: '/console/settings.json' });
    expect(settings.json().businessTimeZone).toBe(ZONE);
  });
});
