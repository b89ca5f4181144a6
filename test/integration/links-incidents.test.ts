import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractDriver } from '../helpers/contracts';
import { startHarness, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { orderDriver } from '../helpers/orders';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Issue 17, points 4 and 5: entitlement on a call, tickets naming the customer's records, merging
// duplicates, and major incidents that hold and resolve their tickets, through the API on the real stack.

let h: Harness;
let t: ReturnType<typeof ticketDriver>;
let c: ReturnType<typeof contractDriver>;
beforeAll(async () => {
  h = await startHarness({ worker: true, queues: ['tickets', 'contracts', 'orders', 'notifications'] });
  t = ticketDriver(h);
  c = contractDriver(h);
});
afterAll(async () => { await h?.close(); });

const HOUR = 3_600_000;
const actions = (detail: { timeline: Array<{ action: string }> }) => detail.timeline.map((e) => e.action);
const eventOf = (detail: { timeline: Array<{ action: string; at: string }> }, action: string) => detail.timeline.find((e) => e.action === action)!;
const resolvedNotices = (ticketId: string) => h.database.sql<{ kind: string; audience: string[] }[]>`
  select kind, audience from notification_outbox where resource_type = 'ticket' and resource_id = ${ticketId} and kind = 'ticket.resolved'`;

/** An active service contract (an SLA of its own) covering faults only, valid from yesterday to the end of 2027. */
async function serviceContract() {
  const customer = await c.customer();
  const contract = await c.active({ customerId: customer.id, sla: { responseMultiplier: 0.5, resolutionMultiplier: 0.25 }, coveredCategories: ['fault'] });
  return { customerId: customer.id, contract };
}

describe('entitlement', () => {
  it('answers yes for a covered category now, with the contract, its SLA multipliers and what is left to call off', async () => {
    const { customerId, contract } = await serviceContract();
    const verdict = await t.call('agent', 'GET', `/customers/${customerId}/entitlement?category=fault`);
    expect(verdict).toMatchObject({
      customerId, category: 'fault', entitled: true, reason: 'covered',
      contract: {
        id: contract.id, coveredCategories: ['fault'], sla: { responseMultiplier: 0.5, resolutionMultiplier: 0.25 },
        remaining: { value: '50000.00', quantities: null }, validTo: '2027-12-31T00:00:00.000Z',
      },
    });
  });

  it('answers no, and says why, for another category, before activation, after validity and without any service contract', async () => {
    const { customerId, contract } = await serviceContract();
    const ask = (query: string) => t.call('agent', 'GET', `/customers/${customerId}/entitlement?${query}`);
    expect(await ask('category=billing')).toMatchObject({ entitled: false, reason: 'category_not_covered', contract: { id: contract.id } });
    expect(await ask('category=fault&at=2028-01-01')).toMatchObject({ entitled: false, reason: 'expired', at: '2028-01-01T00:00:00.000Z', contract: { id: contract.id } });
    expect(await ask('category=fault&at=2027-12-30T23:59:59Z')).toMatchObject({ entitled: true, reason: 'covered' });
    const beforeSigning = new Date(Date.parse(contract.validFrom) + HOUR).toISOString();
    expect(await ask(`category=fault&at=${beforeSigning}`)).toMatchObject({ entitled: false, reason: 'not_yet_valid' });
    const plain = await t.customer();
    expect(await t.call('agent', 'GET', `/customers/${plain.id}/entitlement?category=fault`)).toMatchObject({ entitled: false, reason: 'no_service_contract', contract: null });
    await t.call('agent', 'GET', `/customers/${customerId}/entitlement?category=fault&at=yesterday`, undefined, 400);
    await t.call('agent', 'GET', `/customers/${customerId}/entitlement?category=nonsense`, undefined, 400);
    await t.call('agent', 'GET', '/customers/CUS-999999/entitlement?category=fault', undefined, 404);
  });

  it('stores the verdict on the ticket at intake; a customer without entitlement is still served, marked as such', async () => {
    const { customerId, contract } = await serviceContract();
    const covered = await t.open({ customerId, category: 'fault' });
    const detail = await t.get(covered.id);
    expect(detail.entitlement).toMatchObject({ entitled: true, reason: 'covered', contract: { id: contract.id } });
    // The entitling contract's SLA applies: a quarter of the low-priority 72 h resolution window.
    expect(detail.sla).toMatchObject({ source: 'contract', resolutionMs: 18 * HOUR });

    const uncovered = await t.open({ customerId, category: 'billing' });
    expect(uncovered.status).toBe('new');
    expect((await t.get(uncovered.id)).entitlement).toMatchObject({ entitled: false, reason: 'category_not_covered' });
    // Outside the contract's categories the policy applies: the key-customer multiplier (0.75) on 72 h.
    expect((await t.get(uncovered.id)).sla).toMatchObject({ source: 'policy', resolutionMs: 54 * HOUR });
  });
});

describe('linked records', () => {
  it("links a ticket to the customer's contract both ways, and refuses another customer's record with 422", async () => {
    const { customerId, contract } = await serviceContract();
    const other = await serviceContract();
    const ticket = await t.open({ customerId, category: 'billing', relatedTo: { type: 'contract', id: contract.id } });
    expect((await t.get(ticket.id)).relatedTo).toEqual({ type: 'contract', id: contract.id });
    const linked = { id: ticket.id, status: 'new', relatedTo: { type: 'contract', id: contract.id } };
    expect((await c.get(contract.id)).linkedTickets).toEqual([expect.objectContaining(linked)]);
    expect((await t.call('manager', 'GET', `/customers/${customerId}/overview`)).linkedTickets).toEqual([expect.objectContaining(linked)]);

    const before = await h.database.sql`select count(*)::int as n from tickets where customer_id = ${customerId}`;
    const refused = await t.call('agent', 'POST', '/tickets', {
      customerId, channel: 'phone', category: 'billing', priority: 'low', subject: 'Wrong bill', description: 'x', relatedTo: { type: 'contract', id: other.contract.id },
    }, 422);
    expect(refused).toMatchObject({ status: 422, errors: [{ path: '/relatedTo/id' }] });
    expect(refused.detail).toContain('another customer');
    await t.call('agent', 'POST', '/tickets', {
      customerId, channel: 'phone', category: 'billing', priority: 'low', subject: 'Wrong bill', description: 'x', relatedTo: { type: 'order', id: 'SO-1999-000001' },
    }, 422);
    await t.call('agent', 'POST', '/tickets', {
      customerId, channel: 'phone', category: 'billing', priority: 'low', subject: 'Wrong bill', description: 'x', relatedTo: { type: 'quote', id: 'Q-1' },
    }, 400);
    expect(await h.database.sql`select count(*)::int as n from tickets where customer_id = ${customerId}`).toEqual(before);
  });

  it("lists a ticket on the order it names, and refuses an order of another customer", async () => {
    const o = orderDriver(h);
    const product = await o.product({ stock: 5 });
    const mine = await o.customer();
    const order = await o.order({ customerId: mine.id, lines: [{ sku: product.sku, qty: 1 }], paymentTerms: 'prepaid' });
    const ticket = await t.open({ customerId: mine.id, category: 'other', relatedTo: { type: 'order', id: order.id } });
    expect((await o.call('manager', 'GET', `/orders/${order.id}`)).linkedTickets).toEqual([expect.objectContaining({ id: ticket.id, relatedTo: { type: 'order', id: order.id } })]);
    const stranger = await o.customer();
    const refused = await t.call('agent', 'POST', '/tickets', {
      customerId: stranger.id, channel: 'phone', category: 'other', priority: 'low', subject: 'Where is my parcel', description: 'x', relatedTo: { type: 'order', id: order.id },
    }, 422);
    expect(refused.errors).toEqual([{ path: '/relatedTo/id', message: `the order of another customer than ${stranger.id}` }]);
  });
});

describe('merging duplicates', () => {
  it('closes the duplicate as merged and moves its notes to the ticket that carries on, recorded in both timelines', async () => {
    const customer = await t.customer();
    const keep = await t.open({ customerId: customer.id, category: 'fault' });
    const duplicate = await t.open({ customerId: customer.id, category: 'fault' });
    await t.act('agent', duplicate.id, 'notes', { text: 'Customer called again from the office line' });
    await t.act('agent', duplicate.id, 'notes', { text: 'Router model XY-2', internal: true });
    await t.act('agent', duplicate.id, 'merge', { into: keep.id }, 403);
    const merged = await t.act('supervisor', duplicate.id, 'merge', { into: keep.id });
    expect(merged).toMatchObject({ status: 'merged', mergedInto: keep.id, allowedActions: [] });

    const source = await t.get(duplicate.id);
    expect(source).toMatchObject({ status: 'merged', mergedInto: keep.id });
    expect(actions(source)).toEqual(['open', 'note', 'note', 'merge']);
    expect(eventOf(source, 'merge')).toMatchObject({ note: `merged into ${keep.id}`, actorId: h.users.supervisor.id, toStatus: 'merged' });
    const target = await eventually(() => t.get(keep.id), (d) => d.timeline.length === 4);
    expect(actions(target)).toEqual(['open', 'merged-in', 'note', 'note']);
    expect(target.timeline.slice(1).map((e: { note: string; internal: boolean; actorId: string }) => [e.note, e.internal, e.actorId])).toEqual([
      [`${duplicate.id} merged into this ticket (2 notes moved)`, false, h.users.supervisor.id],
      [`[from ${duplicate.id}] Customer called again from the office line`, false, h.users.agent.id],
      [`[from ${duplicate.id}] Router model XY-2`, true, h.users.agent.id],
    ]);
    expect(target.status).toBe('new');
    await recordHistory(h.client, `ticket-${duplicate.id}`, 'ticket-merged');
  });

  it('refuses to merge a closed ticket (409), into itself or into another customer\'s ticket (422)', async () => {
    const customer = await t.customer();
    const keep = await t.open({ customerId: customer.id, category: 'fault' });
    const done = await t.open({ customerId: customer.id, category: 'consultation' });
    await t.act('agent', done.id, 'resolve', { resolution: 'Explained' });
    await t.act('agent', done.id, 'confirm', { satisfaction: 5 });
    const refused = await t.act('supervisor', done.id, 'merge', { into: keep.id }, 409);
    expect(refused).toMatchObject({ status: 409, state: 'closed', allowedActions: [] });
    await t.act('supervisor', keep.id, 'merge', { into: keep.id }, 422);
    const stranger = await t.open({ category: 'fault' });
    await t.act('supervisor', keep.id, 'merge', { into: stranger.id }, 422);
    await t.act('supervisor', keep.id, 'merge', { into: 'T-1999-000001' }, 422);
    expect((await t.get(keep.id)).status).toBe('new');
  });
});

describe('major incidents', () => {
  const declare = (body: object = { summary: 'Fibre cut in the north ring', category: 'fault', region: 'North' }) => t.call('supervisor', 'POST', '/incidents', body, 201);
  const resolveIncident = (id: string, resolution: string) => t.call('supervisor', 'POST', `/incidents/${id}/resolve`, { resolution });

  it("pauses an attached ticket's resolution clock (reason major incident); resumed, the deadline is the old one plus exactly the paused time", async () => {
    await t.call('agent', 'POST', '/incidents', { summary: 'x' }, 403);
    const incident = await declare();
    expect(incident).toMatchObject({ id: expect.stringMatching(/^INC-\d{4}-\d{6}$/), status: 'open', ticketIds: [], category: 'fault', region: 'North' });
    const opened = await t.open({ category: 'fault' });
    const before = Date.parse(opened.sla.resolutionDueAt);

    const attached = await t.call('agent', 'POST', `/incidents/${incident.id}/tickets`, { ticketId: opened.id });
    expect(attached.ticketIds).toEqual([opened.id]);
    // Attaching again is the same attachment.
    expect((await t.call('agent', 'POST', `/incidents/${incident.id}/tickets`, { ticketId: opened.id })).ticketIds).toEqual([opened.id]);
    const held = await eventually(() => t.get(opened.id), (d) => d.live?.sla.pauseReason === 'major incident');
    expect(held).toMatchObject({ incidentId: incident.id, resolutionDueAt: null, live: { incidentId: incident.id, sla: { resolutionPaused: true, resolutionDueAt: null } } });
    expect(eventOf(held, 'incident-attach')).toMatchObject({ note: `resolution clock paused: major incident ${incident.id}`, actorId: h.users.agent.id });
    const audited = await h.database.sql`select action from audit_log where resource_type = 'incident' and resource_id = ${incident.id} order by at`;
    expect(audited.map((r) => r.action)).toEqual(['incident.create', 'incident.attach', 'incident.attach']);

    // Escalating while the incident is open does not restart the held clock.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const escalated = await t.act('agent', opened.id, 'escalate', { opinion: 'Part of the fibre cut' });
    expect(escalated.sla).toMatchObject({ resolutionPaused: true, pauseReason: 'major incident', resolutionDueAt: null });

    await resolveIncident(incident.id, 'Fibre spliced');
    await eventually(() => t.get(opened.id), (d) => d.status === 'resolved');
    // The customer rejects: reopened one tier up, the clock runs again from where the incident stopped it.
    const reopened = await t.act('agent', opened.id, 'reject', { reason: 'Still no signal' });
    expect(reopened).toMatchObject({ status: 'escalated_l3', sla: { resolutionPaused: false, pauseReason: null } });
    const detail = await t.get(opened.id);
    const paused = Date.parse(eventOf(detail, 'reject').at) - Date.parse(eventOf(detail, 'incident-attach').at);
    expect(paused).toBeGreaterThanOrEqual(700);
    expect(Date.parse(reopened.sla.resolutionDueAt)).toBe(before + paused);
    expect(Date.parse(detail.resolutionDueAt)).toBe(before + paused);
  });

  it('resolves every attached ticket at L1, L2 and L3 with its resolution, tells each customer, and each then runs its own confirmation', async () => {
    const incident = await declare();
    // L1: attached at intake, so it opens with the clock held.
    const atL1 = await t.open({ category: 'fault', incidentId: incident.id });
    expect(atL1).toMatchObject({ status: 'new', incidentId: incident.id, sla: { resolutionPaused: true, pauseReason: 'major incident', resolutionDueAt: null } });
    const atL2 = await t.open({ category: 'fault' });
    await t.act('agent', atL2.id, 'escalate', { opinion: 'Line check' });
    await t.act('support_l2', atL2.id, 'claim');
    const atL3 = await t.open({ category: 'usage' });
    await t.act('agent', atL3.id, 'escalate', { opinion: 'Usage spike' });
    await t.act('support_l2', atL3.id, 'claim');
    await t.act('support_l2', atL3.id, 'escalate', { opinion: 'Needs the network team' });
    for (const ticket of [atL2, atL3]) await t.call('support_l2', 'POST', `/incidents/${incident.id}/tickets`, { ticketId: ticket.id });
    const ids = [atL1.id, atL2.id, atL3.id];
    await eventually(() => t.call('manager', 'GET', `/incidents/${incident.id}`), (i) => i.ticketIds.length === 3);
    expect((await t.call('manager', 'GET', `/incidents/${incident.id}`)).ticketIds.sort()).toEqual([...ids].sort());
    for (const id of ids) await eventually(() => t.get(id), (d) => d.live?.sla.pauseReason === 'major incident');

    await t.call('support_l2', 'POST', `/incidents/${incident.id}/resolve`, { resolution: 'x' }, 403);
    const resolved = await resolveIncident(incident.id, 'The fibre ring is repaired');
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'The fibre ring is repaired' });
    const tiers: Record<string, string> = { [atL1.id]: 'L1', [atL2.id]: 'L2', [atL3.id]: 'L3' };
    for (const id of ids) {
      const detail = await eventually(() => t.get(id), (d) => d.status === 'resolved');
      expect(detail).toMatchObject({ tier: tiers[id], resolution: 'The fibre ring is repaired', incidentId: incident.id, live: { sla: { pauseReason: null } } });
      expect(eventOf(detail, 'resolve')).toMatchObject({ note: `The fibre ring is repaired (major incident ${incident.id})`, actorId: h.users.supervisor.id });
      const notices = await eventually(() => resolvedNotices(id), (rows) => rows.length > 0);
      expect(notices).toEqual([{ kind: 'ticket.resolved', audience: [`customer:${detail.customerId}`] }]);
    }
    const listed = await t.call('manager', 'GET', `/tickets?incidentId=${incident.id}`);
    expect(listed.items.map((i: { id: string }) => i.id).sort()).toEqual([...ids].sort());
    const row = await eventually(() => t.call('manager', 'GET', `/incidents/${incident.id}`), (i) => i.status === 'resolved');
    expect(row).toMatchObject({ status: 'resolved', resolution: 'The fibre ring is repaired' });
    expect((await t.call('manager', 'GET', '/incidents?status=resolved&limit=200')).items.map((i: { id: string }) => i.id)).toContain(incident.id);
    // A resolved incident takes no more tickets and cannot be resolved twice.
    const late = await t.open({ category: 'fault' });
    await t.call('agent', 'POST', `/incidents/${incident.id}/tickets`, { ticketId: late.id }, 409);
    await t.call('agent', 'POST', '/tickets', { customerId: late.customerId, channel: 'phone', category: 'fault', priority: 'low', subject: 's', description: 'd', incidentId: incident.id }, 422);

    const closed = await t.act('agent', atL1.id, 'confirm', { satisfaction: 4 });
    expect(closed.status).toBe('closed');
    await t.act('agent', atL2.id, 'confirm', { satisfaction: 5 });
    await recordHistory(h.client, `ticket-${atL1.id}`, 'ticket-major-incident');
    await recordHistory(h.client, `ticket-${atL2.id}`, 'ticket-major-incident-attached');
    await recordHistory(h.client, `incident-${incident.id}`, 'incident-resolved');
  });
});
