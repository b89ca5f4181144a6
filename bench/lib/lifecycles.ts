import { setTimeout as sleep } from 'node:timers/promises';
import { workflowIdFor } from '../../domain/ids';
import { uniq } from '../../test/helpers/harness';
import type { BenchApp } from './app';

/** Whole business processes driven over HTTP by the people involved, each until its workflow has finished. */
export interface Lifecycles {
  /** Intake → escalate to L2 → claim → resolve → customer confirms: 5 requests. Resolves with the workflow id. */
  ticket(): Promise<string>;
  /** A goods order on credit → (automatic pricing, credit check, reservation, invoice) → ship → delivered: 3 requests and the polls for `fulfilling`. Resolves with the workflow id. */
  order(): Promise<string>;
  /** GET /orders/:id polls made while waiting for orders to reach `fulfilling`, so far. */
  orderPolls(): number;
}

// A few customers and products, so orders do not all queue on one stock row or one credit position.
const MASTER_DATA = 8;
const POLL_MS = 20;
const FULFILLING_WITHIN_MS = 60_000;

type Id = { id: string };

export async function prepareLifecycles({ api, h }: BenchApp): Promise<Lifecycles> {
  const customers = await Promise.all(Array.from({ length: MASTER_DATA }, () =>
    api.call<Id>('agent', 'POST', '/customers', { name: `Bench ${uniq()}`, kind: 'enterprise', tier: 'standard', creditLimit: '1000000000.00' }, 201)));
  const products = await Promise.all(Array.from({ length: MASTER_DATA }, () =>
    api.call<{ sku: string }>('admin', 'POST', '/products', { sku: `BENCH-${uniq()}`, name: 'Bench product', kind: 'goods', listPrice: '10.00', stock: 1_000_000 }, 201)));
  let next = 0;
  let polls = 0;
  const pick = <T>(list: T[]) => list[next++ % list.length]!;
  const finished = async (kind: 'ticket' | 'order', id: string) => {
    const workflowId = workflowIdFor(kind, id);
    await h.client.workflow.getHandle(workflowId).result();
    return workflowId;
  };

  return {
    async ticket() {
      const { id } = await api.call<Id>('agent', 'POST', '/tickets', {
        customerId: pick(customers).id, channel: 'phone', category: 'fault', priority: 'normal', subject: 'Line down', description: 'No dial tone since Monday',
      }, 201);
      await api.call('agent', 'POST', `/tickets/${id}/escalate`, { opinion: 'check the line card' });
      await api.call('support_l2', 'POST', `/tickets/${id}/claim`, {});
      await api.call('support_l2', 'POST', `/tickets/${id}/resolve`, { resolution: 'replaced the line card' });
      await api.call('agent', 'POST', `/tickets/${id}/confirm`, { satisfaction: 5 });
      return finished('ticket', id);
    },
    async order() {
      const { id } = await api.call<Id>('agent', 'POST', '/orders', {
        customerId: pick(customers).id, lines: [{ sku: pick(products).sku, qty: 1 }], paymentTerms: 'credit', deliveryAddress: '1 Main St',
      }, 201);
      // Fulfilment staff ship once the order shows up as fulfilling; the API answers POST /orders at `priced`.
      const until = Date.now() + FULFILLING_WITHIN_MS;
      for (;;) {
        const { status } = await api.call<{ status: string }>('fulfilment', 'GET', `/orders/${id}`);
        if (status === 'fulfilling') break;
        if (Date.now() > until) throw new Error(`order ${id} is still ${status} after ${FULFILLING_WITHIN_MS} ms`);
        polls++;
        await sleep(POLL_MS);
      }
      await api.call('fulfilment', 'POST', `/orders/${id}/shipments`, { carrier: 'DHL', trackingNo: `TRK-${id}` });
      await api.call('fulfilment', 'POST', `/orders/${id}/delivered`, {});
      return finished('order', id);
    },
    orderPolls: () => polls,
  };
}
