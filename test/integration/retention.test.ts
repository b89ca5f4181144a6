import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceActivities } from '../../activities/invoices';
import { contractDriver } from '../helpers/contracts';
import { setUpCustomer } from '../helpers/customers';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';

// Issue 17 points 1 and 10 through the API on the real stack. One contract day lasts 50 ms
// (CRM_CONTRACT_DAY_MS), so the default notice period of 30 days runs out 1.5 s after the request.
const DAY_MS = 50;
let h: Harness;
let c: ReturnType<typeof contractDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { CRM_CONTRACT_DAY_MS: String(DAY_MS) } });
  c = contractDriver(h);
});
afterAll(async () => { await h?.close(); });

type Event = { action: string; actorId: string; note: string | null; at: string };
const ms = (iso: string) => new Date(iso).getTime();

describe('retention before termination', () => {
  it('terminates a declined request noticeDays after the request, not after the decline', async () => {
    const contract = await c.active({ noticeDays: 30 });
    await c.act('finance', contract.id, 'termination-request', { reason: 'too expensive' }, 403);
    const requested = await c.act('agent', contract.id, 'termination-request', { reason: 'too expensive' });
    expect(requested).toMatchObject({
      status: 'active', terminationAt: null,
      retention: { case: 1, status: 'open', requestedBy: h.users.agent.id, reason: 'too expensive', offer: null, decidedAt: null },
      allowedActions: ['retention-offer', 'retention-decline'],
    });
    const noOffer = await c.act('agent', contract.id, 'retention-accept', {}, 409);
    expect(noOffer).toMatchObject({ state: 'active', allowedActions: ['retention-offer', 'retention-decline'] });
    expect(noOffer.detail).toMatch(/no retention offer is recorded/);
    await c.act('agent', contract.id, 'termination-request', { reason: 'again' }, 409);
    await c.act('agent', contract.id, 'retention-offer', {}, 422);
    await c.act('agent', contract.id, 'retention-offer', { discountPercent: 0 }, 400);
    await c.act('agent', contract.id, 'retention-offer', { discountPercent: 101 }, 400);
    const offered = await c.act('agent', contract.id, 'retention-offer', { discountPercent: 5, alternative: 'a free router upgrade' });
    expect(offered.retention.offer).toEqual({ discountPercent: 5, months: null, alternative: 'a free router upgrade' });
    expect(offered.allowedActions).toEqual(['retention-offer', 'retention-accept', 'retention-decline']);
    const retentionTasks = () => c.call('agent', 'GET', '/tasks?kind=contract.retention&limit=100').then((page) => page.items.filter((t: { process: { id: string } }) => t.process.id === contract.id));
    expect((await retentionTasks()).map((t: { actions: string[] }) => t.actions)).toEqual([['retention-offer', 'retention-accept', 'retention-decline']]);

    const declined = await c.act('agent', contract.id, 'retention-decline', { note: 'moving to a competitor' });
    const requestedAt = ms(declined.retention.requestedAt);
    expect(declined).toMatchObject({ status: 'active', retention: { status: 'lost' } });
    expect(ms(declined.terminationAt)).toBe(requestedAt + 30 * DAY_MS);
    await c.act('agent', contract.id, 'termination-request', { reason: 'twice' }, 409);
    expect(await retentionTasks()).toEqual([]);

    const terminated = await c.status(contract.id, 'terminated');
    const timeline: Event[] = terminated.timeline;
    expect(timeline.map((e) => e.action)).toEqual(['open', 'submit', 'approve', 'sign', 'activate', 'termination-request', 'retention-offer', 'retention-decline', 'terminate']);
    expect(ms(timeline[5]!.at)).toBe(requestedAt);
    expect(timeline.at(-1)).toMatchObject({ actorId: 'system', note: 'termination requested: too expensive' });
    expect(ms(timeline.at(-1)!.at)).toBeGreaterThanOrEqual(requestedAt + 30 * DAY_MS);
    expect(ms(terminated.endedAt)).toBe(ms(timeline.at(-1)!.at));
    await recordHistory(h.client, `contract-${contract.id}`, 'contract-retention-declined');
  });

  it('amends the prices at once for a discount up to the threshold: old × (1 − discount), half up to cents, the term extended by months', async () => {
    const [a, b] = [await c.product('150.00'), await c.product('40.00')];
    const contract = await c.active({ prices: [{ sku: a.sku, unitPrice: '100.00' }, { sku: b.sku, unitPrice: '33.33' }], validTo: '2027-12-31' });
    await c.act('contract_admin', contract.id, 'termination-request', { reason: 'competitor offer' });
    await c.act('contract_admin', contract.id, 'retention-offer', { discountPercent: 10, months: 6 });
    const retained = await c.act('agent', contract.id, 'retention-accept', { note: 'customer agreed on the phone' });
    // 100.00 × 0.9 = 90.00; 33.33 × 0.9 = 29.997 → 30.00. 31 Dec 2027 + 6 months = 30 Jun 2028, 182 days later: 182 contract days of 50 ms.
    expect(retained).toMatchObject({
      status: 'active', version: 2, approval: null, pendingAmendment: null, terminationAt: null,
      prices: [{ sku: a.sku, unitPrice: '90.00' }, { sku: b.sku, unitPrice: '30.00' }],
      validTo: new Date(Date.UTC(2027, 11, 31) + 182 * DAY_MS).toISOString(),
      retention: { case: 1, status: 'retained', offer: { discountPercent: 10, months: 6, alternative: null } },
    });
    expect(retained.allowedActions).toContain('termination-request');
    const detail = await c.get(contract.id);
    expect(detail.versions.map((v: { version: number; status: string; reason: string | null }) => [v.version, v.status, v.reason])).toEqual([
      [1, 'superseded', null], [2, 'in_force', 'retention case 1: 10 % off; term extended by 6 months'],
    ]);
  });

  it('sends a deeper discount through the approval chain: approval retains, rejection reopens the retention step', async () => {
    const [a] = [await c.product('80.00')];
    const contract = await c.active({ prices: [{ sku: a.sku, unitPrice: '80.00' }] });
    await c.act('agent', contract.id, 'termination-request', { reason: 'price' });
    await c.act('agent', contract.id, 'retention-offer', { discountPercent: 25 });
    const awaiting = await c.act('agent', contract.id, 'retention-accept');
    expect(awaiting).toMatchObject({
      version: 1, prices: [{ sku: a.sku, unitPrice: '80.00' }], retention: { status: 'awaiting_approval' },
      approval: { kind: 'amendment', chain: ['sales_manager'], awaiting: 'sales_manager' }, pendingAmendment: { version: 2 },
    });
    await c.act('agent', contract.id, 'retention-decline', {}, 409);
    const rejected = await c.act('sales_manager', contract.id, 'reject', { comment: 'too deep' });
    expect(rejected).toMatchObject({ version: 1, approval: null, retention: { status: 'open', offer: null } });

    await c.act('agent', contract.id, 'retention-offer', { discountPercent: 12.5 });
    await c.act('agent', contract.id, 'retention-accept');
    const approved = await c.act('sales_manager', contract.id, 'approve', { comment: 'keep them' });
    // 80.00 × 0.875 = 70.00
    expect(approved).toMatchObject({ version: 3, prices: [{ sku: a.sku, unitPrice: '70.00' }], approval: null, retention: { status: 'retained' } });
    const detail = await c.get(contract.id);
    expect(detail.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'superseded'], [2, 'rejected'], [3, 'in_force']]);
    // The contract runs on; its history so far replays like a finished one.
    await recordHistory(h.client, `contract-${contract.id}`, 'contract-retention-approved');
  });

  it('lets contract_admin terminate at once with a reason during the retention step, recording the overridden notice', async () => {
    const contract = await c.active({ noticeDays: 90 });
    await c.act('agent', contract.id, 'termination-request', { reason: 'insolvency' });
    await c.act('agent', contract.id, 'terminate', { reason: 'x', effectiveDate: '2026-01-01' }, 403);
    const terminated = await c.act('contract_admin', contract.id, 'terminate', { reason: 'customer insolvent', effectiveDate: c.inMs(-1000) });
    expect(terminated).toMatchObject({ status: 'terminated', retention: { status: 'lost' } });
    const detail = await c.get(contract.id);
    expect(detail.timeline.at(-1)).toMatchObject({ action: 'terminate', actorId: h.users.contract_admin.id, note: 'customer insolvent (notice period of 90 days overridden)' });
  });

  it('reports requests, retained, lost and the retention rate of the customer', async () => {
    const customer = await setUpCustomer(h, { tier: 'key', creditLimit: '1000000.00' });
    const contracts = await Promise.all([1, 2, 3, 4].map(() => c.active({ customerId: customer.id, noticeDays: 0 })));
    for (const contract of contracts) await c.act('agent', contract.id, 'termination-request', { reason: `case ${uniq()}` });
    const [kept, leaving, cut] = contracts;
    await c.act('agent', kept!.id, 'retention-offer', { alternative: 'three months of premium support' });
    expect((await c.act('agent', kept!.id, 'retention-accept')).retention.status).toBe('retained');
    // Without a notice period the decline ends the contract at once.
    expect(await c.act('agent', leaving!.id, 'retention-decline')).toMatchObject({ status: 'terminated', retention: { status: 'lost' } });
    await c.act('contract_admin', cut!.id, 'terminate', { reason: 'fraud', effectiveDate: c.inMs(-1000) });
    const report = await c.call('manager', 'GET', `/reports/contracts?customerId=${customer.id}`);
    // 4 requests: 1 retained, 2 lost, 1 still open; rate = 1 / (1 + 2).
    expect(report.retention).toEqual({ requests: 4, retained: 1, lost: 2, open: 1, rate: 0.3333 });
    expect((await c.call('manager', 'GET', `/reports/contracts?customerId=${customer.id}&to=2020-01-01`)).retention).toEqual({ requests: 0, retained: 0, lost: 0, open: 0, rate: null });
  });
});

describe('amendments, notice and late fees (SPEC §6 read closely)', () => {
  it('sends an amendment of the terms text or the prices through the chain a draft with those terms would get', async () => {
    const product = await c.product('10.00');
    const contract = await c.active({ targetValue: '50000.00' });
    const terms = await c.act('contract_admin', contract.id, 'amend', { changes: { terms: 'Clause 9: penalties' }, reason: 'legal wording' });
    expect(terms).toMatchObject({ version: 1, terms: null, approval: { kind: 'amendment', chain: ['sales_manager', 'legal'] }, pendingAmendment: { version: 2 } });
    await c.act('sales_manager', contract.id, 'approve');
    expect(await c.act('legal', contract.id, 'approve')).toMatchObject({ version: 2, terms: 'Clause 9: penalties', approval: null });
    const prices = await c.act('contract_admin', contract.id, 'amend', { changes: { prices: [{ sku: product.sku, unitPrice: '9.00' }] }, reason: 'volume price' });
    // The terms text now in force is custom, so legal is on the chain for the new prices too.
    expect(prices).toMatchObject({ version: 2, prices: [], approval: { chain: ['sales_manager', 'legal'] } });
    await c.act('sales_manager', contract.id, 'approve');
    expect(await c.act('legal', contract.id, 'approve')).toMatchObject({ version: 3, prices: [{ sku: product.sku, unitPrice: '9.00' }] });
    const shorter = await c.act('contract_admin', contract.id, 'amend', { changes: { validTo: '2027-06-30' }, reason: 'shorter' });
    expect(shorter).toMatchObject({ version: 4, approval: null });
    await recordHistory(h.client, `contract-${contract.id}`, 'contract-amendment-review');
  });

  it('fixes the late-fee rule on each invoice at issue: a later change of the settings leaves issued invoices alone', async () => {
    const invoicing = createInvoiceActivities({ db: h.database.db, config: h.config, temporal: h.client });
    const customer = await c.customer();
    const issue = () => invoicing.issueInvoice({ dedupeKey: `test:${uniq()}`, customerId: customer.id, description: 'fee', amountCents: 12_000, issuedOn: '2026-08-01', dueOn: '2026-08-31' });
    const before = await issue();
    await c.call('admin', 'PUT', '/settings', { 'invoice.lateFeeRatePerDay': 0.01, 'invoice.lateFeeCap': '5.00' });
    try {
      const after = await issue();
      // 120.00 × 9 days × 0.3 % = 3.24 under the rule of its issue; 120.00 × 9 × 1 % = 10.80, capped at 5.00, under the new one.
      expect(await c.call('finance', 'GET', `/invoices/${before.invoiceId}?asOf=2026-09-09`)).toMatchObject({ lateFee: '3.24', amountDue: '123.24' });
      expect(await c.call('finance', 'GET', `/invoices/${after.invoiceId}?asOf=2026-09-09`)).toMatchObject({ lateFee: '5.00', amountDue: '125.00' });
      const paid = await c.call('finance', 'POST', '/payments', { customerId: customer.id, amount: '248.24', reference: 'both', receivedAt: '2026-09-09' }, 201);
      expect(paid).toMatchObject({
        allocations: [{ invoiceId: before.invoiceId, amount: '120.00', lateFee: '3.24' }, { invoiceId: after.invoiceId, amount: '120.00', lateFee: '5.00' }], unallocated: '0.00',
      });
    } finally {
      await c.call('admin', 'PUT', '/settings', { 'invoice.lateFeeRatePerDay': 0.003, 'invoice.lateFeeCap': '3000.00' });
    }
  });
});
