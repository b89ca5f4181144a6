import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  carrierDelivered, ORDER_WORKFLOW, orderOpened, orderState, orderUpdates, type OrderEventRecord, type OrderInput, type OrderWorkflow,
} from '../../domain/processes/order';
import { FailureType } from '../../domain/failures';
import type { Actor } from '../../domain/roles';
import { defaultSettings } from '../../domain/settings';
import { eventually } from '../helpers/wait';
import { startWorkflowWorker, type WorkflowTestWorker } from '../helpers/workflow-worker';

// The sales order on a real Temporal server with stubbed activities: the credit hold, the waits and their
// timeouts, and the saga's compensations in reverse order of the steps that took effect.

const PAYMENT_WINDOW_MS = 2000;
/** Never early; the dev server fires a timer up to about a second after it is due. */
const LATENESS_MS = 1500;
const LIST_PRICE_CENTS = 100_00;
const CONTRACT_PRICE_CENTS = 80_00;

const agent: Actor = { id: 'agent-1', name: 'Agent', roles: ['agent'] };
const finance: Actor = { id: 'fin-1', name: 'Finance', roles: ['finance'] };
const fulfilment: Actor = { id: 'ful-1', name: 'Fulfilment', roles: ['fulfilment'] };
const COMPENSATIONS = ['releaseServices', 'voidInvoice', 'releaseStock', 'releaseCallOff', 'refundPayment'];

let w: WorkflowTestWorker;
beforeAll(async () => {
  const noop = async () => {};
  w = await startWorkflowWorker({
    loadSettings: async () => ({ ...defaultSettings(), 'order.prepaidPaymentTimeout': `${PAYMENT_WINDOW_MS}ms`, 'order.creditHoldTimeout': '1h', 'order.activationTimeout': '1h' }),
    loadOrderQuote: async ({ lines, on }) => ({
      creditLimitCents: 1_000_000_00, customerTier: 'standard',
      lines: lines.map(({ sku, qty }) => ({ sku, qty, kind: sku.startsWith('SVC') ? 'service' : 'goods', listPriceCents: LIST_PRICE_CENTS, promotions: [], on })),
    }),
    loadCreditPosition: async () => ({ limitCents: 1_000_000_00, openReceivablesCents: 0 }),
    reserveCallOff: async ({ lines }) => ({ lines: lines.map((line) => ({ ...line, unitPriceCents: CONTRACT_PRICE_CENTS })), totalCents: 0 }),
    reserveStock: async () => ({ reserved: true }),
    issueInvoice: async () => ({ invoiceId: 'INV-2026-000001' }),
    recordPayment: async () => ({ paymentId: 'PAY-2026-000001' }),
    confirmCallOff: async () => ({ contractCompleted: false }),
    recordOrder: noop, notify: noop, releaseStock: noop, releaseCallOff: noop, voidInvoice: noop, refundPayment: noop, recordShipment: noop, recordDelivery: noop,
    allocateServices: noop, configureServices: noop, requestActivation: noop, activateServices: noop, releaseServices: noop,
  });
});
afterAll(() => w?.close());

async function startOrder(overrides: Partial<OrderInput>) {
  const number = `SO-2026-${randomUUID().slice(0, 8)}`;
  const input: OrderInput = { number, customerId: 'CUS-000001', lines: [{ sku: 'ROUTER-1', qty: 2 }], paymentTerms: 'credit', actor: agent, ...overrides };
  // Opened as the API opens it: update-with-start, so the opening answer is the state intake settled on
  // (priced, or refused), whatever the first workflow task went on to do.
  const start = new WithStartWorkflowOperation<OrderWorkflow>(ORDER_WORKFLOW, { taskQueue: w.taskQueue, workflowId: `order-${number}`, args: [input], workflowIdConflictPolicy: 'FAIL' });
  const opened = w.client.workflow.executeUpdateWithStart(orderOpened, { startWorkflowOperation: start }).catch((error: unknown) => error);
  const handle = await start.workflowHandle();
  return { handle, workflowId: handle.workflowId, opened };
}

const events = (workflowId: string): OrderEventRecord[] => w.callsOf(workflowId, 'recordOrder').map((call) => call.input.event);
const event = (workflowId: string, action: string) => events(workflowId).find((e) => e.action === action)!;
/** The activities that change the world, in the order the process called them (records and notifications left out). */
const steps = (workflowId: string) => w.calls(workflowId).map((call) => call.name).filter((name) => !['recordOrder', 'notify', 'loadSettings'].includes(name));
const untilStatus = (handle: Awaited<ReturnType<typeof startOrder>>['handle'], status: string) =>
  eventually(() => handle.query(orderState, agent), (view) => view.status === status, { timeoutMs: 15_000, intervalMs: 50 });

describe('order workflow', () => {
  it("holds a credit order over the customer's limit for finance, and once approved reserves, invoices, ships and completes it", async () => {
    // 2 × 100.00 on top of 100.00 open receivables is 300.00 against a limit of 250.00.
    w.stub({ loadCreditPosition: async () => ({ limitCents: 250_00, openReceivablesCents: 100_00 }) });
    const { handle, workflowId, opened } = await startOrder({ paymentTerms: 'credit' });
    expect(await opened).toMatchObject({ status: 'priced', total: '200.00' });
    const held = await untilStatus(handle, 'credit_hold');
    expect(held.credit).toEqual({ withinLimit: false, exposure: '300.00', limit: '250.00' });
    expect((await w.waitForCall(workflowId, 'recordOrder', (call) => call.input.event.action === 'credit-hold')).input.event).toMatchObject({ fromStatus: 'priced', toStatus: 'credit_hold', note: 'exposure 300.00 exceeds the credit limit 250.00' });
    await w.waitForCall(workflowId, 'notify', (call) => call.input.kind === 'order.credit_hold' && call.input.audience[0] === 'role:finance');
    expect(w.callsOf(workflowId, 'reserveStock')).toEqual([]);

    const approved = await handle.executeUpdate(orderUpdates['credit-decision'], { args: [{ actor: finance, approve: true, note: 'good payer' }] });
    expect(approved.status).toBe('reserved');
    await untilStatus(handle, 'fulfilling');
    const shipped = await handle.executeUpdate(orderUpdates.shipments, { args: [{ actor: fulfilment, carrier: 'DHL', trackingNo: 'TRK-1' }] });
    // A credit order is invoiced once delivered (SPEC §5), not before.
    expect(shipped).toMatchObject({ status: 'shipped', invoiceId: null });
    await handle.signal(carrierDelivered, { trackingNo: 'TRK-1' });

    expect(await handle.result()).toMatchObject({ status: 'completed', invoiceId: 'INV-2026-000001', cancelReason: null });
    expect(events(workflowId).map((e) => [e.action, e.toStatus])).toEqual([
      ['receive', 'received'], ['price', 'priced'], ['credit-hold', 'credit_hold'], ['credit-approve', 'reserved'], ['fulfil', 'fulfilling'],
      ['ship', 'shipped'], ['deliver', 'delivered'], ['invoice', 'invoiced'], ['complete', 'completed'],
    ]);
    expect(steps(workflowId)).toEqual(['loadOrderQuote', 'loadCreditPosition', 'reserveStock', 'recordShipment', 'recordDelivery', 'issueInvoice']);
    expect(w.callsOf(workflowId, 'issueInvoice')[0]!.input).toMatchObject({ amountCents: 200_00, orderId: workflowId.replace('order-', '') });
    w.stub({});
  });

  it('cancels a prepaid call-off order nobody pays within the payment window, releasing its stock before its contract draw-down', async () => {
    const { handle, workflowId, opened } = await startOrder({ paymentTerms: 'prepaid', contractId: 'C-2026-000001' });
    expect(await opened).toMatchObject({ status: 'priced', total: '160.00', lines: [{ priceRule: 'contract', unitPrice: '80.00' }] });
    // The status changes as the step is recorded; the wait and its deadline begin once it is.
    const waiting = await eventually(() => handle.query(orderState, agent), (view) => view.status === 'awaiting_payment' && view.waitingUntil !== null, { intervalMs: 50 });
    const waitingUntil = Date.parse(waiting.waitingUntil!);
    const awaiting = (await w.waitForCall(workflowId, 'recordOrder', (call) => call.input.event.action === 'await-payment')).input.event;
    expect(waitingUntil - awaiting.at).toBeGreaterThanOrEqual(PAYMENT_WINDOW_MS);

    const final = await handle.result();
    const timeout = event(workflowId, 'timeout');
    expect(final).toMatchObject({ status: 'cancelled', cancelReason: 'no payment within 2s', waitingUntil: null });
    expect(timeout).toMatchObject({ actorId: 'system', fromStatus: 'awaiting_payment', toStatus: 'cancelled' });
    expect(timeout.at).toBeGreaterThanOrEqual(waitingUntil);
    expect(timeout.at).toBeLessThan(waitingUntil + LATENESS_MS);
    expect(steps(workflowId)).toEqual(['loadOrderQuote', 'reserveCallOff', 'reserveStock', 'releaseStock', 'releaseCallOff']);
    const told = w.callsOf(workflowId, 'notify').find((call) => call.input.kind === 'order.cancelled')!;
    const cancelled = w.callsOf(workflowId, 'recordOrder').find((call) => call.input.event.action === 'timeout')!;
    expect(told.startedAt).toBeGreaterThanOrEqual(cancelled.finishedAt!);
  });

  it('runs the compensations of an order cancelled while provisioning in reverse order of its steps, one after another, before recording the cancellation', async () => {
    const { handle, workflowId, opened } = await startOrder({ paymentTerms: 'credit', contractId: 'C-2026-000001', lines: [{ sku: 'ROUTER-1', qty: 1 }, { sku: 'SVC-FIBRE', qty: 1 }] });
    await opened;
    await untilStatus(handle, 'provisioning');
    await w.waitForCall(workflowId, 'requestActivation');
    const cancelled = await handle.executeUpdate(orderUpdates.cancel, { args: [{ actor: agent, reason: 'customer changed their mind' }] });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'customer changed their mind', allowedActions: [] });
    await handle.result();

    expect(steps(workflowId).filter((name) => !COMPENSATIONS.includes(name))).toEqual([
      'loadOrderQuote', 'reserveCallOff', 'loadCreditPosition', 'reserveStock', 'allocateServices', 'configureServices', 'requestActivation',
    ]);
    // Nothing was invoiced yet (that waits for delivery and activation), so there is no invoice to void.
    const undone = w.calls(workflowId).filter((call) => COMPENSATIONS.includes(call.name));
    expect(undone.map((call) => call.name)).toEqual(['releaseServices', 'releaseStock', 'releaseCallOff']);
    for (let i = 1; i < undone.length; i++) expect(undone[i]!.startedAt).toBeGreaterThanOrEqual(undone[i - 1]!.finishedAt!);
    const recorded = w.callsOf(workflowId, 'recordOrder').find((call) => call.input.event.action === 'cancel')!;
    expect(recorded.input.event).toMatchObject({ actorId: agent.id, fromStatus: 'provisioning', toStatus: 'cancelled' });
    expect(recorded.startedAt).toBeGreaterThanOrEqual(undone.at(-1)!.finishedAt!);
  });

  it("refuses an order at intake when the contract refuses its call-off, with the contract's reason and nothing to undo", async () => {
    w.stub({
      reserveCallOff: async () => {
        throw ApplicationFailure.create({ type: FailureType.BusinessRule, message: 'contract C-2026-000002 is exhausted', nonRetryable: true });
      },
    });
    const { handle, workflowId, opened } = await startOrder({ paymentTerms: 'credit', contractId: 'C-2026-000002' });
    const refused = await opened;
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: FailureType.BusinessRule, message: 'contract C-2026-000002 is exhausted' });
    expect(await handle.result()).toMatchObject({ status: 'cancelled', cancelReason: 'contract C-2026-000002 is exhausted' });
    expect(steps(workflowId)).toEqual(['loadOrderQuote', 'reserveCallOff']);
    expect(w.callsOf(workflowId, 'notify').filter((call) => call.input.audience[0]!.startsWith('customer:'))).toEqual([]);
    w.stub({});
  });
});
