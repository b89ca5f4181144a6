import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessTime, type BusinessCalendar } from '../../domain/calendar';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { overrideSettings } from '../helpers/settings';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

let h: Harness;
let t: ReturnType<typeof ticketDriver>;

// Only this file changes sla.normal.* and the confirmation window, and it puts them back afterwards;
// other tickets here use `low` priority, whose default windows (8 h / 72 h) never run out during a test.
let restoreSettings: (() => Promise<void>) | undefined;
beforeAll(async () => {
  h = await startHarness({ worker: true });
  t = ticketDriver(h);
  restoreSettings = await overrideSettings(h, { 'sla.normal.response': '2s', 'sla.normal.resolution': '6s', 'ticket.confirmationWindow': '4s', 'sla.calendar': null });
});
afterAll(async () => {
  await restoreSettings?.();
  await h?.close();
});

const actions = (detail: { timeline: Array<{ action: string }> }) => detail.timeline.map((e) => e.action);
const outbox = (ticketId: string) => h.database.sql<{ dedupe_key: string; kind: string; audience: string[] }[]>`
  select dedupe_key, kind, audience from notification_outbox where resource_type = 'ticket' and resource_id = ${ticketId} order by id`;

describe('first line', () => {
  it('resolves a consultation at L1, and the customer confirms it closed', async () => {
    const opened = await t.open({ category: 'consultation' });
    expect(opened.sla.responseDueAt).not.toBeNull();
    await t.act('agent', opened.id, 'resolve', { resolution: 'Explained the tariff' });
    const closed = await t.act('agent', opened.id, 'confirm', { satisfaction: 4, comment: 'clear' });
    expect(closed).toMatchObject({ status: 'closed', tier: 'L1', satisfaction: 4 });
    const detail = await t.get(opened.id);
    expect(detail).toMatchObject({ status: 'closed', satisfaction: 4, resolution: 'Explained the tariff' });
    expect(actions(detail)).toEqual(['open', 'resolve', 'confirm']);
    await recordHistory(h.client, `ticket-${opened.id}`, 'ticket-l1-consultation');
    expect(detail.timeline[1]).toMatchObject({ fromStatus: 'new', toStatus: 'resolved', actorId: h.users.agent.id });
  });

  it('refuses to resolve a fault at L1: it must be escalated with a dispatch opinion', async () => {
    const opened = await t.open({ category: 'fault' });
    const refused = await t.act('agent', opened.id, 'resolve', { resolution: 'n/a' }, 409);
    expect(refused).toMatchObject({ status: 409, state: 'new' });
    expect(refused.allowedActions).toContain('escalate');
    expect(refused.allowedActions).not.toContain('resolve');
    await t.act('agent', opened.id, 'escalate', {}, 400);
  });
});

describe('second and third line', () => {
  it('escalates a fault from L1 to L2, which claims, resolves, and the customer confirms: closed', async () => {
    const opened = await t.open({ category: 'fault' });
    expect(opened).toMatchObject({ status: 'new', tier: 'L1' });
    expect(opened.id).toMatch(/^T-\d{4}-\d{6}$/);
    const escalated = await t.act('agent', opened.id, 'escalate', { opinion: 'Check the DSLAM port' });
    expect(escalated).toMatchObject({ status: 'escalated_l2', tier: 'L2', dispatchOpinion: 'Check the DSLAM port' });
    const claimed = await t.act('support_l2', opened.id, 'claim');
    expect(claimed).toMatchObject({ status: 'in_progress_l2', assigneeId: h.users.support_l2.id });
    expect(claimed.allowedActions).toEqual(expect.arrayContaining(['resolve', 'request-info', 'escalate', 'release', 'notes']));
    await t.act('support_l2', opened.id, 'notes', { text: 'Port 4 flapping', internal: true });
    await t.act('support_l2', opened.id, 'resolve', { resolution: 'Port reset' });
    const closed = await t.act('agent', opened.id, 'confirm', { satisfaction: 5 });
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 5 });
    const detail = await t.get(opened.id);
    expect(detail.status).toBe('closed');
    expect(actions(detail)).toEqual(['open', 'escalate', 'claim', 'note', 'resolve', 'confirm']);
    await recordHistory(h.client, `ticket-${opened.id}`, 'ticket-l2-resolved-confirmed');
    expect(detail.timeline[3]).toMatchObject({ note: 'Port 4 flapping', internal: true });
  });

  it('hands a ticket from L2 to L3 with a reason, where L3 claims and resolves it', async () => {
    const { id } = await t.open({ category: 'usage' });
    await t.act('agent', id, 'escalate', { opinion: 'Usage spike' });
    await t.act('support_l2', id, 'claim');
    const atL3 = await t.act('support_l2', id, 'escalate', { opinion: 'Needs a billing-system fix' });
    expect(atL3).toMatchObject({ status: 'escalated_l3', tier: 'L3', assigneeId: null, dispatchOpinion: 'Needs a billing-system fix' });
    expect(atL3.sla.responseDueAt).not.toBeNull();
    await t.act('support_l2', id, 'claim', {}, 403);
    await t.act('support_l3', id, 'claim');
    const resolved = await t.act('support_l3', id, 'resolve', { resolution: 'Rated again' });
    expect(resolved).toMatchObject({ status: 'resolved', tier: 'L3' });
    await t.act('support_l3', id, 'escalate', { opinion: 'x' }, 403);
  });

  it('reopens a rejected resolution one tier up, and at L3 asks for the supervisor', async () => {
    const { id } = await t.open({ category: 'fault' });
    await t.act('agent', id, 'escalate', { opinion: 'Line test' });
    await t.act('support_l2', id, 'claim');
    await t.act('support_l2', id, 'resolve', { resolution: 'Restarted' });
    const reopened = await t.act('agent', id, 'reject', { reason: 'Still down' });
    expect(reopened).toMatchObject({ status: 'escalated_l3', tier: 'L3', resolution: null, supervisorAttention: false });
    await t.act('support_l3', id, 'claim');
    await t.act('support_l3', id, 'resolve', { resolution: 'Replaced the card' });
    const attention = await t.act('agent', id, 'reject', { reason: 'Still down!' });
    expect(attention).toMatchObject({ status: 'escalated_l3', tier: 'L3', supervisorAttention: true });
    const detail = await t.get(id);
    expect(detail.reopens).toBe(2);
    const reassigned = await t.act('supervisor', id, 'reassign', { tier: 'L3', assigneeId: h.users.support_l3.id });
    expect(reassigned).toMatchObject({ status: 'in_progress_l3', assigneeId: h.users.support_l3.id, supervisorAttention: false });
    await recordHistory(h.client, `ticket-${id}`, 'ticket-reopened-to-l3');
  });

  it('pauses the resolution clock while waiting for the customer and shifts the deadline by the paused time', async () => {
    const { id } = await t.open({ category: 'fault' });
    await t.act('agent', id, 'escalate', { opinion: 'Check modem' });
    const claimed = await t.act('support_l2', id, 'claim');
    const pending = await t.act('support_l2', id, 'request-info', { question: 'Which LEDs are lit?' });
    expect(pending).toMatchObject({ status: 'pending_customer', sla: { resolutionPaused: true, resolutionDueAt: null } });
    await t.act('support_l2', id, 'resolve', { resolution: 'x' }, 409);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const resumed = await t.act('agent', id, 'customer-reply', { text: 'Only power' });
    expect(resumed).toMatchObject({ status: 'in_progress_l2', sla: { resolutionPaused: false } });
    const detail = await t.get(id);
    const at = (action: string) => Date.parse(detail.timeline.find((e: { action: string }) => e.action === action).at);
    const paused = at('customer-reply') - at('request-info');
    expect(paused).toBeGreaterThanOrEqual(1500);
    expect(Date.parse(resumed.sla.resolutionDueAt) - Date.parse(claimed.sla.resolutionDueAt)).toBe(paused);
    expect(Date.parse(detail.resolutionDueAt)).toBe(Date.parse(resumed.sla.resolutionDueAt));
    await recordHistory(h.client, `ticket-${id}`, 'ticket-pending-customer');
  });
});

describe('SLA clocks', () => {
  it('escalates an unclaimed L2 ticket to L3 when its response window passes, marks it breached and tells the supervisor', async () => {
    const { id } = await t.open({ category: 'fault', priority: 'normal' });
    await t.act('agent', id, 'escalate', { opinion: 'Urgent line check' });
    const breached = await eventually(() => t.get(id), (d) => d.tier === 'L3');
    expect(breached).toMatchObject({ status: 'escalated_l3', breached: true });
    expect(breached.live.sla.responseBreached).toBe(true);
    expect(actions(breached)).toContain('response-breach');
    const sent = await eventually(() => outbox(id), (rows) => rows.some((r) => r.dedupe_key.includes(':response-breach:')));
    expect(sent.find((r) => r.dedupe_key.includes(':response-breach:'))).toMatchObject({ kind: 'ticket.sla_breached', audience: ['role:supervisor'] });
    expect(sent.some((r) => r.dedupe_key.includes(':response-reminder:'))).toBe(true);
    const listed = await t.call('manager', 'GET', `/tickets?breached=true&tier=L3&customerId=${breached.customerId}`);
    expect(listed.items.map((r: { id: string }) => r.id)).toEqual([id]);
    await recordHistory(h.client, `ticket-${id}`, 'ticket-response-breach-escalated');
  });

  it('closes a resolved ticket automatically when the customer does not answer within the confirmation window', async () => {
    const { id } = await t.open({ category: 'consultation' });
    await t.act('agent', id, 'resolve', { resolution: 'Answered' });
    const closed = await eventually(() => t.get(id), (d) => d.status === 'closed', { timeoutMs: 20_000 });
    expect(actions(closed)).toEqual(['open', 'resolve', 'auto-close']);
    expect(closed.timeline[2]).toMatchObject({ actorId: 'system', fromStatus: 'resolved', toStatus: 'closed' });
    await recordHistory(h.client, `ticket-${id}`, 'ticket-auto-close');
  });

  it('tells the supervisor about a VIP ticket at intake and applies the VIP multiplier', async () => {
    const vip = await t.customer('vip');
    const opened = await t.open({ customerId: vip.id, category: 'billing', priority: 'low' });
    const standard = await t.open({ category: 'billing', priority: 'low' });
    const window = (v: { sla: { resolutionDueAt: string } }, created: number) => Date.parse(v.sla.resolutionDueAt) - created;
    const createdAt = async (id: string) => Date.parse((await t.get(id)).createdAt);
    expect(window(opened, await createdAt(opened.id))).toBe(36 * 3600_000);
    expect(window(standard, await createdAt(standard.id))).toBe(72 * 3600_000);
    const sent = await eventually(() => outbox(opened.id), (rows) => rows.length > 1);
    expect(sent.map((r) => [r.kind, r.audience])).toEqual([['ticket.opened', [`customer:${vip.id}`]], ['ticket.vip_intake', ['role:supervisor']]]);
    expect((await outbox(standard.id)).map((r) => r.kind)).toEqual(['ticket.opened']);
  });

  it('runs clocks only inside the business-hours calendar', async () => {
    const name = `cal-${uniq()}`;
    const today = new Date();
    const day = (offset: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset)).toISOString().slice(0, 10);
    const allDay = [['00:00', '24:00']];
    const calendar: BusinessCalendar = { timeZone: 'UTC', weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } as BusinessCalendar['weekly'], holidays: [day(0), day(1)] };
    await t.call('admin', 'PUT', `/calendars/${name}`, calendar);
    await t.call('admin', 'PUT', `/calendars/${name}`, { ...calendar, timeZone: 'Mars/Olympus' }, 400);
    await t.call('admin', 'PUT', '/settings', { 'sla.calendar': name });
    let opened;
    try {
      opened = await t.open({ category: 'billing', priority: 'low' });
    } finally {
      await t.call('admin', 'PUT', '/settings', { 'sla.calendar': null });
    }
    const detail = await t.get(opened.id);
    const created = Date.parse(detail.createdAt);
    expect(opened.sla.calendar).toBe(name);
    expect(Date.parse(opened.sla.responseDueAt)).toBe(addBusinessTime(created, 8 * 3600_000, calendar));
    expect(Date.parse(opened.sla.responseDueAt)).toBe(Date.parse(`${day(2)}T08:00:00Z`));
    expect(Date.parse(opened.sla.resolutionDueAt)).toBe(Date.parse(`${day(5)}T00:00:00Z`));
  });
});

describe('supervisors, queues and concurrency', () => {
  it('lets exactly one of two simultaneous claims win; the other gets 409', async () => {
    const second = await t.call('admin', 'POST', '/users', { name: 'Second L2', email: `l2-${uniq()}@test.local`, roles: ['support_l2'] }, 201);
    const { id } = await t.open({ category: 'fault' });
    await t.act('agent', id, 'escalate', { opinion: 'Race' });
    const claim = (auth: string) => h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/claim`, headers: { authorization: auth }, payload: {} });
    const results = await Promise.all([claim(h.users.support_l2.auth.authorization), claim(`Bearer ${second.apiKey}`)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.statusCode === 409)!.json();
    expect(loser).toMatchObject({ state: 'in_progress_l2' });
    const winner = results.find((r) => r.statusCode === 200)!.json();
    const detail = await t.get(id);
    expect(detail.assigneeId).toBe(winner.assigneeId);
    expect(actions(detail).filter((a) => a === 'claim')).toHaveLength(1);
    // The one who lost cannot work the winner's ticket.
    const loserAuth = winner.assigneeId === h.users.support_l2.id ? `Bearer ${second.apiKey}` : h.users.support_l2.auth.authorization;
    const steal = await h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/resolve`, headers: { authorization: loserAuth }, payload: { resolution: 'mine' } });
    expect(steal.statusCode).toBe(403);
  });

  it('refuses by role (403), by state (409 naming the state and the allowed actions) and unknown tickets (404)', async () => {
    const { id } = await t.open({ category: 'fault' });
    await t.act('support_l2', id, 'claim', {}, 409).then((p) => expect(p).toMatchObject({ state: 'new', allowedActions: expect.any(Array) }));
    await t.act('fulfilment', id, 'escalate', { opinion: 'x' }, 403);
    await t.act('agent', id, 'cancel', { reason: 'x' }, 403);
    await t.act('agent', id, 'escalate', { opinion: 'To L2' });
    await t.act('support_l3', id, 'claim', {}, 403);
    await t.act('agent', 'T-1999-000001', 'escalate', { opinion: 'x' }, 404);
    await t.act('agent', id, 'confirm', { satisfaction: 9 }, 400);
    const cancelled = await t.act('supervisor', id, 'cancel', { reason: 'Duplicate' });
    expect(cancelled.status).toBe('cancelled');
    const after = await eventually(() => t.get(id), (d) => d.status === 'cancelled');
    expect(after.status).toBe('cancelled');
    await recordHistory(h.client, `ticket-${id}`, 'ticket-cancelled');
    const finished = await eventually(() => t.act('supervisor', id, 'notes', { text: 'late' }, 409), () => true);
    expect(finished).toMatchObject({ status: 409, state: 'cancelled', allowedActions: [] });
    await t.act('supervisor', id, 'reassign', { tier: 'L2', assigneeId: h.users.agent.id }, 422);
  });

  it('lets a supervisor force-escalate and reassign, and lists the L2 queue nearest deadline first', async () => {
    const customer = await t.customer();
    const first = await t.open({ customerId: customer.id, priority: 'low' });
    const second = await t.open({ customerId: customer.id, priority: 'high' });
    await t.act('agent', first.id, 'escalate', { opinion: 'a' });
    await t.act('agent', second.id, 'escalate', { opinion: 'b' });
    const queue = await t.call('support_l2', 'GET', '/tickets/queue?limit=200');
    const ours = queue.items.filter((r: { customerId: string }) => r.customerId === customer.id).map((r: { id: string }) => r.id);
    expect(ours).toEqual([second.id, first.id]);
    const forced = await t.act('supervisor', first.id, 'escalate', { opinion: 'Supervisor: straight to L3' });
    expect(forced).toMatchObject({ status: 'escalated_l3', tier: 'L3' });
    const back = await t.act('supervisor', first.id, 'reassign', { tier: 'L2' });
    expect(back).toMatchObject({ status: 'escalated_l2', tier: 'L2', assigneeId: null });
    const mine = await t.act('supervisor', second.id, 'reassign', { tier: 'L2', assigneeId: h.users.support_l2.id });
    expect(mine).toMatchObject({ status: 'in_progress_l2', assigneeId: h.users.support_l2.id });
    const byAssignee = await t.call('manager', 'GET', `/tickets?assignee=${h.users.support_l2.id}&customerId=${customer.id}`);
    expect(byAssignee.items.map((r: { id: string }) => r.id)).toEqual([second.id]);
    const byStatus = await t.call('manager', 'GET', `/tickets?status=escalated_l2&customerId=${customer.id}`);
    expect(byStatus.items.map((r: { id: string }) => r.id)).toEqual([first.id]);
  });

  it('turns concurrent intake requests with one Idempotency-Key into one ticket and one workflow', async () => {
    const customer = await t.customer();
    const key = `ticket-${uniq()}`;
    const body = { customerId: customer.id, channel: 'web', category: 'billing', priority: 'low', subject: 'Double charge', description: 'Charged twice' };
    const responses = await Promise.all(Array.from({ length: 8 }, () => h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...h.users.agent.auth, 'idempotency-key': key }, payload: body })));
    expect(new Set(responses.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    const rows = await h.database.sql`select id from tickets where customer_id = ${customer.id}`;
    expect(rows).toHaveLength(1);
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: h.users.agent.auth, payload: { ...body, customerId: 'CUS-404' } });
    expect(unknown.statusCode).toBe(422);
  });
});

describe('managers in the Temporal UI', () => {
  it('finds tickets through custom search attributes kept current on every transition', async () => {
    const customer = await t.customer('key');
    const { id } = await t.open({ customerId: customer.id, priority: 'high', category: 'fault' });
    await t.act('agent', id, 'escalate', { opinion: 'SA check' });
    await t.act('support_l2', id, 'claim');
    const query = `CrmKind="ticket" AND CrmCustomerId="${customer.id}" AND CrmTier="L2" AND CrmStatus="in_progress_l2" AND CrmAssignee="${h.users.support_l2.id}" AND CrmCustomerTier="key" AND CrmPriority="high" AND CrmSlaBreached=false`;
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of h.client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids;
    }, (ids) => ids.length === 1);
    expect(found).toEqual([`ticket-${id}`]);
    const description = await h.client.workflow.getHandle(`ticket-${id}`).describe();
    expect(await description.staticSummary()).toMatch(new RegExp(`^Ticket ${id} · KEY · high · fault$`));
    expect(description.typedSearchAttributes.get({ name: 'CrmDueAt', type: 'DATETIME' } as never)).toBeInstanceOf(Date);
  });
});
