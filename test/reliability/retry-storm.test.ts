import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sized } from '../helpers/chaos';
import { startHarness, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { eventually } from '../helpers/wait';

// Fault 4: a client that retries one create 50 times at once (a flaky network, an impatient
// integration) starts exactly one process and gets the same answer every time.
const STORM = sized(50, 200);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true });
});
afterAll(async () => {
  await h?.close();
});

async function storm(url: string, body: object, key: string) {
  return Promise.all(Array.from({ length: STORM }, () =>
    h.app.inject({ method: 'POST', url, headers: { ...h.users.agent.auth, 'idempotency-key': key }, payload: body })));
}

/** Workflows of this customer as Temporal's visibility store sees them (it lags a little behind). */
const workflowsOf = (customerId: string) => eventually(async () => {
  const ids: string[] = [];
  for await (const wf of h.client.workflow.list({ query: `CrmCustomerId = "${customerId}"` })) ids.push(wf.workflowId);
  return ids;
}, (ids) => ids.length > 0, { timeoutMs: 10_000 });

describe(`${STORM} concurrent requests with one Idempotency-Key`, () => {
  it.each([
    ['tickets', (customerId: string) => ({ customerId, channel: 'email', category: 'billing', priority: 'normal', subject: 'Charged twice', description: 'Two debits' })],
    ['orders', (customerId: string, sku: string) => ({ customerId, lines: [{ sku, qty: 1 }], paymentTerms: 'prepaid' })],
  ] as const)('POST /%s starts one workflow and writes one row; the same key with another body is 422', async (resource, bodyFor) => {
    const o = orderDriver(h);
    const [customer, product] = await Promise.all([o.customer(), o.product({ stock: 5 })]);
    const key = randomUUID();
    const answers = await storm(`/api/v1/${resource}`, bodyFor(customer.id, product.sku), key);
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201));
    const ids = new Set(answers.map((a) => a.json().id as string));
    expect(ids.size).toBe(1);
    const rows = await h.database.sql.unsafe(`select id from ${resource} where customer_id = $1`, [customer.id]);
    expect(rows.map((r) => r.id)).toEqual([...ids]);
    expect(await workflowsOf(customer.id)).toHaveLength(1);

    const reused = await h.app.inject({ method: 'POST', url: `/api/v1/${resource}`, headers: { ...h.users.agent.auth, 'idempotency-key': key }, payload: { ...bodyFor(customer.id, product.sku), ...(resource === 'tickets' ? { priority: 'urgent' } : { paymentTerms: 'cod' }) } });
    expect(reused.statusCode).toBe(422);
    expect(reused.headers['content-type']).toContain('application/problem+json');
  }, 120_000);
});
