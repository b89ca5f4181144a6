import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/roles';
import { contractDriver } from '../helpers/contracts';
import { addUsers, startHarness, type Harness } from '../helpers/harness';
import { orderDriver } from '../helpers/orders';
import { ticketDriver } from '../helpers/tickets';

// Fault 5: several people act on one process at the same moment. Exactly one wins; everyone else
// gets 409 and the process and its rows stay consistent with the winner's decision.
const RIVALS = 5;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: true });
});
afterAll(async () => {
  await h?.close();
});

/** Sends every rival's request at once; returns the winners' answers and the losers' statuses. */
async function race(url: string, rivals: Array<{ auth: { authorization: string }; body: object }>) {
  const answers = await Promise.all(rivals.map((r) => h.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: r.auth, payload: r.body })));
  const winners = answers.map((a, i) => ({ answer: a, rival: i })).filter(({ answer }) => answer.statusCode === 200);
  const losers = answers.filter((a) => a.statusCode !== 200);
  for (const loser of losers) expect(loser.headers['content-type']).toContain('application/problem+json');
  return { winners, loserStatuses: losers.map((a) => a.statusCode) };
}

const eventsOf = (table: 'ticket_events' | 'order_events', column: 'ticket_id' | 'order_id', id: string) =>
  h.database.sql.unsafe<Array<{ action: string; actor_id: string }>>(`select action, actor_id from ${table} where ${column} = $1 order by seq`, [id]);

describe(`${RIVALS} people acting on one process at once`, () => {
  it('claims: one L2 supporter gets the ticket, the others 409', async () => {
    const t = ticketDriver(h);
    const ticket = await t.open();
    await t.act('agent', ticket.id, 'escalate', { opinion: 'measure the line' });
    const supporters = await addUsers(h, 'support_l2', RIVALS);
    const { winners, loserStatuses } = await race(`/tickets/${ticket.id}/claim`, supporters.map((s) => ({ auth: s.auth, body: {} })));
    expect(winners).toHaveLength(1);
    expect(loserStatuses).toEqual(Array(RIVALS - 1).fill(409));
    const winner = supporters[winners[0]!.rival]!;
    expect(await t.get(ticket.id)).toMatchObject({ status: 'in_progress_l2', assigneeId: winner.id });
    const claims = (await eventsOf('ticket_events', 'ticket_id', ticket.id)).filter((e) => e.action === 'claim');
    expect(claims).toEqual([{ action: 'claim', actor_id: winner.id }]);
  });

  it('credit decisions: one finance decision counts, approve or reject, the others 409', async () => {
    const o = orderDriver(h);
    const [customer, product] = await Promise.all([o.customer('10.00'), o.product({ stock: 10 })]);
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 5 }], paymentTerms: 'credit' });
    await o.reaches(order.id, 'credit_hold');
    const deciders = await addUsers(h, 'finance', RIVALS);
    const { winners, loserStatuses } = await race(`/orders/${order.id}/credit-decision`, deciders.map((d, i) => ({ auth: d.auth, body: { approve: i % 2 === 0 } })));
    expect(winners).toHaveLength(1);
    expect(loserStatuses).toEqual(Array(RIVALS - 1).fill(409));
    const approved = winners[0]!.rival % 2 === 0;
    await o.reaches(order.id, approved ? 'fulfilling' : 'cancelled');
    const decisions = (await eventsOf('order_events', 'order_id', order.id)).filter((e) => e.action.startsWith('credit-') && e.action !== 'credit-hold');
    expect(decisions).toEqual([{ action: approved ? 'credit-approve' : 'credit-reject', actor_id: deciders[winners[0]!.rival]!.id }]);
    expect(await o.stock(product.sku)).toEqual({ onHand: 10, reserved: approved ? 5 : 0 });
    // Invoiced only on delivery, which this order never reaches.
    expect(await o.invoicesOf(order.id)).toEqual([]);
  });

  it('approvals: one sales manager decides the contract step, approve or reject, the others 409', async () => {
    const c = contractDriver(h);
    const draft = await c.draft({ targetValue: '150000.00' }); // chain: sales_manager → finance
    await c.act('agent', draft.id, 'submit');
    const managers = await addUsers(h, 'sales_manager', RIVALS);
    const { winners, loserStatuses } = await race(`/contracts/${draft.id}/approve`, managers.map((m) => ({ auth: m.auth, body: { comment: 'fine' } })));
    expect(winners).toHaveLength(1);
    expect(loserStatuses).toEqual(Array(RIVALS - 1).fill(409));
    expect(winners[0]!.answer.json()).toMatchObject({ status: 'pending_approval', approval: { round: 1, step: 1, awaiting: 'finance' } });
    expect(await c.get(draft.id)).toMatchObject({ status: 'pending_approval', awaiting: 'finance' });
    const decisions = await h.database.sql`select step, role, decision, actor_id from contract_approvals where contract_id = ${draft.id} order by step`;
    expect(decisions).toEqual([{ step: 0, role: 'sales_manager', decision: 'approved', actor_id: managers[winners[0]!.rival]!.id }]);
  });

  it('cancellations: one cancel runs the compensations once, the others 409', async () => {
    const o = orderDriver(h);
    const [customer, product] = await Promise.all([o.customer(), o.product({ stock: 10 })]);
    const order = await o.order({ customerId: customer.id, lines: [{ sku: product.sku, qty: 3 }], paymentTerms: 'prepaid' });
    await o.reaches(order.id, 'awaiting_payment');
    const roles: Role[] = ['agent', 'supervisor', 'finance'];
    const cancellers = [...roles.map((role) => h.users[role]), ...(await addUsers(h, 'agent', RIVALS - roles.length))];
    const { winners, loserStatuses } = await race(`/orders/${order.id}/cancel`, cancellers.map((c) => ({ auth: c.auth, body: { reason: 'customer changed their mind' } })));
    expect(winners).toHaveLength(1);
    expect(loserStatuses).toEqual(Array(RIVALS - 1).fill(409));
    await o.reaches(order.id, 'cancelled');
    expect((await eventsOf('order_events', 'order_id', order.id)).filter((e) => e.action === 'cancel')).toHaveLength(1);
    expect(await o.stock(product.sku)).toEqual({ onHand: 10, reserved: 0 });
  });
});
