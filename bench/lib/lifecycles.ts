import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueryDefinition } from '@temporalio/client';
import type { Actor } from '../../domain/roles';
import type { Harness } from '../../test/helpers/harness';
import { contractState } from '../../workflows/contract';
import { orderState } from '../../workflows/order';
import { apiCaller } from './harness';

/** What one driven process left behind: its workflow id, for its history. */
export interface Lifecycle {
  kind: 'ticket' | 'order' | 'contract';
  workflowId: string;
}

/**
 * Complete business processes driven over the API the way people drive them (the same paths as
 * test/integration), lean enough to run by the hundred: each resolves once its workflow has ended.
 */
export function lifecycles(h: Harness) {
  const call = apiCaller(h);
  const suffix = () => randomUUID().slice(0, 8);
  const finished = (workflowId: string) => h.client.workflow.getHandle(workflowId).result();

  // Waits on the workflow's own state (a query, no database statement, so figure 7 counts only the process).
  async function until<View extends { status: string }>(workflowId: string, query: QueryDefinition<View, [Actor?]>, done: (view: View) => boolean, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await h.client.workflow.getHandle(workflowId).query(query);
      if (done(view)) return view;
      if (Date.now() > deadline) throw new Error(`${workflowId} is still ${view.status} after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  return {
    /** Master data shared by many processes: a customer and a product with stock for all of them. */
    async masterData(stock = 100_000) {
      const customer = await call('agent', 'POST', '/customers', { name: `Bench customer ${suffix()}`, kind: 'enterprise', tier: 'standard', creditLimit: '1000000.00' });
      const product = await call('admin', 'POST', '/products', { sku: `BENCH-${suffix()}`, name: 'Bench widget', kind: 'goods', listPrice: '10.00', stock });
      return { customerId: customer.id as string, sku: product.sku as string };
    },

    /** Intake at L1 → escalate to L2 → claim → resolve → the customer confirms: closed. */
    async ticket(customerId: string): Promise<Lifecycle> {
      const { id } = await call('agent', 'POST', '/tickets', { customerId, channel: 'phone', category: 'fault', priority: 'low', subject: 'Line down', description: 'No dial tone since Monday' });
      await call('agent', 'POST', `/tickets/${id}/escalate`, { opinion: 'Check the port' });
      await call('support_l2', 'POST', `/tickets/${id}/claim`, {});
      await call('support_l2', 'POST', `/tickets/${id}/resolve`, { resolution: 'Port reset' });
      await call('agent', 'POST', `/tickets/${id}/confirm`, { satisfaction: 5 });
      const workflowId = `ticket-${id}`;
      await finished(workflowId);
      return { kind: 'ticket', workflowId };
    },

    /** A prepaid goods order: priced and reserved → paid → shipped → delivered → invoiced → completed. */
    async order(customerId: string, sku: string): Promise<Lifecycle> {
      const { id, total } = await call('agent', 'POST', '/orders', { customerId, lines: [{ sku, qty: 1 }], paymentTerms: 'prepaid', deliveryAddress: '1 Main St' });
      await until(`order-${id}`, orderState, (o) => o.status === 'awaiting_payment');
      await call('finance', 'POST', `/orders/${id}/payments`, { amount: total, reference: `BANK-${suffix()}` });
      await call('fulfilment', 'POST', `/orders/${id}/shipments`, { carrier: 'DHL', trackingNo: `TRK-${suffix()}` });
      await call('fulfilment', 'POST', `/orders/${id}/delivered`, {});
      const workflowId = `order-${id}`;
      await finished(workflowId);
      return { kind: 'order', workflowId };
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
      await until(`contract-${draft.id}`, contractState, (c) => c.term > renewals, termMs * (renewals + 5) + 30_000);
      await call('contract_admin', 'POST', `/contracts/${draft.id}/terminate`, { reason: 'end of benchmark', effectiveDate: at(-1) });
      const workflowId = `contract-${draft.id}`;
      await finished(workflowId);
      return { kind: 'contract', workflowId };
    },
  };
}
