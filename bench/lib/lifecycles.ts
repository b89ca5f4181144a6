import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, QueryDefinition } from '@temporalio/client';
import { workflowIdFor } from '../../domain/ids';
import type { Actor, Role } from '../../domain/roles';
import { contractState } from '../../domain/processes/contract';
import { orderState } from '../../domain/processes/order';

/** One API request as `role`, failing on an error status: over HTTP (bench/lib/app.ts) or in process (bench/lib/harness.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers read the fields they drive with
export type Caller = <T = any>(role: Role, method: 'GET' | 'POST' | 'PUT', path: string, body?: object) => Promise<T>;

/** What one driven process left behind: its workflow id, for its history. */
export interface Lifecycle {
  kind: 'ticket' | 'order' | 'contract';
  workflowId: string;
}

const POLL_MS = 20;
const WAIT_MS = 60_000;

/**
 * Complete business processes driven through the API the way people drive them (the same paths as
 * test/integration), lean enough to run by the hundred: each resolves once its workflow has ended.
 */
export function lifecycles(call: Caller, client: Client) {
  const suffix = () => randomUUID().slice(0, 8);
  let polls = 0;
  let customersInTurn: Promise<unknown> = Promise.resolve();
  async function finished(kind: Lifecycle['kind'], id: string): Promise<Lifecycle> {
    const workflowId = workflowIdFor(kind, id);
    await client.workflow.getHandle(workflowId).result();
    return { kind, workflowId };
  }
  async function until<View extends { status: string }>(what: string, read: () => Promise<View>, done: (view: View) => boolean, timeoutMs = WAIT_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await read();
      if (done(view)) return view;
      if (Date.now() > deadline) throw new Error(`${what} is still ${view.status} after ${timeoutMs} ms`);
      polls++;
      await sleep(POLL_MS);
    }
  }
  // The workflow's own state (a query, no database statement, so figure 7 counts only the process).
  const queried = <View extends { status: string }>(kind: Lifecycle['kind'], id: string, query: QueryDefinition<View, [Actor?]>) =>
    () => client.workflow.getHandle(workflowIdFor(kind, id)).query(query);

  return {
    /** Status polls made so far while waiting for a process to move on by itself. */
    polls: () => polls,

    /** A customer and a product with stock for many processes. */
    async masterData(stock = 100_000) {
      // Only finance sets a credit limit above credit.defaultLimit (a second finance user approving a large
      // raise); the bench lifts the default for its own customer instead, then puts it back, one customer
      // at a time (callers create several at once).
      const customer = await (customersInTurn = customersInTurn.catch(() => undefined).then(async () => {
        const settings = await call<Record<string, unknown>>('admin', 'GET', '/settings');
        await call('admin', 'PUT', '/settings', { 'credit.defaultLimit': '1000000000.00' });
        return call('agent', 'POST', '/customers', { name: `Bench customer ${suffix()}`, kind: 'enterprise', tier: 'standard', creditLimit: '1000000000.00' })
          .finally(() => call('admin', 'PUT', '/settings', { 'credit.defaultLimit': settings['credit.defaultLimit'] }));
      }));
      const product = await call('admin', 'POST', '/products', { sku: `BENCH-${suffix()}`, name: 'Bench widget', kind: 'goods', listPrice: '10.00', stock });
      return { customerId: customer.id as string, sku: product.sku as string };
    },

    /** Intake at L1 → escalate to L2 → claim → resolve → the customer confirms: closed. 5 requests. */
    async ticket(customerId: string, timeClaim?: (ms: number) => void): Promise<Lifecycle> {
      const { id } = await call('agent', 'POST', '/tickets', { customerId, channel: 'phone', category: 'fault', priority: 'low', subject: 'Line down', description: 'No dial tone since Monday' });
      await call('agent', 'POST', `/tickets/${id}/escalate`, { opinion: 'Check the port' });
      const claimStarted = performance.now();
      await call('support_l2', 'POST', `/tickets/${id}/claim`, {});
      timeClaim?.(performance.now() - claimStarted);
      await call('support_l2', 'POST', `/tickets/${id}/resolve`, { resolution: 'Port reset' });
      await call('agent', 'POST', `/tickets/${id}/confirm`, { satisfaction: 5 });
      return finished('ticket', id);
    },

    /**
     * A goods order on credit: pricing, credit check, reservation and invoice run by themselves; fulfilment
     * staff poll `GET /orders/:id` until it is `fulfilling`, as the console does, then ship and deliver.
     */
    async creditOrder(customerId: string, sku: string): Promise<Lifecycle> {
      const { id } = await call('agent', 'POST', '/orders', { customerId, lines: [{ sku, qty: 1 }], paymentTerms: 'credit', deliveryAddress: '1 Main St' });
      await until(`order ${id}`, () => call<{ status: string }>('fulfilment', 'GET', `/orders/${id}`), (o) => o.status === 'fulfilling');
      await call('fulfilment', 'POST', `/orders/${id}/shipments`, { carrier: 'DHL', trackingNo: `TRK-${id}` });
      await call('fulfilment', 'POST', `/orders/${id}/delivered`, {});
      return finished('order', id);
    },

    /** A prepaid goods order: priced and reserved → paid → shipped → delivered → invoiced → completed. */
    async prepaidOrder(customerId: string, sku: string): Promise<Lifecycle> {
      const { id, total } = await call('agent', 'POST', '/orders', { customerId, lines: [{ sku, qty: 1 }], paymentTerms: 'prepaid', deliveryAddress: '1 Main St' });
      await until(`order ${id}`, queried('order', id, orderState), (o) => o.status === 'awaiting_payment');
      await call('finance', 'POST', `/orders/${id}/payments`, { amount: total, reference: `BANK-${suffix()}` });
      await call('fulfilment', 'POST', `/orders/${id}/shipments`, { carrier: 'DHL', trackingNo: `TRK-${suffix()}` });
      await call('fulfilment', 'POST', `/orders/${id}/delivered`, {});
      return finished('order', id);
    },

    /**
     * A contract drafted, approved along its chain and signed, that renews itself `renewals` times
     * (each renewal continues as new) and is then terminated. Needs a short CRM_CONTRACT_DAY_MS.
     */
    async contract(customerId: string, renewals: number, termMs: number): Promise<Lifecycle> {
      const at = (ms: number) => new Date(Date.now() + ms).toISOString();
      const draft = await call('agent', 'POST', '/contracts', {
        customerId, type: 'value', targetValue: '50000.00', validFrom: at(-1000), validTo: at(termMs), autoRenew: true, renewalMonths: 1, noticeDays: 5,
      });
      let view = await call('agent', 'POST', `/contracts/${draft.id}/submit`, {});
      while (view.approval) view = await call(view.approval.awaiting, 'POST', `/contracts/${draft.id}/approve`, { comment: 'ok' });
      await call('contract_admin', 'POST', `/contracts/${draft.id}/sign`, {});
      await until(`contract ${draft.id}`, queried('contract', draft.id, contractState), (c) => c.term > renewals, termMs * (renewals + 5) + 30_000);
      await call('contract_admin', 'POST', `/contracts/${draft.id}/terminate`, { reason: 'end of benchmark', effectiveDate: at(-1) });
      return finished('contract', draft.id);
    },
  };
}
