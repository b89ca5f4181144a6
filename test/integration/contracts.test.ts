import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractActivities } from '../../activities/contracts';
import { createInvoiceActivities } from '../../activities/invoices';
import { contractCallOffs, notificationOutbox } from '../../db/schema';
import { FailureType } from '../../domain/failures';
import { toCents } from '../../domain/money';
import { NativeConnection } from '@temporalio/worker';
import { dunningWorkflow } from '../../workflows/dunning';
import { taskQueue } from '../../config';
import { startWorkers } from '../../temporal/worker';
import { contractDriver } from '../helpers/contracts';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { eventually } from '../helpers/wait';

// One contract day lasts 50 ms here (CRM_CONTRACT_DAY_MS), so a month is about 1.5 s: notice periods,
// renewal terms and billing periods run in seconds. Validity dates are ISO date-times for the same reason.
const DAY_MS = 50;
let h: Harness;
let c: ReturnType<typeof contractDriver>;
let activities: ReturnType<typeof createContractActivities>;
let invoicing: ReturnType<typeof createInvoiceActivities>;
beforeAll(async () => {
  h = await startHarness({ worker: true, env: { CRM_CONTRACT_DAY_MS: String(DAY_MS) } });
  c = contractDriver(h);
  const deps = { db: h.database.db, config: h.config, temporal: h.client };
  activities = createContractActivities(deps);
  invoicing = createInvoiceActivities(deps);
});
afterAll(async () => { await h?.close(); });

const today = () => new Date().toISOString().slice(0, 10);

async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect((error as ApplicationFailure).type).toBe(FailureType.BusinessRule);
  return error as ApplicationFailure;
}

describe('approval chain', () => {
  it.each([
    ['a small contract: the sales manager alone', { targetValue: '50000.00' }, ['sales_manager']],
    ['from 100 000.00: finance too', { targetValue: '100000.00' }, ['sales_manager', 'finance']],
    ['from 500 000.00: finance and legal', { targetValue: '500000.00' }, ['sales_manager', 'finance', 'legal']],
    ['custom terms text: legal', { targetValue: '1000.00', terms: 'Penalty clause 7b applies' }, ['sales_manager', 'legal']],
    ['payment terms beyond 60 days: legal', { targetValue: '1000.00', paymentTerms: 'net 90' }, ['sales_manager', 'legal']],
  ])('%s', async (_name, fields, chain) => {
    const draft = await c.draft(fields);
    expect(draft).toMatchObject({ status: 'draft', version: 1, allowedActions: ['submit'] });
    expect(draft.id).toMatch(/^C-\d{4}-\d{6}$/);
    const submitted = await c.act('agent', draft.id, 'submit');
    expect(submitted).toMatchObject({ status: 'pending_approval', approval: { round: 1, chain, step: 0, awaiting: 'sales_manager' } });
    let view = submitted;
    while (view.approval) view = await c.act(view.approval.awaiting, draft.id, 'approve', { comment: 'ok' });
    expect(view.status).toBe('approved');
    const detail = await c.get(draft.id);
    expect(detail.approvals.map((a: { role: string; decision: string }) => [a.role, a.decision])).toEqual(chain.map((role) => [role, 'approved']));
  });

  it('takes the thresholds from the settings, and a contract keeps those it was drafted with', async () => {
    const draft = await c.draft({ targetValue: '5000.00' });
    await c.call('admin', 'PUT', '/settings', { 'contract.approval.financeFrom': '1000.00' });
    try {
      const lowered = await c.draft({ targetValue: '5000.00' });
      expect((await c.act('agent', lowered.id, 'submit')).approval.chain).toEqual(['sales_manager', 'finance']);
      expect((await c.act('agent', draft.id, 'submit')).approval.chain).toEqual(['sales_manager']);
    } finally {
      await c.call('admin', 'PUT', '/settings', { 'contract.approval.financeFrom': '100000.00' });
    }
  });

  it('lets approvers act only in order and only on their own step', async () => {
    const draft = await c.draft({ targetValue: '600000.00' });
    await c.act('agent', draft.id, 'submit');
    const early = await c.act('finance', draft.id, 'approve', {}, 403);
    expect(early.detail).toMatch(/step 1 of 3 awaits sales_manager/);
    await c.act('agent', draft.id, 'approve', {}, 403); // not an approver at all
    await c.act('sales_manager', draft.id, 'approve', { comment: 'fine' });
    const again = await c.act('sales_manager', draft.id, 'approve', {}, 409); // its step is done: a conflict, not a permission
    expect(again.detail).toMatch(/sales_manager already decided step 1 of 3; it now awaits finance/);
    await c.act('legal', draft.id, 'reject', { comment: 'not yet' }, 403);
    await c.act('finance', draft.id, 'approve');
    const approved = await c.act('legal', draft.id, 'approve');
    expect(approved).toMatchObject({ status: 'approved', approval: null });
  });

  it('returns a rejected draft with comments, and a resubmission starts a new round', async () => {
    const draft = await c.draft({ targetValue: '150000.00' });
    await c.act('agent', draft.id, 'submit');
    await c.act('sales_manager', draft.id, 'approve');
    const rejected = await c.act('finance', draft.id, 'reject', { comment: 'discount too deep' });
    expect(rejected).toMatchObject({ status: 'draft', approval: null, lastRejection: { role: 'finance', actorId: h.users.finance.id, comment: 'discount too deep' } });
    const refused = await c.act('sales_manager', draft.id, 'approve', {}, 409);
    expect(refused).toMatchObject({ state: 'draft', allowedActions: ['submit'] });
    const resubmitted = await c.act('agent', draft.id, 'submit');
    expect(resubmitted.approval).toMatchObject({ round: 2, step: 0 });
    await c.act('sales_manager', draft.id, 'approve');
    await c.act('finance', draft.id, 'approve');
    const detail = await c.get(draft.id);
    expect(detail.approvals.map((a: { round: number; role: string; decision: string; comment: string | null }) => [a.round, a.role, a.decision, a.comment])).toEqual([
      [1, 'sales_manager', 'approved', null], [1, 'finance', 'rejected', 'discount too deep'], [2, 'sales_manager', 'approved', null], [2, 'finance', 'approved', null],
    ]);
    expect(detail.timeline.map((e: { action: string }) => e.action)).toEqual(['open', 'submit', 'approve', 'reject', 'submit', 'approve', 'approve']);
  });
});

describe('signing and activation', () => {
  it('activates a signed contract at valid-from, on a durable timer', async () => {
    const draft = await c.draft({ validFrom: c.inMs(1500) });
    await c.act('contract_admin', draft.id, 'sign', {}, 409);
    await c.approve(draft.id);
    await c.act('agent', draft.id, 'sign', {}, 403);
    const signed = await c.act('contract_admin', draft.id, 'sign', { signedAt: '2026-01-15' });
    expect(signed.status).toBe('signed');
    const active = await c.status(draft.id, 'active');
    expect(active.timeline.map((e: { action: string }) => e.action)).toEqual(['open', 'submit', 'approve', 'sign', 'activate']);
    expect(active.signedAt).toBe('2026-01-15T00:00:00.000Z');
    expect(new Date(active.activatedAt).getTime()).toBeGreaterThanOrEqual(new Date(draft.validFrom).getTime());
    await recordHistory(h.client, `contract-${draft.id}`, 'contract-approve-sign-activate');
  });

  it('answers 404 for an unknown contract and 409 naming the state and the way out', async () => {
    await c.act('contract_admin', 'C-1999-999999', 'sign', {}, 404);
    const draft = await c.draft();
    const refused = await c.act('contract_admin', draft.id, 'renew', {}, 409);
    expect(refused).toMatchObject({ state: 'draft', allowedActions: ['submit'] });
    expect(refused.detail).toMatch(/renew is not possible in state draft/);
  });
});

describe('call-offs', () => {
  it('draws a value contract down at its contract prices, idempotently per order, and refuses what it does not cover', async () => {
    const [a, b] = [await c.product('12.00'), await c.product('30.00')];
    const contract = await c.active({ targetValue: '1000.00', prices: [{ sku: a.sku, unitPrice: '10.00' }] });
    const call = (orderId: string, lines: Array<{ sku: string; qty: number }>, customerId = contract.customerId) =>
      activities.reserveCallOff({ orderId, contractId: contract.id, customerId, lines, on: today() });

    const first = await call(`SO-${uniq()}`, [{ sku: a.sku, qty: 30 }]);
    // No promotion: the price charged is the contract's.
    expect(first).toEqual({ lines: [{ sku: a.sku, qty: 30, unitPriceCents: 1000, contractUnitCents: 1000 }], totalCents: 30_000 });
    const orderId = `SO-${uniq()}`;
    const reserved = await call(orderId, [{ sku: a.sku, qty: 50 }]);
    expect(await call(orderId, [{ sku: a.sku, qty: 50 }])).toEqual(reserved); // a retry, not a second draw-down
    expect((await refusal(call(`SO-${uniq()}`, [{ sku: b.sku, qty: 1 }]))).message).toMatch(/does not cover product/);
    expect((await refusal(call(`SO-${uniq()}`, [{ sku: a.sku, qty: 1 }], (await c.customer()).id))).message).toMatch(/another customer/);
    expect((await refusal(call(`SO-${uniq()}`, [{ sku: a.sku, qty: 21 }]))).message).toMatch(/exhausted/);

    let detail = await c.get(contract.id);
    expect(detail.remaining.value).toBe('200.00');
    await activities.releaseCallOff({ orderId });
    await activities.releaseCallOff({ orderId });
    detail = await c.get(contract.id);
    expect(detail.remaining.value).toBe('700.00');
    expect(detail.consumption.reserved.value).toBe('300.00');
  });

  it('prices every product at list price on a value contract without a price list', async () => {
    const product = await c.product('12.50');
    const contract = await c.active({ targetValue: '100.00' });
    const reservation = await activities.reserveCallOff({ orderId: `SO-${uniq()}`, contractId: contract.id, customerId: contract.customerId, lines: [{ sku: product.sku, qty: 8 }], on: today() });
    expect(reservation.totalCents).toBe(10_000);
  });

  it('draws a quantity contract down per sku and completes it once fully consumed', async () => {
    const [a, b] = [await c.product('5.00'), await c.product('7.00')];
    const contract = await c.active({ type: 'quantity', targetValue: undefined, targetQuantities: [{ sku: a.sku, qty: 10 }, { sku: b.sku, qty: 4 }], prices: [{ sku: a.sku, unitPrice: '4.00' }] });
    expect(contract.targetValue).toBe('68.00'); // 10 × 4.00 contract price + 4 × 7.00 list price
    const reserve = (orderId: string, lines: Array<{ sku: string; qty: number }>) =>
      activities.reserveCallOff({ orderId, contractId: contract.id, customerId: contract.customerId, lines, on: today() });
    const [o1, o2] = [`SO-${uniq()}`, `SO-${uniq()}`];
    expect(await reserve(o1, [{ sku: a.sku, qty: 6 }, { sku: b.sku, qty: 4 }])).toMatchObject({ totalCents: 5_200 });
    expect((await refusal(reserve(`SO-${uniq()}`, [{ sku: b.sku, qty: 1 }]))).message).toMatch(/has 0 of/);
    await reserve(o2, [{ sku: a.sku, qty: 4 }]);
    expect(await activities.confirmCallOff({ orderId: o1 })).toEqual({ contractCompleted: false });
    expect(await activities.confirmCallOff({ orderId: o2 })).toEqual({ contractCompleted: true });
    const completed = await c.status(contract.id, 'completed');
    expect(completed.remaining).toEqual({ value: '0.00', quantities: [{ sku: a.sku, qty: 0 }, { sku: b.sku, qty: 0 }] });
    expect((await refusal(reserve(`SO-${uniq()}`, [{ sku: a.sku, qty: 1 }]))).message).toMatch(/is completed, not active/);
  });

  it('never lets concurrent call-offs together exceed the target: exactly the ones that fit succeed', async () => {
    const product = await c.product('10.00');
    const contract = await c.active({ targetValue: '200.00' });
    const wants = Array.from({ length: 40 }, (_, i) => 1 + (i % 3)); // 80 units wanted, 20 fit
    const results = await Promise.allSettled(wants.map((qty) =>
      activities.reserveCallOff({ orderId: `SO-${uniq()}`, contractId: contract.id, customerId: contract.customerId, lines: [{ sku: product.sku, qty }], on: today() })));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [wants[i]!] : []));
    const lost = results.flatMap((r, i) => (r.status === 'rejected' ? [wants[i]!] : []));
    for (const r of results) if (r.status === 'rejected') expect((r.reason as ApplicationFailure).type).toBe(FailureType.BusinessRule);
    const drawn = won.reduce((sum, qty) => sum + qty, 0);
    expect(drawn).toBeLessThanOrEqual(20);
    // Remaining value only shrinks, so a call-off that was refused needed more than what is left at the end.
    for (const qty of lost) expect(qty).toBeGreaterThan(20 - drawn);
    const rows = await h.database.db.select().from(contractCallOffs).where(and(eq(contractCallOffs.contractId, contract.id), eq(contractCallOffs.status, 'reserved')));
    expect(rows.reduce((sum, row) => sum + toCents(row.total), 0)).toBe(drawn * 1000);
  });
});

describe('amendment and termination', () => {
  it('approves a raised value for the new total while the contract runs on under its old version', async () => {
    const product = await c.product('1000.00');
    const contract = await c.active({ targetValue: '50000.00' });
    const amended = await c.act('contract_admin', contract.id, 'amend', { changes: { targetValue: '150000.00' }, reason: 'second site' });
    expect(amended).toMatchObject({
      status: 'active', version: 1, targetValue: '50000.00',
      approval: { kind: 'amendment', chain: ['sales_manager', 'finance'], awaiting: 'sales_manager' },
      pendingAmendment: { version: 2, targetValue: '150000.00', reason: 'second site' },
    });
    await c.act('contract_admin', contract.id, 'amend', { changes: { terms: 'x' }, reason: 'again' }, 409);
    const reserve = (qty: number) => activities.reserveCallOff({ orderId: `SO-${uniq()}`, contractId: contract.id, customerId: contract.customerId, lines: [{ sku: product.sku, qty }], on: today() });
    await refusal(reserve(51)); // still the old target
    await c.act('sales_manager', contract.id, 'approve');
    const inForce = await c.act('finance', contract.id, 'approve');
    expect(inForce).toMatchObject({ status: 'active', version: 2, targetValue: '150000.00', approval: null, pendingAmendment: null });
    await reserve(51);
    const lowered = await c.act('contract_admin', contract.id, 'amend', { changes: { validTo: '2027-06-30' }, reason: 'shorter' });
    expect(lowered).toMatchObject({ version: 3, validTo: '2027-06-30T00:00:00.000Z', approval: null });
    const detail = await c.get(contract.id);
    expect(detail.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'superseded'], [2, 'superseded'], [3, 'in_force']]);
    // Each version's diff against the one it amended, as the console's contract page shows it.
    expect(detail.versions.map((v: { changes: unknown[] }) => v.changes)).toEqual([
      [],
      [{ field: 'targetValue', from: '50000.00', to: '150000.00' }],
      [{ field: 'validTo', from: '2027-12-31T00:00:00.000Z', to: '2027-06-30T00:00:00.000Z' }],
    ]);
  });

  it('shows each version\'s changes against the terms in force, not against an amendment that was rejected', async () => {
    const product = await c.product('20.00');
    const contract = await c.active({ targetValue: '50000.00' });
    await c.act('contract_admin', contract.id, 'amend', { changes: { targetValue: '150000.00' }, reason: 'second site' });
    await c.act('sales_manager', contract.id, 'reject', { comment: 'not this year' });
    await c.act('contract_admin', contract.id, 'amend', { changes: { prices: [{ sku: product.sku, unitPrice: '12.00' }] }, reason: 'volume price' });
    const detail = await c.get(contract.id);
    expect(detail.versions.map((v: { version: number; status: string; changes: unknown[] }) => [v.version, v.status, v.changes])).toEqual([
      [1, expect.any(String), []],
      [2, 'rejected', [{ field: 'targetValue', from: '50000.00', to: '150000.00' }]],
      [3, expect.any(String), [{ field: `price ${product.sku}`, from: null, to: '12.00' }]],
    ]);
  });

  it('refuses amendments that cannot apply with 422', async () => {
    const contract = await c.active();
    await c.act('contract_admin', contract.id, 'amend', { changes: {}, reason: 'nothing' }, 422);
    await c.act('contract_admin', contract.id, 'amend', { changes: { validTo: '2020-01-01' }, reason: 'past' }, 422);
    await c.act('contract_admin', contract.id, 'amend', { changes: { prices: [{ sku: `NOPE-${uniq()}`, unitPrice: '1.00' }] }, reason: 'typo' }, 422);
  });

  it('withdraws an amendment still awaiting approval when the contract is terminated', async () => {
    const contract = await c.active();
    await c.act('contract_admin', contract.id, 'amend', { changes: { targetValue: '90000.00' }, reason: 'more' });
    const terminated = await c.act('contract_admin', contract.id, 'terminate', { reason: 'lost the customer', effectiveDate: '2026-01-01' });
    expect(terminated).toMatchObject({ status: 'terminated', approval: null, pendingAmendment: null });
    const detail = await c.get(contract.id);
    expect(detail.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'in_force'], [2, 'withdrawn']]);
  });

  it('terminates at the effective date', async () => {
    const contract = await c.active();
    const scheduled = await c.act('contract_admin', contract.id, 'terminate', { reason: 'customer moved', effectiveDate: c.inMs(1000) });
    expect(scheduled.status).toBe('active');
    expect(scheduled.terminationAt).not.toBeNull();
    const terminated = await c.status(contract.id, 'terminated');
    expect(terminated.timeline.at(-1)).toMatchObject({ action: 'terminate', actorId: 'system', note: 'customer moved' });
    const late = await c.act('contract_admin', contract.id, 'renew', {}, 409);
    expect(late.detail).toMatch(/finished in state terminated/);
  });
});

describe('renewal and expiry', () => {
  it('reminds the owner noticeDays before valid-to and expires at valid-to', async () => {
    const contract = await c.active({ validTo: c.inMs(2000), noticeDays: 10 });
    await c.status(contract.id, 'expired');
    const notices = await h.database.db.select().from(notificationOutbox).where(eq(notificationOutbox.resourceId, contract.id));
    expect(notices.filter((n) => n.kind === 'contract.expiring').map((n) => n.audience[0]).sort()).toEqual([`user:${h.users.agent.id}`, 'role:contract_admin'].sort());
  });

  it('renews automatically three times with continue-as-new, each run with a small history', async () => {
    const draft = await c.draft({ validFrom: c.inMs(-1000), validTo: c.inMs(1500), autoRenew: true, renewalMonths: 1, noticeDays: 5 });
    await c.approve(draft.id);
    await c.act('contract_admin', draft.id, 'sign');
    const renewed = await eventually(() => c.get(draft.id), (d) => d.term >= 4, { timeoutMs: 30_000 });
    expect(renewed.status).toBe('active');
    expect(renewed.versions.filter((v: { kind: string }) => v.kind === 'renewal')).toHaveLength(renewed.term - 1);

    // Follow the chain of runs from the first: each ended by continuing as new into the next.
    const workflowId = `contract-${draft.id}`;
    const current = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const runs: string[] = [current.events![0]!.workflowExecutionStartedEventAttributes!.firstExecutionRunId!];
    const lengths: number[] = [];
    for (let i = 0; i < 3; i++) {
      const history = await h.client.workflow.getHandle(workflowId, runs.at(-1)).fetchHistory();
      lengths.push(history.events!.length);
      const next = history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      expect(next).toBeTruthy();
      runs.push(next!);
    }
    expect(new Set(runs).size).toBe(4);
    // The first run carries the draft, approval and signing; each renewal run only its own term.
    expect(lengths[0]).toBeLessThan(150);
    for (const length of lengths.slice(1)) expect(length).toBeLessThan(60);
    await recordHistory(h.client, workflowId, 'contract-auto-renewal', runs[1]);
    await c.act('contract_admin', draft.id, 'terminate', { reason: 'end of test', effectiveDate: c.inMs(-1) });
  });

  it('completes a contract consumed just before it renews: the renewal carries the consumption into the next term', async () => {
    // Its own task queues and a worker this test stops, so the call-off's `consumed` signal and the
    // renewal reach the workflow in one task, the renewal continuing as new before the next timer.
    const own = await startHarness({ env: { CRM_CONTRACT_DAY_MS: String(DAY_MS), CRM_WORKER_MAX_CACHED: '0' } });
    const connection = await NativeConnection.connect({ address: own.config.temporal.address });
    const deps = { db: own.database.db, config: own.config, temporal: own.client };
    const run = () => startWorkers({ config: own.config, connection, deps, queues: ['contracts'] });
    let workers = await run();
    try {
      const d = contractDriver(own);
      const product = await d.product('10.00');
      const contract = await d.active({ targetValue: '100.00', autoRenew: true, renewalMonths: 1 });
      const callOffs = createContractActivities(deps);
      const orderId = `SO-${uniq()}`;
      await callOffs.reserveCallOff({ orderId, contractId: contract.id, customerId: contract.customerId, lines: [{ sku: product.sku, qty: 10 }], on: today() });
      await workers.shutdown();
      expect(await callOffs.confirmCallOff({ orderId })).toEqual({ contractCompleted: true }); // signals `consumed`
      const renewal = d.act('contract_admin', contract.id, 'renew', { months: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the renewal update is admitted, waiting for a worker
      workers = await run();
      expect((await renewal).term).toBe(2);
      const completed = await d.status(contract.id, 'completed', 10_000);
      expect(completed).toMatchObject({ term: 2, remaining: { value: '0.00' } });
      expect(completed.timeline.map((e: { action: string }) => e.action).slice(-2)).toEqual(['renew', 'complete']);
    } finally {
      await workers.shutdown();
      await connection.close();
      await own.close();
    }
  });

  it('renews manually by contract_admin for the given months', async () => {
    const contract = await c.active({ validTo: '2027-01-31' });
    await c.act('sales_manager', contract.id, 'renew', {}, 403);
    const renewed = await c.act('contract_admin', contract.id, 'renew', { months: 12 });
    expect(renewed.term).toBe(2);
    expect(new Date(renewed.validTo).getTime()).toBeGreaterThan(new Date('2027-01-31').getTime());
    const live = await eventually(() => c.get(contract.id), (d) => d.live?.term === 2);
    expect(live.status).toBe('active');
  });
});

describe('billing, late fees and payments', () => {
  it('issues invoices on the billing schedule', async () => {
    const contract = await c.active({ validFrom: c.inMs(0), validTo: c.inMs(4000), billing: { frequency: 'monthly', amount: '1000.00' }, paymentTerms: 'net 14' });
    await c.status(contract.id, 'expired');
    const page = await c.call('finance', 'GET', `/invoices?contractId=${contract.id}`);
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    expect(page.items.length).toBeLessThanOrEqual(3);
    for (const invoice of page.items) {
      expect(invoice).toMatchObject({ status: 'open', amount: '1000.00', customerId: contract.customerId });
      expect(invoice.id).toMatch(/^INV-\d{4}-\d{6}$/);
      expect(new Date(invoice.dueOn).getTime() - new Date(invoice.issuedOn).getTime()).toBe(14 * 86_400_000);
    }
  });

  it('charges the late fee of SPEC §6: 120.00 due 31 Aug, paid 9 Sep → 3.24, total 123.24', async () => {
    const customer = await c.customer();
    const { invoiceId } = await invoicing.issueInvoice({ dedupeKey: `test:${uniq()}`, customerId: customer.id, description: 'fee', amountCents: 12_000, issuedOn: '2026-08-01', dueOn: '2026-08-31' });
    expect(await c.call('finance', 'GET', `/invoices/${invoiceId}?asOf=2026-08-31`)).toMatchObject({ daysOverdue: 0, lateFee: '0.00', amountDue: '120.00', overdue: false });
    expect(await c.call('finance', 'GET', `/invoices/${invoiceId}?asOf=2026-09-09`)).toMatchObject({ daysOverdue: 9, lateFee: '3.24', amountDue: '123.24', overdue: true });
    const paid = await c.call('finance', 'POST', '/payments', { customerId: customer.id, amount: '123.24', reference: 'bank 1', receivedAt: '2026-09-09' }, 201);
    expect(paid).toMatchObject({ allocations: [{ invoiceId, amount: '120.00', lateFee: '3.24' }], unallocated: '0.00' });
    expect(await c.call('finance', 'GET', `/invoices/${invoiceId}?asOf=2026-10-01`)).toMatchObject({ status: 'paid', paidOn: '2026-09-09', amountDue: '0.00', lateFee: '0.00' });
    await c.call('manager', 'GET', `/invoices/${invoiceId}?asOf=2026-09-31`, undefined, 400);
  });

  it('allocates payments to open invoices oldest due first, partially, idempotently, and without double allocation', async () => {
    const customer = await c.customer();
    const issue = (dueOn: string, amountCents: number) => invoicing.issueInvoice({ dedupeKey: `test:${uniq()}`, customerId: customer.id, description: 'goods', amountCents, issuedOn: '2026-01-01', dueOn });
    const later = (await issue('2026-01-10', 10_000)).invoiceId;
    const oldest = (await issue('2026-01-05', 5_000)).invoiceId;
    const newest = (await issue('2026-02-01', 8_000)).invoiceId;
    const pay = (amount: string, key: string, expected = 201) =>
      c.call('contract_admin', 'POST', '/payments', { customerId: customer.id, amount, reference: key, receivedAt: '2026-01-05' }, expected, { 'idempotency-key': key });
    const first = await pay('200.00', `pay-${uniq()}`);
    expect(first.allocations).toEqual([
      { invoiceId: oldest, amount: '50.00', lateFee: '0.00' },
      { invoiceId: later, amount: '100.00', lateFee: '0.00' },
      { invoiceId: newest, amount: '50.00', lateFee: '0.00' },
    ]);
    const key = `pay-${uniq()}`;
    const [x, y, again] = await Promise.all([pay('20.00', key), pay('20.00', `pay-${uniq()}`), pay('20.00', key)]);
    expect(again).toEqual(x); // the same Idempotency-Key answers with the first response
    const settled = [x, y].flatMap((p) => p.allocations).reduce((sum: number, a: { amount: string }) => sum + toCents(a.amount), 0);
    expect(settled).toBe(3_000);
    expect(toCents(x.unallocated) + toCents(y.unallocated)).toBe(1_000);
    expect(await c.call('finance', 'GET', `/invoices/${newest}?asOf=2026-01-05`)).toMatchObject({ status: 'paid', paidAmount: '80.00' });
    await c.call('agent', 'POST', '/payments', { customerId: customer.id, amount: '1.00', reference: 'no' }, 403);
    const open = await c.call('finance', 'GET', `/invoices?customerId=${customer.id}&status=open`);
    expect(open.items).toEqual([]);
  });

  it('reminds each overdue invoice once, from a durable dunning sweep', async () => {
    const customer = await c.customer();
    const { invoiceId } = await invoicing.issueInvoice({ dedupeKey: `test:${uniq()}`, customerId: customer.id, description: 'old', amountCents: 9_900, issuedOn: '2019-12-01', dueOn: '2019-12-31' });
    const reminded = await h.client.workflow.execute(dunningWorkflow, {
      workflowId: `dunning-test-${uniq()}`, taskQueue: taskQueue(h.config, 'contracts'), args: [{ intervalMs: 100, asOf: '2020-01-15', sweeps: 3 }],
    });
    expect(reminded).toBeGreaterThanOrEqual(1);
    const notices = await h.database.db.select().from(notificationOutbox).where(eq(notificationOutbox.resourceId, invoiceId));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.data).toMatchObject({ number: invoiceId, lateFee: '4.46' }); // 99.00 × 15 days × 0.3 %
    expect((await c.call('finance', 'GET', `/invoices/${invoiceId}`)).reminderSentAt).not.toBeNull();
  });
});

describe('views', () => {
  it('lists contracts by status, customer and type with cursor paging, and shows the live state', async () => {
    const customer = await c.customer();
    const [one, two] = [await c.draft({ customerId: customer.id }), await c.draft({ customerId: customer.id })];
    await c.act('agent', one.id, 'submit');
    const page1 = await c.call('manager', 'GET', `/contracts?customerId=${customer.id}&limit=1`);
    expect(page1.items.map((r: { id: string }) => r.id)).toEqual([two.id]);
    const page2 = await c.call('manager', 'GET', `/contracts?customerId=${customer.id}&limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items.map((r: { id: string }) => r.id)).toEqual([one.id]);
    const pending = await c.call('manager', 'GET', `/contracts?customerId=${customer.id}&status=pending_approval&type=value`);
    expect(pending.items).toMatchObject([{ id: one.id, awaiting: 'sales_manager' }]);
    const detail = await c.get(one.id, 'sales_manager');
    expect(detail.live).toMatchObject({ status: 'pending_approval', allowedActions: ['approve', 'reject'] });
    const described = await h.client.workflow.getHandle(`contract-${one.id}`).describe();
    expect(described.searchAttributes).toMatchObject({ CrmKind: ['contract'], CrmStatus: ['pending_approval'], CrmCustomerId: [customer.id], CrmAmount: [50000] });
  });
});
