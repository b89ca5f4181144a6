import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractDriver } from '../helpers/contracts';
import { startHarness, type Harness } from '../helpers/harness';
import { eventually } from '../helpers/wait';

// Appendix A: a date means 00:00 in the business time zone, and invoices, due dates and late fees count
// its calendar days. Berlin is UTC+2 in April 2026 (summer time from 29 March), so 22:30 UTC on 31 March
// is already 1 April there. Contract days are real days here: the dates below lie in the past.
let h: Harness;
let c: ReturnType<typeof contractDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { CRM_BUSINESS_TIME_ZONE: 'Europe/Berlin' } });
  c = contractDriver(h);
});
afterAll(async () => { await h?.close(); });

describe('the business time zone', () => {
  it('reads a contract date as 00:00 in the zone', async () => {
    const draft = await c.draft({ validFrom: '2026-04-01', validTo: '2026-04-20' });
    expect(draft).toMatchObject({ validFrom: '2026-03-31T22:00:00.000Z', validTo: '2026-04-19T22:00:00.000Z' });
  });

  it('issues an invoice billed at 22:30 UTC on the next local day, due 14 local days later, and counts late days to the local payment day', async () => {
    // Billing periods start 31 March, 30 April, … at 22:30 UTC; signed today, every past period is billed at once.
    const contract = await c.draft({ validFrom: '2026-03-31T22:30:00Z', validTo: '2030-12-31', billing: { frequency: 'monthly', amount: '100.00' }, paymentTerms: 'net 14' });
    await c.approve(contract.id);
    expect((await c.act('contract_admin', contract.id, 'sign')).status).toBe('active');
    const billed = await eventually(() => c.call('finance', 'GET', `/invoices?contractId=${contract.id}&limit=100`), (page) => page.items.length >= 2);
    const [first, second] = [...billed.items].sort((a: { issuedOn: string }, b: { issuedOn: string }) => (a.issuedOn < b.issuedOn ? -1 : 1));
    expect(first).toMatchObject({ amount: '100.00', issuedOn: '2026-04-01', dueOn: '2026-04-15' });
    expect(second).toMatchObject({ amount: '100.00', issuedOn: '2026-05-01', dueOn: '2026-05-15' });
    // 22:30 UTC on 16 April is 00:30 on 17 April in Berlin: 2 days overdue, 100.00 × 2 × 0.3 % = 0.60.
    const paid = await c.call('finance', 'POST', '/payments', { customerId: contract.customerId, amount: '100.60', reference: 'late', receivedAt: '2026-04-16T22:30:00Z' }, 201);
    expect(paid).toMatchObject({ allocations: [{ invoiceId: first.id, amount: '100.00', lateFee: '0.60' }], unallocated: '0.00' });
    expect(await c.call('finance', 'GET', `/invoices/${first.id}?asOf=2026-05-01`)).toMatchObject({ status: 'paid', paidOn: '2026-04-17' });
  });
});
