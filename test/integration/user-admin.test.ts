import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../db/schema';
import { freshDatabase, type FreshDatabase } from '../helpers/fresh-database';
import { startHarness, uniq, type Harness } from '../helpers/harness';
import { recordHistory } from '../helpers/histories';
import { ticketDriver } from '../helpers/tickets';
import { eventually } from '../helpers/wait';

// Issue 17, point 6: user management. An admin changes a user's name, e-mail, roles and tiers and
// deactivates them: every key goes at once, and the tickets they held go back to their tier queues,
// each through its ticket workflow, recorded in its timeline. Every change is in the readable audit log.
// A database of its own: the audit log is read whole per actor, and no other file's users meet these.

let fresh: FreshDatabase;
let h: Harness;
beforeAll(async () => {
  fresh = await freshDatabase();
  h = await startHarness({ worker: true, queues: ['tickets', 'notifications'], env: { DATABASE_URL: fresh.url } });
});
afterAll(async () => {
  await h?.close();
  await fresh?.drop();
});

type Auth = { authorization: string };
const call = async (auth: Auth, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => h.app.inject({ method, url: `/api/v1${url}`, headers: auth, payload });
const asAdmin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => call(h.users.admin.auth, method, url, payload);

/** A new user through the API, with the key it answers (shown once). */
async function newUser(roles: string[]) {
  const res = await asAdmin('POST', '/users', { name: `Supporter ${uniq()}`, email: `sup-${uniq()}@test.local`, roles });
  expect(res.statusCode, res.body).toBe(201);
  const user = res.json();
  return { ...user, auth: { authorization: `Bearer ${user.apiKey}` } as Auth };
}

/** An L2 ticket claimed by `auth`'s user (a fault escalated by the agent). */
async function claimedTicket(auth: Auth, tier: 'L2' | 'L3' = 'L2') {
  const t = ticketDriver(h);
  const { id } = await t.open({ category: 'fault' });
  await t.act('agent', id, 'escalate', { opinion: 'Check the line card' });
  if (tier === 'L3') {
    await t.act('support_l2', id, 'claim');
    await t.act('support_l2', id, 'escalate', { opinion: 'Needs the network team' });
  }
  const claimed = await call(auth, 'POST', `/tickets/${id}/claim`, {});
  expect(claimed.statusCode, claimed.body).toBe(200);
  return id as string;
}

const lastEvent = async (id: string) => (await ticketDriver(h).get(id)).timeline.at(-1);

describe('deactivating a user', () => {
  it('revokes every key at once and returns each ticket they hold to its tier queue, recorded in its timeline', async () => {
    const leaver = await newUser(['support_l2']);
    const second = await asAdmin('POST', `/users/${leaver.id}/keys`, {});
    expect(second.statusCode).toBe(201);
    const working = await claimedTicket(leaver.auth);
    const waiting = await claimedTicket(leaver.auth);
    expect((await call(leaver.auth, 'POST', `/tickets/${waiting}/request-info`, { question: 'Which port?' })).statusCode).toBe(200);
    const colleagues = await claimedTicket(h.users.support_l2.auth);

    const res = await asAdmin('POST', `/users/${leaver.id}/deactivate`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: leaver.id, name: leaver.name, email: leaver.email, roles: ['support_l2'], tiers: ['L2'], active: false, language: null, createdAt: leaver.createdAt,
      keysRevoked: 2, claims: { returned: [working, waiting].sort(), refused: [] },
    });

    const reason = `${leaver.name} (${leaver.id}) was deactivated by Test admin`;
    const t = ticketDriver(h);
    expect(await t.get(working)).toMatchObject({ status: 'escalated_l2', tier: 'L2', assigneeId: null });
    expect(await lastEvent(working)).toMatchObject({
      action: 'release', actorId: 'user-administration', actorName: 'User administration', fromStatus: 'in_progress_l2', toStatus: 'escalated_l2', note: reason,
    });
    expect(await t.get(waiting)).toMatchObject({ status: 'escalated_l2', tier: 'L2', assigneeId: null });
    expect(await lastEvent(waiting)).toMatchObject({
      action: 'reassign', actorId: 'user-administration', fromStatus: 'pending_customer', toStatus: 'escalated_l2', note: `to L2: ${reason}`,
    });
    expect(await t.get(colleagues)).toMatchObject({ status: 'in_progress_l2', assigneeId: h.users.support_l2.id });

    expect((await call(leaver.auth, 'GET', '/me')).statusCode).toBe(401);
    expect((await call({ authorization: `Bearer ${second.json().apiKey}` }, 'GET', '/me')).statusCode).toBe(401);
    // The queue has them back: another L2 supporter claims the released ticket.
    expect((await t.act('support_l2', working, 'claim')).assigneeId).toBe(h.users.support_l2.id);

    // Repeating it finds nothing left to return and no key to revoke.
    expect((await asAdmin('POST', `/users/${leaver.id}/deactivate`, {})).json()).toMatchObject({ active: false, keysRevoked: 0, claims: { returned: [], refused: [] } });
    const [row] = await h.database.db.select({ assigneeId: tickets.assigneeId }).from(tickets).where(eq(tickets.id, waiting));
    expect(row!.assigneeId).toBeNull();
  });

  it('records the return in a workflow history that replays', async () => {
    const leaver = await newUser(['support_l3']);
    const ticket = await claimedTicket(leaver.auth, 'L3');
    expect((await asAdmin('POST', `/users/${leaver.id}/deactivate`, {})).json().claims).toEqual({ returned: [ticket], refused: [] });
    expect(await lastEvent(ticket)).toMatchObject({ action: 'release', fromStatus: 'in_progress_l3', toStatus: 'escalated_l3' });
    const listed = await eventually(
      () => h.client.workflowService.listWorkflowExecutions({ namespace: h.config.temporal.namespace, query: `WorkflowId STARTS_WITH 'user-claims-${leaver.id}-'` }),
      (answer) => answer.executions.length === 1,
    );
    const workflowId = listed.executions[0]!.execution!.workflowId!;
    expect(workflowId).toMatch(new RegExp(`^user-claims-${leaver.id}-[0-9a-f]{8}$`));
    await recordHistory(h.client, workflowId, 'user-claims-returned');
    await ticketDriver(h).act('supervisor', ticket, 'cancel', { reason: 'duplicate' });
    await h.client.workflow.getHandle(`ticket-${ticket}`).result();
    await recordHistory(h.client, `ticket-${ticket}`, 'ticket-claim-returned');
  });

  it('refuses an admin deactivating themselves (422, still active) and an unknown user (404)', async () => {
    const self = await asAdmin('POST', `/users/${h.users.admin.id}/deactivate`, {});
    expect(self.statusCode).toBe(422);
    expect(self.json().detail).toBe('an admin cannot deactivate themselves or take away their own admin role; another admin can');
    expect((await asAdmin('GET', `/users/${h.users.admin.id}`)).json().active).toBe(true);
    expect((await asAdmin('POST', '/users/U-999999/deactivate', {})).statusCode).toBe(404);
    expect((await call(h.users.manager.auth, 'POST', `/users/${h.users.agent.id}/deactivate`, {})).statusCode).toBe(403);
  });
});

describe('changing a user', () => {
  it('changes name, e-mail, roles and tiers; the tickets at a tier taken away go back to its queue', async () => {
    const user = await newUser(['agent', 'support_l2']);
    const held = await claimedTicket(user.auth);
    const email = `renamed-${uniq()}@test.local`;
    const res = await asAdmin('PATCH', `/users/${user.id}`, { name: 'Renamed Supporter', email, roles: ['support_l2', 'finance'], tiers: ['L3'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: user.id, name: 'Renamed Supporter', email, roles: ['finance', 'support_l3'], tiers: ['L3'], active: true });
    expect(await ticketDriver(h).get(held)).toMatchObject({ status: 'escalated_l2', assigneeId: null });
    expect(await lastEvent(held)).toMatchObject({ action: 'release', actorId: 'user-administration', note: `Renamed Supporter (${user.id}) no longer works L1 and L2; changed by Test admin` });
    // Still active, the same key works, with the new roles.
    expect((await call(user.auth, 'GET', '/me')).json()).toEqual({ id: user.id, name: 'Renamed Supporter', roles: ['finance', 'support_l3'] });
    expect((await asAdmin('GET', `/users/${user.id}`)).json()).toMatchObject({ name: 'Renamed Supporter', email, tiers: ['L3'] });
  });

  it("refuses another user's e-mail (409), a blank name (400), no role left (422), and writes nothing", async () => {
    const user = await newUser(['support_l2']);
    const agentEmail = (await asAdmin('GET', `/users/${h.users.agent.id}`)).json().email;
    const taken = await asAdmin('PATCH', `/users/${user.id}`, { name: 'Changed', email: agentEmail });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ status: 409, userId: h.users.agent.id });
    const blank = await asAdmin('PATCH', `/users/${user.id}`, { name: ' \t ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([{ path: '/name', message: 'must not be empty or only white space' }]);
    const roleless = await asAdmin('PATCH', `/users/${user.id}`, { tiers: [] });
    expect(roleless.statusCode).toBe(422);
    expect(roleless.json().detail).toBe('a user needs at least one role');
    const language = await asAdmin('PATCH', `/users/${user.id}`, { language: 'klingon' });
    expect(language.json().errors).toEqual([{ path: '/language', message: 'must be one of de, en, or null' }]);
    expect((await asAdmin('GET', `/users/${user.id}`)).json()).toMatchObject({ name: user.name, email: user.email, roles: ['support_l2'] });
  });
});

describe('the audit log', () => {
  it('lists every change to a user newest first, by actor and resource, paged; admin and manager read it', async () => {
    const user = await newUser(['agent']);
    await asAdmin('PATCH', `/users/${user.id}`, { name: 'Audited' });
    await asAdmin('POST', `/users/${user.id}/deactivate`, {});
    const page = await call(h.users.manager.auth, 'GET', `/audit?actor=${h.users.admin.id}&resource=user:${user.id}&limit=2`);
    expect(page.statusCode, page.body).toBe(200);
    const first = page.json();
    expect(first.items.map((e: { action: string; actorId: string; resourceType: string; resourceId: string }) => [e.action, e.actorId, e.resourceType, e.resourceId])).toEqual([
      ['user.deactivate', h.users.admin.id, 'user', user.id],
      ['user.update', h.users.admin.id, 'user', user.id],
    ]);
    expect(first.items.map((e: { actorName: string }) => e.actorName)).toEqual(['Test admin', 'Test admin']);
    expect(first.items.map((e: { detail: unknown }) => e.detail)).toEqual([{ active: false, keysRevoked: 1 }, { name: 'Audited' }]);
    const rest = (await asAdmin('GET', `/audit?actor=${h.users.admin.id}&resource=user:${user.id}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(rest).toMatchObject({ items: [{ action: 'user.create', detail: { roles: ['agent'] } }], nextCursor: null });
    expect((await asAdmin('GET', `/audit?resource=user:${user.id}&actor=U-000000`)).json()).toEqual({ items: [], nextCursor: null });
    const byType = (await asAdmin('GET', `/audit?resource=user&action=user.deactivate&limit=200`)).json();
    expect(byType.items.map((e: { resourceId: string }) => e.resourceId)).toContain(user.id);
    expect((await call(h.users.agent.auth, 'GET', '/audit')).statusCode).toBe(403);
    expect((await asAdmin('GET', '/audit?resource=user:a:b')).json().errors).toEqual([{ path: '/querystring/resource', message: 'must match pattern "^[a-z_]+(:[^:]+)?$"' }]);
  });
});
